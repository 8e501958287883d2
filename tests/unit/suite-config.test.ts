import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_SUITE, parseConfig } from '@/lib/config';

const suiteEnv = {
  WECOM_SUITE_ID: 'wwsuite123',
  WECOM_SUITE_SECRET: 'suite-secret',
  WECOM_SUITE_TOKEN: 'tok',
  WECOM_SUITE_ENCODING_AES_KEY: 'a'.repeat(43),
  WECOM_PROVIDER_CORP_ID: 'wwprovider',
  APP_BASE_URL: 'https://sidebar.example.com',
  SESSION_SECRET: 's'.repeat(32),
};

describe('third-party (suite) configuration', () => {
  it('selects live third-party mode with the suite variables alone', () => {
    const c = parseConfig(suiteEnv);
    expect(c.mode).toBe('live');
    expect(c.suite).toMatchObject({ suiteId: 'wwsuite123', providerCorpId: 'wwprovider' });
    expect(c.apiBase).toBe('https://qyapi.weixin.qq.com');
  });

  it('names what is missing from a partial suite set', () => {
    expect(() => parseConfig({ ...suiteEnv, WECOM_SUITE_TOKEN: undefined })).toThrow(ConfigError);
    expect(() => parseConfig({ ...suiteEnv, WECOM_SUITE_TOKEN: '', WECOM_SUITE_SECRET: '' })).toThrow(
      /WECOM_SUITE_SECRET, WECOM_SUITE_TOKEN/,
    );
  });

  it('still requires SESSION_SECRET and APP_BASE_URL in live third-party mode', () => {
    expect(() => parseConfig({ ...suiteEnv, SESSION_SECRET: undefined })).toThrow(/SESSION_SECRET/);
  });

  it('leaves self-built and demo modes unchanged; demo can run as the emulator’s suite', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    expect(parseConfig({ DATA_DIR: dataDir }).suite).toBeUndefined();
    const demoSuite = parseConfig({ DATA_DIR: dataDir, WECOM_DEMO_SUITE: '1' });
    expect(demoSuite.mode).toBe('demo');
    expect(demoSuite.suite).toEqual(DEMO_SUITE);
    const selfBuilt = parseConfig({
      WECOM_CORP_ID: 'wwcorp',
      WECOM_AGENT_ID: '1000002',
      WECOM_AGENT_SECRET: 'secret',
      APP_BASE_URL: 'https://sidebar.example.com',
      SESSION_SECRET: 's'.repeat(32),
    });
    expect(selfBuilt).toMatchObject({ mode: 'live', corpId: 'wwcorp', suite: undefined });
  });

  it('the demo suite matches the emulator’s seed (the two share no code, so this test ties them)', async () => {
    const { SUITE } = await import('@/emulator/suite/seed');
    expect(DEMO_SUITE).toEqual({
      suiteId: SUITE.suiteId,
      suiteSecret: SUITE.suiteSecret,
      token: SUITE.token,
      encodingAesKey: SUITE.encodingAesKey,
      providerCorpId: SUITE.providerCorpId,
    });
  });
});
