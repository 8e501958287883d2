import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unsealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { WELL_KNOWN } from '@/emulator/seed';
import { encryptMessage, msgSignature } from '@/emulator/suite/crypto';
import { CORP_A_INFO, CORP_B, CORP_B_WELL_KNOWN, SUITE } from '@/emulator/suite/seed';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { closeDb, getDb, openDb } from '@/lib/db';
import { createStore, getStore } from '@/lib/store';
import { listEvents } from '@/lib/wecom/callback';
import { WecomError } from '@/lib/wecom/errors';
import { getCustomerForUser } from '@/lib/wecom/contacts';
import { sign } from '@/lib/wecom/jssdk';
import { corpFor } from '@/lib/wecom/tenant';
import { beginInstall, createSuiteService, getSuite, SuiteError, type SuiteService } from '@/lib/wecom/suite';
import { createTestDatabase, type TestDatabase } from './fixtures/db';

// Third-party mode end to end: the real route handlers of the app served over HTTP, the emulator pushing
// encrypted callbacks to them, the install flow for two corps, per-corp clients, bad deliveries, and the
// SQLite store reopened as after a restart.

type Handler = (req: Request) => Promise<Response>;
type RouteModule = { GET?: Handler; POST?: Handler };
let app: Server;
let appUrl = '';
let emu: RunningEmulator;
let ctl: EmulatorControl;
let suite: SuiteService;
let database: TestDatabase;
const dataDir = mkdtempSync(path.join(tmpdir(), 'suite-'));
const dbFile = path.join(dataDir, 'wecom.db');
const A = CORP_A_INFO.corpId;
const APP_CALLBACK = {
  token: 'appCallbackTok3n',
  encodingAesKey: 'Zq4Wm8Xr2Tz6Vb1Nc5Lm9Hs3Kd7Fg0Jw4Ay8Qe2Rt6Y',
};
const B = CORP_B.corpId;

async function nodeToRequest(req: import('node:http').IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', appUrl), {
    method,
    headers: req.headers as Record<string, string>,
    body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
  });
}

beforeAll(async () => {
  const routes: Record<string, RouteModule> = {};
  app = createServer((req, res) => {
    void (async () => {
      const request = await nodeToRequest(req);
      const route = routes[new URL(request.url).pathname]?.[request.method as 'GET' | 'POST'];
      const response = route ? await route(request) : new Response('Not Found', { status: 404 });
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  const appHost = `127.0.0.1:${(app.address() as AddressInfo).port}`;
  appUrl = `http://${appHost}`;
  emu = await startEmulator({ port: 0, trustedDomains: [appHost] });
  ctl = emulatorControl(emu.url);
  database = await createTestDatabase('sqlite');
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
    WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
    WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
    WECOM_API_BASE: emu.url,
    WECOM_OPEN_BASE: emu.url,
    WECOM_SUITE_TEST_AUTH: '1',
    APP_BASE_URL: appUrl,
    SESSION_SECRET: 'x'.repeat(40),
    STORE_URL: `sqlite:${dbFile}`,
    DATA_DIR: dataDir,
    WECOM_SUITE_ID: SUITE.suiteId,
    WECOM_SUITE_SECRET: SUITE.suiteSecret,
    WECOM_SUITE_TOKEN: SUITE.token,
    WECOM_SUITE_ENCODING_AES_KEY: SUITE.encodingAesKey,
    WECOM_PROVIDER_CORP_ID: SUITE.providerCorpId,
    WECOM_CALLBACK_TOKEN: APP_CALLBACK.token,
    WECOM_CALLBACK_ENCODING_AES_KEY: APP_CALLBACK.encodingAesKey,
  });
  routes['/api/wecom/suite/callback'] = await import('@/app/api/wecom/suite/callback/route');
  routes['/api/wecom/suite/data'] = await import('@/app/api/wecom/suite/data/route');
  routes['/api/wecom/suite/install'] = await import('@/app/api/wecom/suite/install/route');
  routes['/api/wecom/callback'] = await import('@/app/api/wecom/callback/route');
  suite = getSuite()!;
  await ctl.suite.config({
    callbackUrl: `${appUrl}/api/wecom/suite/callback`,
    dataCallbackUrl: `${appUrl}/api/wecom/suite/data?corpid=$CORPID$`,
  });
});

afterAll(async () => {
  await emu?.close();
  await new Promise<void>((r) => app?.close(() => r()));
  await getStore().close();
  await closeDb();
  await database?.drop();
});

const counters = () => ctl.counters();

/** A delivery sealed with the emulator's own crypto (not the app's), optionally broken on purpose. */
function delivery(
  message: string,
  opts: { receiveId?: string; timestamp?: number; badSignature?: boolean; encrypt?: string } = {},
) {
  const encrypted =
    opts.encrypt ?? encryptMessage(SUITE.encodingAesKey, message, opts.receiveId ?? SUITE.suiteId);
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = '918273645';
  const sig = opts.badSignature ? '0'.repeat(40) : msgSignature(SUITE.token, ts, nonce, encrypted);
  return {
    query: new URLSearchParams({ msg_signature: sig, timestamp: ts, nonce }),
    body: `<xml><ToUserName><![CDATA[${SUITE.suiteId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
  };
}

async function send(pathname: string, d: { query: URLSearchParams; body: string }) {
  const res = await fetch(`${appUrl}${pathname}?${d.query}`, { method: 'POST', body: d.body });
  return { status: res.status, text: await res.text() };
}

async function snapshot() {
  return {
    ticket: await suite.suiteTicket(),
    corps: (await suite.authorizedCorps()).map((c) => c.corpId).sort(),
    permanentCodes: await Promise.all(
      [A, B].map(async (id) => (await suite.authorization(id))?.permanentCode ?? null),
    ),
  };
}

async function installThroughProviderSite(corpId: string): Promise<string> {
  // A signed-in admin starts the install (the route's admin gate is covered end to end in suite.spec.ts); here
  // the install URL comes from the same function the route calls.
  const target = new URL(
    await beginInstall(getSuite()!, {
      openBase: emu.url,
      redirectUri: `${appUrl}/api/wecom/suite/install`,
      authType: 1,
    }),
  );
  expect(target.origin).toBe(emu.url);
  expect(target.pathname).toBe('/3rdapp/install');
  expect(target.searchParams.get('suite_id')).toBe(SUITE.suiteId);
  const page = await fetch(target);
  expect(page.status).toBe(200); // auth_type=1 (test authorization) was set by the app
  const chosen = await fetch(new URL('/3rdapp/install', emu.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...Object.fromEntries(target.searchParams), corpid: corpId }),
  });
  const back = new URL(chosen.headers.get('location')!);
  expect(back.origin).toBe(appUrl);
  expect(back.searchParams.get('auth_code')).toBeTruthy();
  const done = await fetch(back, { redirect: 'manual' });
  expect(done.status).toBe(303);
  return done.headers.get('location')!;
}

describe('third-party mode against the emulator', () => {
  it('answers URL verification on both callback URLs with the plaintext alone', async () => {
    for (const p of ['/api/wecom/suite/callback', '/api/wecom/suite/data']) {
      const echostr = encryptMessage(SUITE.encodingAesKey, '5927381046251', SUITE.suiteId);
      const ts = String(Math.floor(Date.now() / 1000));
      const q = new URLSearchParams({
        msg_signature: msgSignature(SUITE.token, ts, '42', echostr),
        timestamp: ts,
        nonce: '42',
        echostr,
      });
      const res = await fetch(`${appUrl}${p}?${q}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('5927381046251');
      q.set('msg_signature', 'f'.repeat(40));
      expect((await fetch(`${appUrl}${p}?${q}`)).status).toBe(401);
    }
  });

  it('stores the pushed suite_ticket durably, and only the newest one', async () => {
    expect(await suite.suiteTicket()).toBeNull();
    const push = await ctl.suite.pushTicket();
    expect(push).toMatchObject({ ok: true, status: 200, body: 'success' });
    const stored = await suite.suiteTicket();
    expect(stored?.ticket).toBeTruthy();
    // An older ticket arriving late (valid delivery, older TimeStamp) does not replace it.
    const late = delivery(
      `<xml><SuiteId><![CDATA[${SUITE.suiteId}]]></SuiteId><InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>${stored!.timestamp - 600}</TimeStamp><SuiteTicket><![CDATA[older-ticket]]></SuiteTicket></xml>`,
    );
    expect(await send('/api/wecom/suite/callback', late)).toEqual({ status: 200, text: 'success' });
    expect((await suite.suiteTicket())?.ticket).toBe(stored!.ticket);
  });

  it('installs from the provider site for two corps and keeps their permanent codes', async () => {
    // The result page gets the outcome sealed: the URL names no corp.
    for (const corpId of [A, B]) {
      const result = new URL(await installThroughProviderSite(corpId));
      expect(`${result.origin}${result.pathname}`).toBe(`${appUrl}/install`);
      expect(result.search).not.toContain(corpId);
      const sealed = await unsealData<{ corpName?: string }>(result.searchParams.get('result')!, {
        password: 'x'.repeat(40),
      });
      expect(sealed.corpName).toBeTruthy();
    }
    const corps = await suite.authorizedCorps();
    expect(corps.map((c) => c.corpId).sort()).toEqual([A, B].sort());
    expect(corps.find((c) => c.corpId === B)).toMatchObject({
      corpName: CORP_B.name,
      agentId: CORP_B.suiteAgentId,
    });
    expect(JSON.stringify(corps)).not.toContain('permanentCode');
    // A replayed redirect (same state) is refused.
    const start = await fetch(`${appUrl}/api/wecom/suite/install?auth_code=abc&state=neverIssued`, {
      redirect: 'manual',
    });
    expect(start.headers.get('location')).toContain('error=install-state');
  });

  it('gives each corp its own client: its data only, its tokens and jsapi tickets, one get_corp_token for many callers', async () => {
    const clientA = await suite.clientFor(A);
    const clientB = await suite.clientFor(B);
    const listA = await clientA.call<{ external_userid: string[] }>('externalcontact/list', {
      query: { userid: 'zhangwei' },
    });
    expect(listA.external_userid).toContain(WELL_KNOWN.linXiaomei);
    const listB = await clientB.call<{ external_userid: string[] }>('externalcontact/list', {
      query: { userid: 'sunli' },
    });
    expect(listB.external_userid).toContain(CORP_B_WELL_KNOWN.heXiaoyu);
    await expect(
      clientB.call('externalcontact/get', { query: { external_userid: WELL_KNOWN.linXiaomei } }),
    ).rejects.toBeInstanceOf(WecomError);
    await expect(
      clientA.call('externalcontact/get', { query: { external_userid: CORP_B_WELL_KNOWN.heXiaoyu } }),
    ).rejects.toBeInstanceOf(WecomError);

    // What the data endpoints do: the session's corp picks the client, so corp B's member cannot read corp A's customer.
    const mine = await getCustomerForUser('zhangwei', WELL_KNOWN.linXiaomei, {
      client: (await corpFor(A)).wecom,
    });
    expect(mine.externalUserId).toBe(WELL_KNOWN.linXiaomei);
    await expect(
      getCustomerForUser('sunli', WELL_KNOWN.linXiaomei, { client: (await corpFor(B)).wecom }),
    ).rejects.toBeTruthy();
    await expect(corpFor('ww0000000000000000')).rejects.toMatchObject({ code: 'corp-not-authorized' });

    // Corp B's jsapi signature verifies at corp B's (emulated) client.
    const ticket = await clientB.tokens.getCorpTicket();
    const url = `${appUrl}/sidebar?corpid=${B}`;
    const verify = await ctl.verify({
      kind: 'config',
      url,
      corpId: B,
      nonceStr: 'n0nce',
      timestamp: 1700000000,
      signature: sign(url, ticket, 'n0nce', 1700000000),
    });
    expect(verify.ok).toBe(true);
    expect(await clientB.tokens.getAgentTicket()).not.toBe(await clientA.tokens.getAgentTicket());

    // Cold cache in a fresh process-like client: parallel callers share one get_corp_token.
    await getStore().delete(clientB.tokens.keys.token);
    const fresh = createSuiteService({ suite: suite.suite, apiBase: emu.url, store: getStore() });
    const before = (await counters())['service/get_corp_token'] ?? 0;
    const freshB = await fresh.clientFor(B);
    const tokens = await Promise.all(Array.from({ length: 8 }, () => freshB.tokens.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect((await counters())['service/get_corp_token']).toBe(before + 1);
  });

  it('keeps a bounded number of corp clients; an evicted corp is rebuilt from the store without a WeCom call', async () => {
    const small = createSuiteService({
      suite: suite.suite,
      apiBase: emu.url,
      store: getStore(),
      clientCacheMax: 1,
    });
    const firstA = await small.clientFor(A);
    await firstA.tokens.getCorpTicket();
    expect(await small.clientFor(A)).toBe(firstA);
    await (await small.clientFor(B)).tokens.getCorpTicket();
    const before = await counters();
    // B took A's place: A's client is new, its token and ticket come from the shared store.
    const againA = await small.clientFor(A);
    expect(againA).not.toBe(firstA);
    expect(await againA.tokens.getCorpTicket()).toBe(await firstA.tokens.getCorpTicket());
    const after = await counters();
    for (const api of ['service/get_corp_token', 'get_jsapi_ticket', 'ticket/get'])
      expect(after[api] ?? 0).toBe(before[api] ?? 0);
  });

  it('60020 on a third-party corp token names the provider’s IP allow-list, not the corp’s 企业可信IP', async () => {
    const clientA = await suite.clientFor(A);
    await ctl.switches({ ipBlocked: true });
    try {
      const err = await clientA
        .call('externalcontact/list', { query: { userid: 'zhangwei' } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WecomError);
      expect((err as WecomError).errcode).toBe(60020);
      const message = (err as WecomError).toPublic().userMessage;
      expect(message.zh).toContain('服务商管理后台 → 服务商信息 → 基本信息 → IP白名单');
      expect(message.zh).not.toContain('企业可信IP');
    } finally {
      await ctl.switches({ ipBlocked: false });
    }
  });

  it('refuses bad deliveries with 4xx and changes nothing', async () => {
    const before = await snapshot();
    const calls = (await counters())['service/get_permanent_code'];
    const createAuth = `<xml><SuiteId><![CDATA[${SUITE.suiteId}]]></SuiteId><AuthCode><![CDATA[whatever]]></AuthCode><InfoType><![CDATA[create_auth]]></InfoType><TimeStamp>1</TimeStamp></xml>`;
    const ticket = `<xml><SuiteId><![CDATA[${SUITE.suiteId}]]></SuiteId><InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>${Math.floor(Date.now() / 1000) + 100}</TimeStamp><SuiteTicket><![CDATA[forged]]></SuiteTicket></xml>`;
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, { query: URLSearchParams; body: string }, number][] = [
      ['wrong msg_signature', delivery(ticket, { badSignature: true }), 401],
      ['broken base64', delivery(ticket, { encrypt: 'bm90*YmFzZTY0' }), 400],
      ['broken AES', delivery(ticket, { encrypt: Buffer.alloc(64, 7).toString('base64') }), 400],
      ['wrong receiveid', delivery(ticket, { receiveId: A }), 403],
      ['replayed (10 min old)', delivery(ticket, { timestamp: now - 600 }), 400],
      ['from the future', delivery(createAuth, { timestamp: now + 400 }), 400],
      [
        'over 64 KB',
        { ...delivery(ticket), body: `<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>` },
        413,
      ],
      [
        'a DTD',
        { ...delivery(ticket), body: '<!DOCTYPE xml [<!ENTITY x "y">]><xml><Encrypt>&x;</Encrypt></xml>' },
        400,
      ],
    ];
    for (const [name, d, status] of cases) {
      const res = await send('/api/wecom/suite/callback', d);
      expect(res.status, name).toBe(status);
      expect(res.text, name).not.toBe('success');
    }
    expect(await snapshot()).toEqual(before);
    expect((await counters())['service/get_permanent_code']).toBe(calls);
  });

  it('handles a create_auth push once even when it is delivered twice', async () => {
    const oldCode = (await suite.authorization(B))!.permanentCode;
    const push = await ctl.suite.install(B, 'market');
    expect(push).toMatchObject({ ok: true, body: 'success' });
    await suite.idle(); // get_permanent_code runs after the reply
    const newCode = (await suite.authorization(B))!.permanentCode;
    expect(newCode).not.toBe(oldCode);
    const calls = (await counters())['service/get_permanent_code'];
    const again = await fetch(push.sent!.url, { method: 'POST', body: push.sent!.body });
    expect(await again.text()).toBe('success');
    await suite.idle();
    expect((await counters())['service/get_permanent_code']).toBe(calls);
    expect((await suite.authorization(B))!.permanentCode).toBe(newCode);
    // The reinstall's new code works; the cached token of the old one was dropped.
    const list = await (
      await suite.clientFor(B)
    ).call<{ external_userid: string[] }>('externalcontact/list', {
      query: { userid: 'sunli' },
    });
    expect(list.external_userid.length).toBeGreaterThan(0);
  });

  it('change_auth refreshes with get_auth_info; reset_permanent_code replaces the code', async () => {
    const before = (await counters())['service/get_auth_info'] ?? 0;
    expect(await ctl.suite.changeAuth(A)).toMatchObject({ ok: true });
    await suite.idle();
    expect((await counters())['service/get_auth_info']).toBe(before + 1);
    const old = (await suite.authorization(A))!.permanentCode;
    expect(await ctl.suite.resetPermanentCode(A)).toMatchObject({
      ok: true,
    });
    await suite.idle();
    expect((await suite.authorization(A))!.permanentCode).not.toBe(old);
  });

  it('records change_external_contact from the data callback, for authorized corps only', async () => {
    const push = await ctl.suite.dataEvent({
      corpId: B,
      changeType: 'add_external_contact',
      userId: 'zhoumin',
      externalUserId: CORP_B_WELL_KNOWN.fengLei,
    });
    expect(push).toMatchObject({ ok: true });
    const events = await listEvents(await getDb(), B);
    expect(events[0]).toMatchObject({ event: 'change_external_contact', changeType: 'add_external_contact' });
    expect(events[0]!.fields.ExternalUserID).toBe(CORP_B_WELL_KNOWN.fengLei);
    const stranger = delivery('<xml><Event><![CDATA[change_external_contact]]></Event></xml>', {
      receiveId: 'ww0000000000000000',
    });
    expect((await send('/api/wecom/suite/data', stranger)).status).toBe(403);
  });

  it('cancel_auth deletes the corp and its credentials', async () => {
    expect(await ctl.suite.cancelAuth(B)).toMatchObject({ ok: true });
    await suite.idle();
    expect(await suite.authorization(B)).toBeNull();
    expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([A]);
    await expect(suite.clientFor(B)).rejects.toMatchObject({ code: 'corp-not-authorized' });
    expect(await listEvents(await getDb(), B)).toEqual([]);
  });

  it('turns an expired suite_ticket (40085) into a clear error, and recovers on the next push', async () => {
    await ctl.suite.expire();
    const err = await suite.preAuthCode(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).code).toBe('suite-ticket-invalid');
    expect((err as SuiteError).toPublic().status).toBe(503);
    expect(await suite.suiteTicket()).toBeNull();
    await ctl.suite.pushTicket();
    expect(await suite.preAuthCode(1)).toBeTruthy();
  });

  it('self-built app callback: URL verification, events recorded, receiveid must be the corp id', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const seal = (message: string, receiveId: string) => {
      const encrypted = encryptMessage(APP_CALLBACK.encodingAesKey, message, receiveId);
      return {
        encrypted,
        query: new URLSearchParams({
          msg_signature: msgSignature(APP_CALLBACK.token, ts, '77', encrypted),
          timestamp: ts,
          nonce: '77',
        }),
      };
    };
    const echo = seal('424242', DEMO_CREDENTIALS.corpId);
    echo.query.set('echostr', echo.encrypted);
    expect(await (await fetch(`${appUrl}/api/wecom/callback?${echo.query}`)).text()).toBe('424242');
    const foreignEcho = seal('424242', B);
    foreignEcho.query.set('echostr', foreignEcho.encrypted);
    expect((await fetch(`${appUrl}/api/wecom/callback?${foreignEcho.query}`)).status).toBe(403);
    const event = `<xml><ToUserName><![CDATA[${DEMO_CREDENTIALS.corpId}]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[del_follow_user]]></ChangeType><UserID><![CDATA[lina]]></UserID></xml>`;
    const good = seal(event, DEMO_CREDENTIALS.corpId);
    const body = (e: string) =>
      `<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[${e}]]></Encrypt></xml>`;
    const res = await fetch(`${appUrl}/api/wecom/callback?${good.query}`, {
      method: 'POST',
      body: body(good.encrypted),
    });
    expect(await res.text()).toBe('success');
    expect((await listEvents(await getDb(), DEMO_CREDENTIALS.corpId))[0]).toMatchObject({
      changeType: 'del_follow_user',
    });
    const foreign = seal(event, B);
    const refused = await fetch(`${appUrl}/api/wecom/callback?${foreign.query}`, {
      method: 'POST',
      body: body(foreign.encrypted),
    });
    expect(refused.status).toBe(403);
  });

  it('verifies both URLs the way the provider console does: echostr encrypted for the provider corpid', async () => {
    for (const target of ['callback', 'data'] as const) {
      expect(await ctl.suite.verifyUrl(target)).toMatchObject({
        ok: true,
        receiveId: SUITE.providerCorpId,
      });
    }
    // An echostr for some other corp is refused.
    const echostr = encryptMessage(SUITE.encodingAesKey, '5927381046251', A);
    const ts = String(Math.floor(Date.now() / 1000));
    const q = new URLSearchParams({
      msg_signature: msgSignature(SUITE.token, ts, '42', echostr),
      timestamp: ts,
      nonce: '42',
      echostr,
    });
    expect((await fetch(`${appUrl}/api/wecom/suite/callback?${q}`)).status).toBe(403);
  });

  it('records customer, group and tag changes pushed to the instruction URL (InfoType + AuthCorpId)', async () => {
    const db = await getDb();
    const act = (name: string, body: Record<string, unknown>) => ctl.crmAction(name, body);
    await act('member-edits-remark', {
      externalUserId: WELL_KNOWN.linXiaomei,
      userId: 'zhangwei',
      remark: '老客户',
    });
    await act('customer-leaves-group', { externalUserId: WELL_KNOWN.linXiaomei, chatId: WELL_KNOWN.vipChat });
    await act('admin-add-tag', { name: '回访', groupName: '跟进' });
    const pushes = (
      (await (await fetch(new URL('/wecom-emulator/suite/state', emu.url))).json()) as {
        pushes: { infoType: string; ok: boolean; target: string }[];
      }
    ).pushes.slice(0, 3);
    expect(pushes.map((p) => [p.target, p.infoType, p.ok])).toEqual([
      ['callback', 'change_external_tag', true],
      ['callback', 'change_external_chat', true],
      ['callback', 'change_external_contact', true],
    ]);
    const rows = await db
      .selectFrom('callback_events')
      .selectAll()
      .where('corp_id', '=', A)
      .where('source', '=', 'suite')
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    expect(rows.map((r) => r.event_type)).toEqual([
      'change_external_tag',
      'change_external_chat',
      'change_external_contact',
    ]);
    expect(rows[2]).toMatchObject({
      change_type: 'edit_external_contact',
      external_userid: WELL_KNOWN.linXiaomei,
      userid: 'zhangwei',
    });
    expect(rows[1]).toMatchObject({ change_type: 'update', chat_id: WELL_KNOWN.vipChat });
    expect(rows[0]!.tag_id).toBeTruthy();
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ InfoType: 'change_external_tag', AuthCorpId: A });
  });

  it('a push whose answer was lost is sent again, and the app stores it once', async () => {
    const db = await getDb();
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('callback_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('corp_id', '=', A)
            .where('change_type', '=', 'del_follow_user')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await ctl.suite.pushFaults({ loseAnswers: 1 });
    await ctl.crmAction('customer-deletes-member', {
      externalUserId: WELL_KNOWN.linXiaomei,
      userId: 'zhangwei',
    });
    const [last] = (
      (await (await fetch(new URL('/wecom-emulator/suite/state', emu.url))).json()) as {
        pushes: { infoType: string; ok: boolean; attempts: number }[];
      }
    ).pushes;
    expect(last).toMatchObject({ infoType: 'change_external_contact', ok: true, attempts: 2 });
    expect(await count()).toBe(before + 1);

    // An auth event too: the retried create_auth spends the auth code once.
    const calls = (await counters())['service/get_permanent_code'] ?? 0;
    await ctl.suite.pushFaults({ loseAnswers: 1 });
    expect(await ctl.suite.install(B)).toMatchObject({
      ok: true,
      attempts: 2,
    });
    await suite.idle();
    expect((await counters())['service/get_permanent_code']).toBe(calls + 1);
    expect(await suite.authorization(B)).not.toBeNull();
  });

  it('answers auth events before their slow part: a slow get_permanent_code does not delay the `success`', async () => {
    // WeCom (the emulator) waits 1000 ms for an auth event's answer; get_permanent_code now takes longer than that.
    await ctl.fault({ api: 'service/get_permanent_code', latencyMs: 1500, times: 1 });
    const push = await ctl.suite.resetPermanentCode(B);
    expect(push).toMatchObject({ ok: true, attempts: 1, body: 'success' });
    const before = (await suite.authorization(B))!.permanentCode;
    await suite.idle();
    expect((await suite.authorization(B))!.permanentCode).not.toBe(before);
  });

  it('the self-built app’s callback URL receives the self-built events (MsgType event, Event change_external_*)', async () => {
    await ctl.setCallback({
      url: `${appUrl}/api/wecom/callback`,
      token: APP_CALLBACK.token,
      encodingAesKey: APP_CALLBACK.encodingAesKey,
    });
    const acted = await ctl.crmAction('customer-joins-group', {
      externalUserId: WELL_KNOWN.linXiaomei,
      chatId: WELL_KNOWN.vipChat,
    });
    expect((acted.pushes as { ok: boolean }[])[0]).toMatchObject({ ok: true });
    const [row] = await (
      await getDb()
    )
      .selectFrom('callback_events')
      .selectAll()
      .where('source', '=', 'app')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(row).toMatchObject({
      corp_id: DEMO_CREDENTIALS.corpId,
      event_type: 'change_external_chat',
      chat_id: WELL_KNOWN.vipChat,
    });
    expect(JSON.parse(row!.payload)).toMatchObject({
      MsgType: 'event',
      Event: 'change_external_chat',
      FromUserName: 'sys',
    });
    await ctl.setCallback({ url: null });
  });

  it('keeps the ticket and the permanent codes across a restart (database and store closed and reopened)', async () => {
    const before = await snapshot();
    await getStore().close();
    await closeDb();
    const reopened = createStore(`sqlite:${dbFile}`);
    const db = openDb(database.url);
    try {
      const again = createSuiteService({ suite: suite.suite, apiBase: emu.url, store: reopened, db });
      expect(await again.suiteTicket()).toEqual(before.ticket);
      expect((await again.authorizedCorps()).map((c) => c.corpId)).toEqual([A, B]);
      const list = await (
        await again.clientFor(A)
      ).call<{ external_userid: string[] }>('externalcontact/list', {
        query: { userid: 'zhangwei' },
      });
      expect(list.external_userid.length).toBeGreaterThan(0);
    } finally {
      await reopened.close();
      await db.destroy();
    }
  });
});
