import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { DEMO_AGENT_SECRET, WELL_KNOWN } from '@/emulator/seed';
import { encryptMessage, msgSignature } from '@/emulator/suite/crypto';
import { openPush } from '@/emulator/suite';
import { CORP_A_INFO, CORP_B, CORP_B_WELL_KNOWN, SUITE } from '@/emulator/suite/seed';

// The emulated service-provider side on its own: suite APIs with their errcodes, the install page, OAuth for
// the suite, and encrypted pushes to a callback receiver (decrypted here with the emulator's own crypto).

let emu: RunningEmulator;
let ctl: EmulatorControl;
let receiver: Server;
let receiverUrl = '';
const received: { path: string; message: string; receiveId: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const opened = openPush(url.searchParams, Buffer.concat(chunks).toString('utf8'));
      if (!opened) {
        res.writeHead(401).end('bad signature');
        return;
      }
      received.push({
        path: url.pathname + url.search.replace(/[?&](msg_signature|timestamp|nonce)=[^&]*/g, ''),
        ...opened,
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as AddressInfo).port;
  receiverUrl = `http://127.0.0.1:${port}`;
  emu = await startEmulator({ port: 0, trustedDomains: [`127.0.0.1:${port}`] });
  ctl = emulatorControl(emu.url);
});

afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

beforeEach(async () => {
  received.length = 0;
  await ctl.reset();
  await ctl.suite.config({
    callbackUrl: `${receiverUrl}/suite/callback`,
    dataCallbackUrl: `${receiverUrl}/suite/data?corpid=$CORPID$`,
  });
  // Configuring starts the 10-minute timer; the first push is explicit in each test.
});

async function post(path: string, body: unknown, query: Record<string, string> = {}) {
  const url = new URL(path, emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

async function get(path: string, query: Record<string, string> = {}) {
  const url = new URL(path, emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

function field(xml: string, name: string): string {
  return new RegExp(`<${name}><!\\[CDATA\\[([^\\]]*)\\]\\]></${name}>`).exec(xml)?.[1] ?? '';
}

async function suiteToken(): Promise<string> {
  await ctl.suite.pushTicket();
  const ticket = field(received.at(-1)!.message, 'SuiteTicket');
  const res = await post('/cgi-bin/service/get_suite_token', {
    suite_id: SUITE.suiteId,
    suite_secret: SUITE.suiteSecret,
    suite_ticket: ticket,
  });
  return res.suite_access_token as string;
}

/** Runs the provider-site install for one corp and returns the auth_code from the redirect. */
async function installVia(token: string, corpId: string, authType = 1): Promise<URL> {
  const pre = (await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: token }))
    .pre_auth_code as string;
  await post(
    '/cgi-bin/service/set_session_info',
    { pre_auth_code: pre, session_info: { auth_type: authType } },
    { suite_access_token: token },
  );
  const params = {
    suite_id: SUITE.suiteId,
    pre_auth_code: pre,
    redirect_uri: `${receiverUrl}/installed`,
    state: 'st4te',
  };
  const page = await fetch(new URL(`/3rdapp/install?${new URLSearchParams(params)}`, emu.url));
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(CORP_A_INFO.name);
  expect(html).toContain(CORP_B.name);
  const done = await fetch(new URL('/3rdapp/install', emu.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, corpid: corpId }),
  });
  expect(done.status).toBe(302);
  return new URL(done.headers.get('location')!);
}

describe('suite emulator', () => {
  it('pushes an encrypted suite_ticket to the instruction URL (receiveid = suite id)', async () => {
    const push = await ctl.suite.pushTicket();
    expect(push.ok).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.receiveId).toBe(SUITE.suiteId);
    expect(field(received[0]!.message, 'InfoType')).toBe('suite_ticket');
    expect(field(received[0]!.message, 'SuiteTicket').length).toBeGreaterThan(20);
  });

  it('get_suite_token checks suite id, secret and ticket', async () => {
    await ctl.suite.pushTicket();
    const ticket = field(received[0]!.message, 'SuiteTicket');
    const call = (b: Record<string, string>) =>
      post('/cgi-bin/service/get_suite_token', {
        suite_id: SUITE.suiteId,
        suite_secret: SUITE.suiteSecret,
        suite_ticket: ticket,
        ...b,
      });
    expect((await call({ suite_id: 'wwnope' })).errcode).toBe(40083);
    expect((await call({ suite_secret: 'wrong' })).errcode).toBe(40080);
    expect((await call({ suite_ticket: 'forged' })).errcode).toBe(40085);
    const okRes = await call({});
    expect(okRes.errcode).toBe(0);
    expect(okRes.expires_in).toBe(7200);
    // The ticket lives 30 minutes.
    await ctl.advanceClock(31 * 60_000);
    expect((await call({})).errcode).toBe(40085);
  });

  it('suite token: 40082 unknown, 42009 expired; pre_auth_code 40077 / 42007', async () => {
    const token = await suiteToken();
    expect((await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: 'nope' })).errcode).toBe(
      40082,
    );
    const pre = await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: token });
    expect(pre.expires_in).toBe(1200);
    const session = (code: string) =>
      post(
        '/cgi-bin/service/set_session_info',
        { pre_auth_code: code, session_info: { auth_type: 1 } },
        { suite_access_token: token },
      );
    expect((await session('bogus')).errcode).toBe(40077);
    await ctl.advanceClock(1201_000);
    expect((await session(pre.pre_auth_code as string)).errcode).toBe(42007);
    await ctl.advanceClock(7200_000);
    expect((await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: token })).errcode).toBe(
      42009,
    );
  });

  it('install page refuses formal authorization of an unpublished app and foreign redirect hosts', async () => {
    const token = await suiteToken();
    const pre = (await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: token }))
      .pre_auth_code as string;
    const page = (redirect: string) =>
      fetch(
        new URL(
          `/3rdapp/install?${new URLSearchParams({ suite_id: SUITE.suiteId, pre_auth_code: pre, redirect_uri: redirect, state: 's' })}`,
          emu.url,
        ),
      );
    const formal = await page(`${receiverUrl}/installed`);
    expect(formal.status).toBe(400);
    expect(await formal.text()).toContain('set_session_info');
    await post(
      '/cgi-bin/service/set_session_info',
      { pre_auth_code: pre, session_info: { auth_type: 1 } },
      { suite_access_token: token },
    );
    expect((await page('https://evil.example.com/cb')).status).toBe(400);
    expect((await page(`${receiverUrl}/installed`)).status).toBe(200);
  });

  it('install → auth_code (single use) → permanent code → corp token that works on that corp only', async () => {
    const token = await suiteToken();
    const tokenQ = { suite_access_token: token };
    const codes: Record<string, { permanent: string; agentId: number }> = {};
    for (const corpId of [CORP_A_INFO.corpId, CORP_B.corpId]) {
      const back = await installVia(token, corpId);
      expect(back.searchParams.get('expires_in')).toBe('600');
      expect(back.searchParams.get('state')).toBe('st4te');
      const authCode = back.searchParams.get('auth_code')!;
      const res = await post('/cgi-bin/service/get_permanent_code', { auth_code: authCode }, tokenQ);
      expect(res.errcode).toBe(0);
      expect((res.auth_corp_info as { corpid: string }).corpid).toBe(corpId);
      const agent = (res.auth_info as { agent: { agentid: number }[] }).agent[0]!;
      codes[corpId] = { permanent: res.permanent_code as string, agentId: agent.agentid };
      expect(typeof res.access_token).toBe('string');
      expect(
        (await post('/cgi-bin/service/get_permanent_code', { auth_code: authCode }, tokenQ)).errcode,
      ).toBe(40078);
    }
    const corpToken = async (corpId: string) =>
      (
        await post(
          '/cgi-bin/service/get_corp_token',
          { auth_corpid: corpId, permanent_code: codes[corpId]!.permanent },
          tokenQ,
        )
      ).access_token as string;
    expect(
      (
        await post(
          '/cgi-bin/service/get_corp_token',
          { auth_corpid: CORP_B.corpId, permanent_code: codes[CORP_A_INFO.corpId]!.permanent },
          tokenQ,
        )
      ).errcode,
    ).toBe(40084);
    const tokenA = await corpToken(CORP_A_INFO.corpId);
    const tokenB = await corpToken(CORP_B.corpId);
    const listA = await get('/cgi-bin/externalcontact/list', { access_token: tokenA, userid: 'zhangwei' });
    expect(listA.external_userid as string[]).toContain(WELL_KNOWN.linXiaomei);
    const listB = await get('/cgi-bin/externalcontact/list', { access_token: tokenB, userid: 'sunli' });
    expect(listB.errcode).toBe(0);
    expect(listB.external_userid as string[]).toContain(CORP_B_WELL_KNOWN.heXiaoyu);
    // Corp B's token sees nothing of corp A, and the other way round.
    const crossB = await get('/cgi-bin/externalcontact/get', {
      access_token: tokenB,
      external_userid: WELL_KNOWN.linXiaomei,
    });
    expect(crossB.errcode).not.toBe(0);
    const crossA = await get('/cgi-bin/externalcontact/get', {
      access_token: tokenA,
      external_userid: CORP_B_WELL_KNOWN.heXiaoyu,
    });
    expect(crossA.errcode).not.toBe(0);
    // Per-corp jsapi tickets.
    const ticketB = await get('/cgi-bin/get_jsapi_ticket', { access_token: tokenB });
    const agentTicketB = await get('/cgi-bin/ticket/get', { access_token: tokenB, type: 'agent_config' });
    expect(ticketB.errcode).toBe(0);
    expect(agentTicketB.errcode).toBe(0);
    const info = await post(
      '/cgi-bin/service/get_auth_info',
      { auth_corpid: CORP_B.corpId, permanent_code: codes[CORP_B.corpId]!.permanent },
      tokenQ,
    );
    expect((info.auth_info as { agent: { agentid: number }[] }).agent[0]!.agentid).toBe(
      codes[CORP_B.corpId]!.agentId,
    );
    const v2 = await post('/cgi-bin/service/v2/get_permanent_code', { auth_code: 'x'.repeat(64) }, tokenQ);
    expect(v2.errcode).toBe(40078);
  });

  it('a corp token of the suite gets userids for member names (user/get, groupchat/get); customers keep names', async () => {
    const token = await suiteToken();
    const tokenQ = { suite_access_token: token };
    const authCode = (await installVia(token, CORP_B.corpId)).searchParams.get('auth_code')!;
    const permanent = (await post('/cgi-bin/service/get_permanent_code', { auth_code: authCode }, tokenQ))
      .permanent_code as string;
    const corpToken = (
      await post(
        '/cgi-bin/service/get_corp_token',
        { auth_corpid: CORP_B.corpId, permanent_code: permanent },
        tokenQ,
      )
    ).access_token as string;

    const user = await get('/cgi-bin/user/get', { access_token: corpToken, userid: 'sunli' });
    expect(user).toMatchObject({ errcode: 0, userid: 'sunli', name: 'sunli' });

    const chat = await post(
      '/cgi-bin/externalcontact/groupchat/get',
      { chat_id: CORP_B_WELL_KNOWN.chat, need_name: 1 },
      { access_token: corpToken },
    );
    expect(chat.errcode).toBe(0);
    const members = (chat.group_chat as { member_list: { userid: string; type: number; name: string }[] })
      .member_list;
    expect(members.filter((m) => m.type === 1).map((m) => [m.userid, m.name])).toEqual([
      ['sunli', 'sunli'],
      ['zhoumin', 'zhoumin'],
    ]);
    expect(members.find((m) => m.userid === CORP_B_WELL_KNOWN.heXiaoyu)?.name).toBe('何晓雨');

    // A self-built app's token (gettoken) still gets the real names.
    const own = await get('/cgi-bin/gettoken', {
      corpid: CORP_A_INFO.corpId,
      corpsecret: DEMO_AGENT_SECRET,
    });
    const zhang = await get('/cgi-bin/user/get', {
      access_token: own.access_token as string,
      userid: 'zhangwei',
    });
    expect(zhang.name).toBe('张伟');
  });

  it('marketplace install pushes create_auth; cancel_auth revokes the corp', async () => {
    const token = await suiteToken();
    const push = await ctl.suite.install(CORP_B.corpId, 'mkt');
    expect(push.ok).toBe(true);
    const msg = received.at(-1)!.message;
    expect(field(msg, 'InfoType')).toBe('create_auth');
    const res = await post(
      '/cgi-bin/service/v2/get_permanent_code',
      { auth_code: field(msg, 'AuthCode') },
      { suite_access_token: token },
    );
    expect(res.errcode).toBe(0);
    expect(res.auth_info).toBeUndefined();
    const pc = res.permanent_code as string;
    const corpToken = await post(
      '/cgi-bin/service/get_corp_token',
      { auth_corpid: CORP_B.corpId, permanent_code: pc },
      { suite_access_token: token },
    );
    await ctl.suite.cancelAuth(CORP_B.corpId);
    expect(field(received.at(-1)!.message, 'InfoType')).toBe('cancel_auth');
    expect(field(received.at(-1)!.message, 'AuthCorpId')).toBe(CORP_B.corpId);
    const after = await post(
      '/cgi-bin/service/get_corp_token',
      { auth_corpid: CORP_B.corpId, permanent_code: pc },
      { suite_access_token: token },
    );
    expect(after.errcode).toBe(40084);
    const list = await get('/cgi-bin/externalcontact/list', {
      access_token: corpToken.access_token as string,
      userid: 'sunli',
    });
    expect(list.errcode).not.toBe(0);
  });

  it('data events go to the data URL with $CORPID$ replaced, encrypted for that corp', async () => {
    await ctl.suite.dataEvent({
      corpId: CORP_B.corpId,
      changeType: 'add_external_contact',
      userId: 'sunli',
      externalUserId: CORP_B_WELL_KNOWN.fengLei,
    });
    const last = received.at(-1)!;
    expect(last.path).toContain(`corpid=${CORP_B.corpId}`);
    expect(last.receiveId).toBe(CORP_B.corpId);
    expect(field(last.message, 'Event')).toBe('change_external_contact');
  });

  it('OAuth with the suite id as appid → getuserinfo3rd (corpid, userid, open_userid) → getuserdetail3rd', async () => {
    const token = await suiteToken();
    const back = await installVia(token, CORP_B.corpId);
    await post(
      '/cgi-bin/service/get_permanent_code',
      { auth_code: back.searchParams.get('auth_code') },
      { suite_access_token: token },
    );
    await ctl.suite.setClientCorp(CORP_B.corpId);
    const auth = await fetch(
      new URL(
        `/connect/oauth2/authorize?${new URLSearchParams({ appid: SUITE.suiteId, redirect_uri: `${receiverUrl}/cb`, response_type: 'code', scope: 'snsapi_privateinfo', state: 'x' })}`,
        emu.url,
      ),
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const code = new URL(auth.headers.get('location')!).searchParams.get('code')!;
    const info = await get('/cgi-bin/service/auth/getuserinfo3rd', { suite_access_token: token, code });
    expect(info).toMatchObject({ errcode: 0, corpid: CORP_B.corpId, userid: 'sunli' });
    expect(info.open_userid).toMatch(/^wo/);
    expect(
      (await get('/cgi-bin/service/auth/getuserinfo3rd', { suite_access_token: token, code })).errcode,
    ).toBe(40029);
    const detail = await post(
      '/cgi-bin/service/auth/getuserdetail3rd',
      { user_ticket: info.user_ticket },
      { suite_access_token: token },
    );
    expect(detail).toMatchObject({ errcode: 0, corpid: CORP_B.corpId, userid: 'sunli', name: 'sunli' });
    // A corp that has not installed the app gets no code.
    await ctl.suite.setClientCorp(CORP_A_INFO.corpId);
    const refused = await fetch(
      new URL(
        `/connect/oauth2/authorize?appid=${SUITE.suiteId}&redirect_uri=${encodeURIComponent(`${receiverUrl}/cb`)}`,
        emu.url,
      ),
      { redirect: 'manual' },
    );
    expect(refused.status).toBe(403);
  });

  it('its crypto agrees with the official algorithm (signature over the sorted strings)', () => {
    const enc = encryptMessage(SUITE.encodingAesKey, 'hi', SUITE.suiteId);
    expect(msgSignature('b', 'a', 'c', 'd')).toBe(msgSignature('d', 'c', 'b', 'a'));
    expect(
      openPush(
        new URLSearchParams({
          timestamp: '1',
          nonce: '2',
          msg_signature: msgSignature(SUITE.token, '1', '2', enc),
        }),
        `<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
      ),
    ).toEqual({
      message: 'hi',
      receiveId: SUITE.suiteId,
    });
  });
});
