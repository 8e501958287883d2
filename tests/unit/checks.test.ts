import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { checkDepsFor, runChecks, sessionSecretProblem, type CheckId, type CheckReport } from '@/lib/checks';
import { DEMO_CREDENTIALS, DEMO_VERIFY_FILE, type AppConfig } from '@/lib/config';
import { consoleValues } from '@/lib/console-values';
import { createStore } from '@/lib/store';
import type { Store } from '@/lib/store/types';
import { corpSecretCredentials, createWecomClient } from '@/lib/wecom/client';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';

/** A live deployment's own verification code (the demo corp's file does not count outside demo mode). */
const CODE = 'Lv4Qe8Rt2Yu6Io0P';
const STRONG_SECRET = 'Qm8vT2xL9pR4wZ7kN3bH6yF1cJ5dG0sA';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let ctl: EmulatorControl;
let site: Server;
let siteUrl: string;
/** What the stand-in web server answers for any path it has no file for (changed by some tests). */
let fallback: (pathname: string) => { status: number; body: string } = () => ({
  status: 404,
  body: 'Not Found',
});
let publicDir: string;
const stores: Store[] = [];
const tmpDirs: string[] = [];

/** A stand-in for the deployed app at APP_BASE_URL: serves public/ files as they are. */
function startSite(): Promise<void> {
  site = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const name = pathname.slice(1);
    let body: string | null = null;
    try {
      if (/^[A-Za-z0-9_.-]+$/.test(name)) body = readFileSync(path.join(publicDir, name), 'utf8');
    } catch {
      body = null;
    }
    if (body !== null) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
      return;
    }
    const f = fallback(pathname);
    res.writeHead(f.status, { 'content-type': 'text/plain' }).end(f.body);
  });
  return new Promise((resolve) =>
    site.listen(0, '127.0.0.1', () => {
      siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

function tmp(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  await startSite();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await emu?.close();
  await new Promise((r) => site?.close(r));
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(async () => {
  await ctl.reset();
  fallback = () => ({ status: 404, body: 'Not Found' });
  publicDir = tmp('checks-public-');
  writeFileSync(path.join(publicDir, `WW_verify_${CODE}.txt`), CODE);
});

function liveConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    mode: 'live',
    ...DEMO_CREDENTIALS,
    apiBase: emu.url,
    oauthBase: emu.url,
    loginBase: emu.url,
    appBaseUrl: siteUrl,
    sessionSecret: STRONG_SECRET,
    storeUrl: 'memory:',
    databaseUrl: 'sqlite::memory:',
    adminUserIds: ['zhangwei'],
    dataDir: '.data',
    scheduleMissedAfterMs: 3600_000,
    production: false,
    ...overrides,
  };
}

function setup(config: AppConfig, store: Store = createStore('memory:')) {
  stores.push(store);
  const client = createWecomClient({
    apiBase: config.apiBase,
    corpId: config.corpId,
    agentId: config.agentId,
    credentials: corpSecretCredentials(config.corpId, config.agentSecret),
    store,
    sleep: async () => {},
    log: () => {},
  });
  return { client, deps: { ...checkDepsFor(config, client, publicDir), timeoutMs: 3000 } };
}

const status = (report: CheckReport) =>
  Object.fromEntries(report.results.map((r) => [r.id, r.status])) as Record<CheckId, string>;
const find = (report: CheckReport, id: CheckId) => report.results.find((r) => r.id === id)!;
const text = (report: CheckReport, id: CheckId) => JSON.stringify(find(report, id));

describe('runChecks against the emulator', () => {
  it('is green for a correct live setup except https (http APP_BASE_URL) and reports every check once', async () => {
    const store = createStore(`sqlite:${path.join(tmp('checks-db-'), 'wecom.db')}`);
    const { deps } = setup(liveConfig(), store);
    const report = await runChecks(deps);
    expect(report.results.map((r) => r.id)).toEqual([
      'credentials',
      'trustedIp',
      'corpTicket',
      'agentTicket',
      'externalContact',
      'domainFile',
      'https',
      'sessionSecret',
      'store',
    ]);
    expect(status(report)).toEqual({
      credentials: 'pass',
      trustedIp: 'pass',
      corpTicket: 'pass',
      agentTicket: 'pass',
      externalContact: 'pass',
      domainFile: 'pass',
      https: 'fail',
      sessionSecret: 'pass',
      store: 'pass',
    });
    expect(report.ok).toBe(false);
    expect(find(report, 'https').fix?.en).toMatch(/APP_BASE_URL=https/);
  });

  it('shows a wrong secret as 40001 even while the app still holds a cached token', async () => {
    const { client, deps } = setup(liveConfig());
    await client.tokens.getAccessToken();
    await ctl.switches({ invalidSecret: true });
    const report = await runChecks(deps);
    const credentials = find(report, 'credentials');
    expect(credentials.status).toBe('fail');
    expect(credentials.detail.en).toContain('40001');
    expect(credentials.fix?.zh).toContain('WECOM_AGENT_SECRET');
    expect(text(report, 'credentials')).not.toContain(DEMO_CREDENTIALS.agentSecret);
  });

  it('names the corp ID for 40013', async () => {
    const { deps } = setup(liveConfig({ corpId: 'ww0000000000000000' }));
    const report = await runChecks(deps);
    expect(find(report, 'credentials').status).toBe('fail');
    expect(find(report, 'credentials').detail.en).toContain('40013');
    expect(find(report, 'credentials').fix?.en).toContain('WECOM_CORP_ID');
  });

  it('turns 60020 into a red trusted-IP check naming the IP WeCom saw', async () => {
    const { deps } = setup(liveConfig());
    await ctl.switches({ ipBlocked: true });
    const report = await runChecks(deps);
    const ip = find(report, 'trustedIp');
    expect(ip.status).toBe('fail');
    expect(ip.detail.en).toMatch(/60020/);
    expect(ip.fix?.zh).toMatch(/添加 (127\.0\.0\.1|::ffff:127\.0\.0\.1|::1)/);
    expect(ip.fix?.zh).toContain('管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP');
    // gettoken works from an untrusted IP: the credentials are fine, the business APIs are what is blocked.
    expect(find(report, 'credentials').status).toBe('pass');
    expect(find(report, 'corpTicket').status).toBe('skip');
    expect(find(report, 'externalContact').status).toBe('skip');
    expect(report.ok).toBe(false);
  });

  it('third-party mode: the corp token comes through the suite, and 60020 names the provider’s IP allow-list', async () => {
    const config = liveConfig({
      agentSecret: '',
      suite: { suiteId: 'wwsuite7c2e91b4d0a6', suiteSecret: 's', token: 't', encodingAesKey: 'k' },
    });
    // The corp's client (a self-built client stands in for the suite's corp client: same token layer).
    const { client } = setup(liveConfig());
    const deps = { ...checkDepsFor(config, client, publicDir), timeoutMs: 3000 };
    await ctl.switches({ ipBlocked: true });
    const report = await runChecks(deps);
    expect(find(report, 'credentials').status).toBe('pass');
    const ip = find(report, 'trustedIp');
    expect(ip.status).toBe('fail');
    expect(ip.title.zh).toBe('服务商 IP白名单');
    expect(ip.fix?.zh).toContain('服务商管理后台 → 服务商信息 → 基本信息 → IP白名单');
    expect(ip.fix?.zh).not.toContain('企业可信IP');
    expect(find(report, 'corpTicket').fix?.zh).toContain('IP白名单');
  });

  it('shows 48002 on the customer-contact check with where to add the app', async () => {
    const { deps } = setup(liveConfig());
    await ctl.switches({ externalContactForbidden: true });
    const report = await runChecks(deps);
    const ec = find(report, 'externalContact');
    expect(ec.status).toBe('fail');
    expect(ec.detail.en).toContain('48002');
    expect(ec.fix?.zh).toContain('可调用应用');
    expect(find(report, 'credentials').status).toBe('pass');
  });

  it('reports an unreachable API with the reason, not a stack trace', async () => {
    const { deps } = setup(liveConfig({ apiBase: 'http://127.0.0.1:9' }));
    const report = await runChecks(deps);
    expect(find(report, 'credentials').status).toBe('fail');
    expect(find(report, 'credentials').detail.en).toMatch(/Cannot reach/);
    expect(find(report, 'trustedIp').status).toBe('skip');
  });
});

describe('domain verification check', () => {
  it('is red with how to get the file when public/ has none', async () => {
    rmSync(path.join(publicDir, `WW_verify_${CODE}.txt`));
    const { deps } = setup(liveConfig());
    const r = find(await runChecks(deps), 'domainFile');
    expect(r.status).toBe('fail');
    expect(r.fix?.en).toContain('npm run verify-file');
  });

  it('does not count the demo corp’s file in live mode', async () => {
    rmSync(path.join(publicDir, `WW_verify_${CODE}.txt`));
    writeFileSync(path.join(publicDir, DEMO_VERIFY_FILE), DEMO_VERIFY_FILE.slice(10, 26));
    const { deps } = setup(liveConfig());
    const r = find(await runChecks(deps), 'domainFile');
    expect(r.status).toBe('fail');
    expect(r.detail.en).toContain('demo');
    rmSync(path.join(publicDir, DEMO_VERIFY_FILE));
  });

  it('is red when the file on disk does not hold exactly its code', async () => {
    writeFileSync(path.join(publicDir, `WW_verify_${CODE}.txt`), `${CODE}\n`);
    const { deps } = setup(liveConfig());
    expect(find(await runChecks(deps), 'domainFile').status).toBe('fail');
  });

  it('is red when APP_BASE_URL does not serve the file', async () => {
    const { deps } = setup(liveConfig({ appBaseUrl: emu.url }));
    const r = find(await runChecks(deps), 'domainFile');
    expect(r.status).toBe('fail');
    expect(r.detail.en).toMatch(/HTTP 404/);
  });

  it('is red when the site echoes any requested code', async () => {
    fallback = (pathname) => {
      const m = /^\/WW_verify_([A-Za-z0-9]{16})\.txt$/.exec(pathname);
      return m ? { status: 200, body: m[1]! } : { status: 404, body: '' };
    };
    const { deps } = setup(liveConfig());
    const r = find(await runChecks(deps), 'domainFile');
    expect(r.status).toBe('fail');
    expect(r.detail.en).toMatch(/echo/);
  });
});

describe('store check', () => {
  it('counts memory: as red in live mode and green in demo mode', async () => {
    const live = setup(liveConfig());
    expect(find(await runChecks(live.deps), 'store').status).toBe('fail');
    const demo = setup(liveConfig({ mode: 'demo' }));
    const report = await runChecks(demo.deps);
    expect(find(report, 'store').status).toBe('pass');
    expect(find(report, 'https').status).toBe('pass');
    expect(find(report, 'https').detail.zh).toContain('演示模式使用 http://');
  });

  it('is red when the store fails', async () => {
    const store = createStore('memory:');
    await store.close();
    const broken: Store = {
      ...store,
      kind: 'memory',
      durable: false,
      get: async () => {
        throw new Error('boom');
      },
      set: async () => {
        throw new Error('boom');
      },
      delete: store.delete.bind(store),
      tryLock: store.tryLock.bind(store),
      close: async () => {},
    };
    const { deps } = setup(liveConfig());
    expect(find(await runChecks({ ...deps, store: broken }), 'store').status).toBe('fail');
  });
});

describe('sessionSecretProblem', () => {
  it('accepts a random 32+ character secret', () => {
    expect(sessionSecretProblem(STRONG_SECRET)).toBeUndefined();
  });
  it.each([
    ['short', 'abc123'],
    ['repeated', 'x'.repeat(40)],
    ['weak word', 'complex_password_at_least_32_characters_long'],
    ['placeholder', 'change-me-to-a-long-random-string-please'],
  ])('refuses a %s secret', (_name, secret) => {
    expect(sessionSecretProblem(secret)).toBeDefined();
  });
});

describe('consoleValues', () => {
  it('derives every admin-console value from APP_BASE_URL', () => {
    const values = consoleValues({ appBaseUrl: 'https://sidebar.example.com' });
    const byId = Object.fromEntries(values.map((v) => [v.id, v.value]));
    expect(byId).toEqual({
      homeUrl: 'https://sidebar.example.com/workbench',
      toolbarUrl: 'https://sidebar.example.com/sidebar',
      toolbarName: '客户资料',
      trustedDomain: 'sidebar.example.com',
      oauthDomain: 'sidebar.example.com',
    });
  });
  it('adds the callback URL only when a callback is configured', () => {
    const values = consoleValues({
      appBaseUrl: 'https://sidebar.example.com:8443',
      callback: { token: 't', encodingAesKey: 'k' },
    });
    expect(values.find((v) => v.id === 'callbackUrl')?.value).toBe(
      'https://sidebar.example.com:8443/api/wecom/callback',
    );
    expect(values.find((v) => v.id === 'trustedDomain')?.value).toBe('sidebar.example.com:8443');
  });
});
