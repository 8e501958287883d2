import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const live = {
  WECOM_CORP_ID: 'wwcorp',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'secret',
  APP_BASE_URL: 'https://sidebar.example.com/',
  SESSION_SECRET: 'x'.repeat(32),
};

describe('parseConfig', () => {
  it('runs in demo mode with nothing configured and keeps a generated session secret under the data dir', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const first = parseConfig({ DATA_DIR: dataDir });
    expect(first.mode).toBe('demo');
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, 'session-secret'), 'utf8')).toBe(first.sessionSecret);
    expect(parseConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first.sessionSecret);
    expect(parseConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cfg-')) }).sessionSecret).not.toBe(
      first.sessionSecret,
    );
  });

  it('keeps durable data in sqlite app.db under the data dir unless DATABASE_URL names sqlite or postgres', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    expect(parseConfig({ DATA_DIR: dataDir }).databaseUrl).toBe(`sqlite:${path.join(dataDir, 'app.db')}`);
    expect(parseConfig({ ...live, DATABASE_URL: 'postgres://app@db:5432/app' }).databaseUrl).toBe(
      'postgres://app@db:5432/app',
    );
    expect(() => parseConfig({ ...live, DATABASE_URL: 'mysql://db/app' })).toThrow(/DATABASE_URL/);
  });

  it('names the missing variables of a partial credential set', () => {
    expect(() => parseConfig({ WECOM_CORP_ID: 'ww1' })).toThrow(ConfigError);
    expect(() => parseConfig({ WECOM_CORP_ID: 'ww1' })).toThrow(/WECOM_AGENT_ID, WECOM_AGENT_SECRET/);
  });

  it('requires SESSION_SECRET and APP_BASE_URL in live mode', () => {
    expect(() => parseConfig({ ...live, SESSION_SECRET: undefined })).toThrow(/SESSION_SECRET/);
    expect(() => parseConfig({ ...live, APP_BASE_URL: undefined })).toThrow(/APP_BASE_URL/);
    expect(() => parseConfig({ ...live, SESSION_SECRET: 'short' })).toThrow(/32/);
  });

  it('parses live mode with WeCom defaults and a normalised origin', () => {
    const config = parseConfig(live);
    expect(config).toMatchObject({
      mode: 'live',
      corpId: 'wwcorp',
      appBaseUrl: 'https://sidebar.example.com',
      apiBase: 'https://qyapi.weixin.qq.com',
      oauthBase: 'https://open.weixin.qq.com',
      loginBase: 'https://login.work.weixin.qq.com',
    });
  });

  it('rejects a partial suite configuration', () => {
    expect(() => parseConfig({ ...live, WECOM_SUITE_ID: 'suite' })).toThrow(/WECOM_SUITE_SECRET/);
  });

  it('never runs a production server as a demo unless WECOM_DEMO=1 says so', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    expect(() => parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(ConfigError);
    expect(() => parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(/WECOM_DEMO=1/);
    expect(parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, WECOM_DEMO: '1' }).mode).toBe('demo');
    expect(parseConfig({ ...live, NODE_ENV: 'production' }).mode).toBe('live');
    // The build itself (which renders nothing for real) is not refused.
    expect(
      parseConfig({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build', DATA_DIR: dataDir }).mode,
    ).toBe('demo');
  });

  it('reads METRICS_TOKEN', () => {
    expect(parseConfig({ ...live, METRICS_TOKEN: 'm'.repeat(24) }).metricsToken).toBe('m'.repeat(24));
    expect(parseConfig(live).metricsToken).toBeUndefined();
  });
});
