import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { createStore } from '@/lib/store';
import type { Store } from '@/lib/store/types';
import { corpSecretCredentials, createWecomClient, type WecomClientOptions } from '@/lib/wecom/client';
import { WecomError } from '@/lib/wecom/errors';
import { createSigner } from '@/lib/wecom/jssdk';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';

const APP = 'http://localhost:3810';
const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;

let emu: Awaited<ReturnType<typeof startEmulator>>;
let ctl: EmulatorControl;
/** Every log line and error message produced in this file; none may carry a secret. */
const said: string[] = [];
const seenSecrets = new Set<string>([agentSecret]);
const stores: Store[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['localhost:3810'] });
  ctl = emulatorControl(emu.url);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await emu?.close();
});
beforeEach(async () => {
  await ctl.reset();
});

function makeClient(overrides: Partial<WecomClientOptions> = {}) {
  const store = overrides.store ?? createStore('memory:');
  stores.push(store);
  const client = createWecomClient({
    apiBase: emu.url,
    corpId,
    agentId,
    credentials: corpSecretCredentials(corpId, agentSecret),
    store,
    sleep: async () => {},
    log: (line) => void said.push(line),
    ...overrides,
  });
  return client;
}

async function failure(p: Promise<unknown>): Promise<WecomError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WecomError);
    said.push((err as Error).message, JSON.stringify((err as WecomError).toPublic().userMessage));
    return err as WecomError;
  }
  throw new Error('expected a WecomError');
}

async function remember(client: ReturnType<typeof makeClient>) {
  seenSecrets.add(await client.tokens.getAccessToken());
  seenSecrets.add(await client.tokens.getCorpTicket());
  seenSecrets.add(await client.tokens.getAgentTicket());
}

describe('token and ticket cache', () => {
  it('200 concurrent signature requests on a cold cache fetch each credential exactly once', async () => {
    const client = makeClient();
    const signer = createSigner({ client, appBaseUrl: APP });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signer.signaturesFor(`${APP}/sidebar?i=${i}#frag`)),
    );
    const counters = await ctl.counters();
    expect(counters.gettoken).toBe(1);
    expect(counters.get_jsapi_ticket).toBe(1);
    expect(counters['ticket/get']).toBe(1);

    // Fresh nonces, seconds, both signatures accepted by the emulated client, and no ticket in the answer.
    expect(new Set(results.flatMap((r) => [r.config.nonceStr, r.agentConfig.nonceStr])).size).toBe(400);
    const sample = results[7]!;
    expect(sample).toMatchObject({ corpId, agentId });
    expect(Object.keys(sample).sort()).toEqual(['agentConfig', 'agentId', 'config', 'corpId']);
    expect(Math.abs(sample.config.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const url = `${APP}/sidebar?i=7`;
    expect(await ctl.verify({ kind: 'config', url, corpId, ...sample.config })).toMatchObject({ ok: true });
    expect(
      await ctl.verify({ kind: 'agentConfig', url, corpId, agentId, ...sample.agentConfig }),
    ).toMatchObject({
      ok: true,
    });
    await remember(client);
    expect(JSON.stringify(results)).not.toContain(await client.tokens.getCorpTicket());

    await Promise.all(Array.from({ length: 50 }, () => signer.signaturesFor(`${APP}/workbench`)));
    expect(await ctl.counters()).toMatchObject({ gettoken: 1, get_jsapi_ticket: 1, 'ticket/get': 1 });
  });

  it('shares the cache between clients on one store and refreshes before expires_in runs out', async () => {
    let now = Date.now();
    const store = createStore('memory:', { now: () => now });
    const a = makeClient({ store, now: () => now });
    const b = makeClient({ store, now: () => now });
    const token = await a.tokens.getAccessToken();
    expect(await b.tokens.getAccessToken()).toBe(token);
    expect((await ctl.counters()).gettoken).toBe(1);

    now += (7200 - 6 * 60) * 1000; // still outside the 5-minute margin
    await b.tokens.getAccessToken();
    expect((await ctl.counters()).gettoken).toBe(1);
    now += 2 * 60 * 1000; // inside the margin: refresh
    await b.tokens.getAccessToken();
    expect((await ctl.counters()).gettoken).toBe(2);
  });

  it('a failed fetch does not poison the cache, and concurrent callers share the failure', async () => {
    let now = Date.now();
    const client = makeClient({ now: () => now });
    await ctl.fault({ api: 'gettoken', errcode: 45009, times: 1 });
    const errors = await Promise.all(
      Array.from({ length: 20 }, () => failure(client.tokens.getAccessToken())),
    );
    expect(errors.every((e) => e.errcode === 45009 && e.kind === 'rate-limited')).toBe(true);
    expect((await ctl.counters()).gettoken).toBe(1);
    // Right after the failure callers fail fast with it; after the backoff the next one fetches again.
    expect((await failure(client.tokens.getAccessToken())).errcode).toBe(45009);
    expect((await ctl.counters()).gettoken).toBe(1);
    now += 2_001;
    await client.tokens.getAccessToken();
    expect((await ctl.counters()).gettoken).toBe(2);
  });

  it('refresh re-fetches both tickets at most once a minute per app, and the new ones verify', async () => {
    const client = makeClient();
    const signer = createSigner({ client, appBaseUrl: APP });
    await signer.signaturesFor(`${APP}/sidebar`);
    await ctl.rotateTickets();
    const url = `${APP}/sidebar`;
    const stale = await signer.signaturesFor(url);
    expect((await ctl.verify({ kind: 'agentConfig', url, corpId, agentId, ...stale.agentConfig })).ok).toBe(
      false,
    );

    const refreshed = await Promise.all(
      Array.from({ length: 10 }, () => signer.signaturesFor(url, { refresh: true })),
    );
    expect(await ctl.counters()).toMatchObject({ gettoken: 1, get_jsapi_ticket: 2, 'ticket/get': 2 });
    for (const r of refreshed) {
      expect((await ctl.verify({ kind: 'config', url, corpId, ...r.config })).ok).toBe(true);
      expect((await ctl.verify({ kind: 'agentConfig', url, corpId, agentId, ...r.agentConfig })).ok).toBe(
        true,
      );
    }
    await signer.signaturesFor(url, { refresh: true });
    expect(await ctl.counters()).toMatchObject({ get_jsapi_ticket: 2, 'ticket/get': 2 });
    await remember(client);
  });
});

describe('request wrapper', () => {
  it('replays exactly once after the token was revoked upstream', async () => {
    const client = makeClient();
    await client.call('user/get', { query: { userid: 'zhangwei' } });
    await ctl.revokeTokens();
    const user = await client.call<{ userid: string; name: string }>('user/get', {
      query: { userid: 'zhangwei' },
    });
    expect(user.userid).toBe('zhangwei');
    expect(await ctl.counters()).toMatchObject({ gettoken: 2, 'user/get': 3 });
    expect(said.some((l) => l.includes('replaying once'))).toBe(true);
    await remember(client);
  });

  it('concurrent calls that hit a revoked token fetch one new token', async () => {
    const client = makeClient();
    await client.tokens.getAccessToken();
    await ctl.revokeTokens();
    await Promise.all(
      Array.from({ length: 30 }, () => client.call('user/get', { query: { userid: 'lina' } })),
    );
    expect((await ctl.counters()).gettoken).toBe(2);
  });

  it('retries errcode -1 on an idempotent call: two failures then success = 3 upstream calls', async () => {
    const client = makeClient();
    await ctl.fault({ api: 'user/get', errcode: -1, times: 2 });
    const user = await client.call<{ userid: string }>('user/get', { query: { userid: 'zhangwei' } });
    expect(user.userid).toBe('zhangwei');
    expect((await ctl.counters())['user/get']).toBe(3);
  });

  it('gives up after two retries', async () => {
    const client = makeClient();
    await ctl.fault({ api: 'user/get', errcode: -1, times: 5 });
    const err = await failure(client.call('user/get', { query: { userid: 'zhangwei' } }));
    expect(err.errcode).toBe(-1);
    expect(err.toPublic().status).toBe(503);
    expect((await ctl.counters())['user/get']).toBe(3);
  });

  it('does not retry 45009: one upstream call and a clear error', async () => {
    const client = makeClient();
    await client.tokens.getAccessToken();
    await ctl.fault({ api: 'user/get', errcode: 45009 });
    const err = await failure(client.call('user/get', { query: { userid: 'zhangwei' } }));
    expect(err).toMatchObject({ errcode: 45009, kind: 'rate-limited', api: 'user/get' });
    expect(err.toPublic().userMessage.zh).toContain('频率');
    expect((await ctl.counters())['user/get']).toBe(1);
  });

  it('retries a 5xx on an idempotent call but not on a non-idempotent POST', async () => {
    const client = makeClient();
    await ctl.fault({ api: 'user/get', httpStatus: 502, times: 1 });
    await client.call('user/get', { query: { userid: 'zhangwei' } });
    expect((await ctl.counters())['user/get']).toBe(2);

    await ctl.fault({ api: 'externalcontact/remark', httpStatus: 502, times: 1 });
    const err = await failure(
      client.call('externalcontact/remark', {
        body: { userid: 'zhangwei', external_userid: 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn', description: 'x' },
      }),
    );
    expect(err).toMatchObject({ transport: 'http', httpStatus: 502, kind: 'retryable' });
    expect((await ctl.counters())['externalcontact/remark']).toBe(1);
  });

  it('times out a slow answer (AbortController) and retries idempotent calls', async () => {
    const client = makeClient({ timeoutMs: 150 });
    await client.tokens.getAccessToken();
    await ctl.fault({ api: 'user/get', latencyMs: 2000, times: 1 });
    await client.call('user/get', { query: { userid: 'zhangwei' } });
    expect((await ctl.counters())['user/get']).toBe(2);

    await ctl.fault({ api: 'user/get', latencyMs: 2000 });
    const err = await failure(client.call('user/get', { query: { userid: 'zhangwei' }, idempotent: false }));
    expect(err).toMatchObject({ transport: 'timeout', kind: 'retryable' });
    expect(err.toPublic().status).toBe(504);
  });

  it('gives a request one budget for every attempt: a slow WeCom costs the budget, not attempts × timeout', async () => {
    // Each attempt may wait 1 s, the request 1.5 s in all: the second attempt gets what is left, no third.
    const client = makeClient({ timeoutMs: 1000, budgetMs: 1500 });
    await client.tokens.getAccessToken();
    await ctl.fault({ api: 'user/get', latencyMs: 5000 });
    const err = await failure(client.call('user/get', { query: { userid: 'zhangwei' } }));
    expect(err).toMatchObject({ transport: 'timeout', kind: 'retryable' });
    expect((await ctl.counters())['user/get']).toBe(2);
  });

  it('counts the access token against the same budget as the call', async () => {
    const client = makeClient({ budgetMs: 400 });
    await ctl.fault({ api: 'gettoken', latencyMs: 5000 });
    const err = await failure(client.call('user/get', { query: { userid: 'zhangwei' } }));
    expect(err).toMatchObject({ transport: 'timeout', api: 'user/get' });
    expect(err.toPublic().status).toBe(504);
    expect((await ctl.counters())['user/get']).toBeUndefined();
  });

  it('turns a network failure into a retryable WecomError', async () => {
    const client = makeClient({ apiBase: 'http://127.0.0.1:9', timeoutMs: 1000 });
    const err = await failure(client.tokens.getAccessToken());
    expect(err).toMatchObject({ transport: 'network', kind: 'retryable', api: 'gettoken' });
  });

  it('explains configuration errors with the fix', async () => {
    let now = Date.now();
    const client = makeClient({ now: () => now });
    await ctl.switches({ invalidSecret: true });
    const bad = await failure(client.tokens.getAccessToken());
    expect(bad).toMatchObject({ errcode: 40001, kind: 'configuration' });
    expect(bad.toPublic().userMessage.zh).toContain('WECOM_AGENT_SECRET');

    now += 2_001; // past the backoff of the failed token fetch
    await ctl.switches({ invalidSecret: false, ipBlocked: true });
    const ip = await failure(client.call('user/get', { query: { userid: 'zhangwei' } }));
    expect(ip.errcode).toBe(60020);
    expect(ip.toPublic().userMessage.zh).toMatch(
      /企业可信IP（管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP）中添加 \S+，/,
    );

    now += 4_001; // a second failed token fetch in a row doubled the wait
    await ctl.switches({ ipBlocked: false, externalContactForbidden: true });
    const forbidden = await failure(
      client.call('externalcontact/get', { query: { external_userid: 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn' } }),
    );
    expect(forbidden.errcode).toBe(48002);
    expect(forbidden.toPublic().userMessage.zh).toContain('可调用应用');
    await remember(client);
  });

  it('returns POST answers and maps business errors', async () => {
    const client = makeClient();
    const chat = await client.call<{ group_chat: { name: string } }>('externalcontact/groupchat/get', {
      body: { chat_id: 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM', need_name: 1 },
      idempotent: true,
    });
    expect(chat.group_chat.name).toBe('VIP客户服务群');
    const err = await failure(
      client.call('externalcontact/get', { query: { external_userid: 'wm3Cakw91Um3jXNLdcoZy9B55pNyhLwH' } }),
    );
    // A record that is no longer there: "no longer available", not a permission or configuration problem.
    expect(err).toMatchObject({ errcode: 84061, kind: 'gone' });
    expect(err.toPublic().status).toBe(410);
  });

  it('never puts a token, ticket or secret into a log line or error message', () => {
    expect(said.length).toBeGreaterThan(5);
    for (const line of said) {
      for (const secret of seenSecrets) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/access_token=(?!\*\*\*)/);
    }
  });
});
