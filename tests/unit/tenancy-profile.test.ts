import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_SUITE, parseConfig, type AppConfig } from '@/lib/config';
import { tenancyProfile } from '@/lib/wecom/tenancy-profile';

const SECRET = 'Qm8vT2xL9pR4wZ7kN3bH6yF1cJ5dG0sA';
const SUITE_ENV = {
  WECOM_SUITE_ID: 'wwsuite0123456789ab',
  WECOM_SUITE_SECRET: 'suite-secret',
  WECOM_SUITE_TOKEN: 'suiteToken',
  WECOM_SUITE_ENCODING_AES_KEY: 'k'.repeat(43),
};
const LIVE = { APP_BASE_URL: 'https://sidebar.example.com', SESSION_SECRET: SECRET };

const selfBuilt = (): AppConfig =>
  parseConfig({
    ...LIVE,
    WECOM_CORP_ID: 'ww0123456789abcdef',
    WECOM_AGENT_ID: '1000002',
    WECOM_AGENT_SECRET: 'agent-secret',
  });
const thirdParty = (env: Record<string, string> = {}): AppConfig =>
  parseConfig({ ...LIVE, ...SUITE_ENV, WECOM_PROVIDER_CORP_ID: 'wwprovider01', ...env });

/** Runs the strategy's credentials proof and says which probe it used. */
async function probeUsed(config: AppConfig): Promise<string[]> {
  const used: string[] = [];
  await tenancyProfile(config, {}).checks.proveCredentials({
    gettoken: async () => used.push('gettoken'),
    corpToken: async () => used.push('corpToken'),
  });
  return used;
}

describe('the tenancy a configuration chooses', () => {
  it('self-built: one corp, names and avatars from the API, gettoken proves the credentials', async () => {
    const config = selfBuilt();
    const p = tenancyProfile(config, {});
    expect(p.name).toBe('self-built');
    expect(p.servesManyCorps).toBe(false);
    expect(p.avatarConsent).toBe(true);
    expect(p.openDataScript).toBeNull();
    expect(await probeUsed(config)).toEqual(['gettoken']);
    expect(p.checks.thirdPartyErrcodes).toBe(false);
    expect(p.checks.trustedIpTitle.zh).toBe('企业可信IP');
    expect(p.checks.credentialsWork.en).toContain('ww0123456789abcdef');
    expect(p.checks.credentialsWork.en).toContain('1000002');
    expect(p.legacyScope).toEqual({ corpId: 'ww0123456789abcdef' });
  });

  it('third-party: every installed corp, open-data names, the corp token through the suite', async () => {
    const config = thirdParty();
    const p = tenancyProfile(config, {});
    expect(p.name).toBe('third-party');
    expect(p.servesManyCorps).toBe(true);
    expect(p.avatarConsent).toBe(false);
    expect(await probeUsed(config)).toEqual(['corpToken']);
    expect(p.checks.thirdPartyErrcodes).toBe(true);
    expect(p.checks.trustedIpTitle.zh).toBe('服务商 IP白名单');
    expect(p.checks.credentialsWork.zh).toContain('service/get_corp_token');
    expect(p.checks.credentialsWork.en).toContain(SUITE_ENV.WECOM_SUITE_ID);
    expect(p.legacyScope).toEqual({ corpId: 'wwprovider01', suiteId: SUITE_ENV.WECOM_SUITE_ID });
  });

  it('third-party pages load WeCom’s open-data SDK from open.work.weixin.qq.com, or WECOM_OPEN_BASE', () => {
    const config = thirdParty();
    expect(tenancyProfile(config, {}).openDataScript).toBe(
      'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js',
    );
    expect(tenancyProfile(config, { WECOM_OPEN_BASE: 'http://127.0.0.1:4100/' }).openDataScript).toBe(
      'http://127.0.0.1:4100/wwopen/js/jwxwork-1.0.0.js',
    );
  });

  it('the demo is self-built unless WECOM_DEMO_SUITE=1; the third-party demo loads the emulator’s SDK', () => {
    const demo = parseConfig({ PORT: '3000', SESSION_SECRET: SECRET });
    expect(tenancyProfile(demo, {}).name).toBe('self-built');
    expect(tenancyProfile(demo, {}).legacyScope).toEqual({ corpId: DEMO_CREDENTIALS.corpId });
    const demoSuite = parseConfig({ PORT: '3000', SESSION_SECRET: SECRET, WECOM_DEMO_SUITE: '1' });
    const p = tenancyProfile(demoSuite, { WECOM_OPEN_BASE: 'https://elsewhere.example' });
    expect(p.name).toBe('third-party');
    expect(p.openDataScript).toBe('http://localhost:3000/wwopen/js/jwxwork-1.0.0.js');
    expect(p.legacyScope).toEqual({ corpId: DEMO_CREDENTIALS.corpId, suiteId: DEMO_SUITE.suiteId });
  });
});
