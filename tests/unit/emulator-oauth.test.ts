import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { APPS, CORP_ID, DEMO_AGENT_SECRET, DOMAIN_VERIFY_CODE, WELL_KNOWN } from '@/emulator/seed';

const START = Date.UTC(2026, 2, 1, 1, 0, 0);
let clock = START;
let emu: RunningEmulator;
let ctl: EmulatorControl;
const APP = 'http://app.example.test:3000';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test:3000'], now: () => clock });
  ctl = emulatorControl(emu.url);
});
afterAll(() => emu.close());
beforeEach(async () => {
  clock = START;
  await ctl.reset();
});

async function token(agentId = '1000002'): Promise<string> {
  const secret = APPS.find((a) => a.agentId === agentId)!.secret;
  const r = (await (
    await fetch(`${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${secret}`)
  ).json()) as Json;
  return r.access_token as string;
}

async function getuserinfo(code: string, t?: string): Promise<Json> {
  const res = await fetch(
    `${emu.url}/cgi-bin/auth/getuserinfo?access_token=${t ?? (await token())}&code=${code}`,
  );
  return (await res.json()) as Json;
}

async function getuserdetail(userTicket: string): Promise<Json> {
  const res = await fetch(`${emu.url}/cgi-bin/auth/getuserdetail?access_token=${await token()}`, {
    method: 'POST',
    body: JSON.stringify({ user_ticket: userTicket }),
  });
  return (await res.json()) as Json;
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL('/connect/oauth2/authorize', emu.url);
  const all = { appid: CORP_ID, response_type: 'code', scope: 'snsapi_base', agentid: '1000002', ...params };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return `${url.toString()}#wechat_redirect`;
}

async function codeFrom(res: Response): Promise<{ location: URL; code: string }> {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { location, code: location.searchParams.get('code')! };
}

describe('OAuth authorize', () => {
  it('snsapi_base redirects silently with code and state, keeping the redirect query', async () => {
    const res = await fetch(
      authorizeUrl({ redirect_uri: `${APP}/api/auth/callback?returnTo=%2Fsidebar`, state: 'st ate&x=1' }),
      { redirect: 'manual' },
    );
    const { location, code } = await codeFrom(res);
    expect(location.origin).toBe(APP);
    expect(location.pathname).toBe('/api/auth/callback');
    expect(location.searchParams.get('returnTo')).toBe('/sidebar');
    expect(location.searchParams.get('state')).toBe('st ate&x=1');
    expect(code).toMatch(/^[A-Za-z0-9_-]{20,512}$/);
    const info = await getuserinfo(code);
    expect(info).toEqual({ errcode: 0, errmsg: 'ok', userid: 'zhangwei' });
  });

  it('codes are single-use (second exchange → 40029)', async () => {
    const { code } = await codeFrom(
      await fetch(authorizeUrl({ redirect_uri: `${APP}/cb` }), { redirect: 'manual' }),
    );
    expect((await getuserinfo(code)).errcode).toBe(0);
    const again = await getuserinfo(code);
    expect(again.errcode).toBe(40029);
    expect(again.errmsg).toMatch(/^invalid code, hint: \[\d{25}\], from ip: /);
  });

  it('codes expire after 5 minutes (40029)', async () => {
    const { code } = await codeFrom(
      await fetch(authorizeUrl({ redirect_uri: `${APP}/cb` }), { redirect: 'manual' }),
    );
    const t = await token();
    clock += 300_001;
    expect((await getuserinfo(code, t)).errcode).toBe(40029);
  });

  it("a code issued for one app does not work with another app's token", async () => {
    const { code } = await codeFrom(
      await fetch(authorizeUrl({ redirect_uri: `${APP}/cb` }), { redirect: 'manual' }),
    );
    expect((await getuserinfo(code, await token('1000003'))).errcode).toBe(40029);
  });

  it('logs in as the simulated client’s current employee', async () => {
    await ctl.setClient({ userId: 'lina' });
    const { code } = await codeFrom(
      await fetch(authorizeUrl({ redirect_uri: `${APP}/cb` }), { redirect: 'manual' }),
    );
    expect((await getuserinfo(code)).userid).toBe('lina');
  });

  it('an untrusted redirect_uri gets the WeCom error page and no code', async () => {
    const res = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example.com/cb', state: 's' }), {
      redirect: 'manual',
    });
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('<title>企业微信</title>');
    expect(page).toContain('redirect_uri 参数错误');
    expect(page).toContain('请在企业微信可信域名下访问');
    expect(page).not.toMatch(/code=/);
    // The port is part of the trusted domain.
    const otherPort = await fetch(authorizeUrl({ redirect_uri: 'http://app.example.test:3001/cb' }), {
      redirect: 'manual',
    });
    expect(otherPort.status).toBe(200);
    expect(await otherPort.text()).toContain('redirect_uri 参数错误');
  });

  it('snsapi_privateinfo shows a consent page; allowing yields a code with user_ticket', async () => {
    const url = authorizeUrl({ redirect_uri: `${APP}/cb`, scope: 'snsapi_privateinfo', state: 'p1' });
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(200);
    const page = await consent.text();
    expect(page).toContain('客户侧边栏');
    expect(page).toContain('snsapi_privateinfo');
    expect(page).toContain('同意');
    const form = new URLSearchParams(new URL(url).search);
    form.set('consent', 'allow');
    const allowed = await fetch(`${emu.url}/connect/oauth2/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const { location, code } = await codeFrom(allowed);
    expect(location.searchParams.get('state')).toBe('p1');
    const info = await getuserinfo(code);
    expect(info.userid).toBe('zhangwei');
    expect(info.user_ticket).toMatch(/^[A-Za-z0-9_-]{20,512}$/);

    const detail = await getuserdetail(info.user_ticket);
    expect(detail).toMatchObject({ errcode: 0, userid: 'zhangwei', gender: '1' });
    expect(typeof detail.gender).toBe('string');
    expect(detail.avatar).toMatch(/\/wecom-emulator\/avatars\/zhangwei\.svg$/);
    expect(detail.mobile).toBeTruthy();

    // user_ticket lives 1800 s.
    clock += 1_800_001;
    const t = await token();
    const res = await fetch(`${emu.url}/cgi-bin/auth/getuserdetail?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify({ user_ticket: info.user_ticket }),
    });
    expect(((await res.json()) as Json).errcode).toBe(84014);
  });

  it('deny redirects without a code; snsapi_privateinfo without agentid is snsapi_base', async () => {
    const form = new URLSearchParams({
      appid: CORP_ID,
      redirect_uri: `${APP}/cb`,
      response_type: 'code',
      scope: 'snsapi_privateinfo',
      agentid: '1000002',
      state: 'd',
      consent: 'deny',
    });
    const denied = await fetch(`${emu.url}/connect/oauth2/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(denied.status).toBe(302);
    expect(new URL(denied.headers.get('location')!).searchParams.has('code')).toBe(false);

    const url = new URL(authorizeUrl({ redirect_uri: `${APP}/cb`, scope: 'snsapi_privateinfo' }));
    url.searchParams.delete('agentid');
    const { code } = await codeFrom(await fetch(url, { redirect: 'manual' }));
    const info = await getuserinfo(code);
    expect(info.userid).toBe('zhangwei');
    expect(info).not.toHaveProperty('user_ticket');
  });

  it('getuserdetail: 84015 for an unknown ticket', async () => {
    expect((await getuserdetail('not-a-ticket')).errcode).toBe(84015);
  });
});

describe('web login', () => {
  const loginUrl = () => {
    const url = new URL('/wwlogin/sso/login', emu.url);
    url.search = new URLSearchParams({
      login_type: 'CorpApp',
      appid: CORP_ID,
      agentid: '1000002',
      redirect_uri: `${APP}/api/auth/callback`,
      state: 'w/1',
    }).toString();
    return url;
  };

  it('shows an employee picker with the current employee highlighted', async () => {
    const res = await fetch(loginUrl());
    const page = await res.text();
    expect(page).toContain('企业微信登录');
    for (const name of ['张伟', '李娜', '王芳', '刘洋', '陈静', '赵磊']) expect(page).toContain(name);
    expect(page).toMatch(/class="emp current" data-userid="zhangwei"/);
  });

  it('choosing an employee redirects with a web-login code (userid only)', async () => {
    const form = new URLSearchParams(loginUrl().search);
    form.set('userid', 'wangfang');
    const res = await fetch(`${emu.url}/wwlogin/sso/login`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const { location, code } = await codeFrom(res);
    expect(location.searchParams.get('state')).toBe('w/1');
    expect(await getuserinfo(code)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'wangfang' });
  });

  it('rejects an untrusted redirect_uri', async () => {
    const url = loginUrl();
    url.searchParams.set('redirect_uri', 'https://elsewhere.example/cb');
    const page = await (await fetch(url)).text();
    expect(page).toContain('redirect_uri 参数错误');
  });
});

describe('JS-SDK bridge verification', () => {
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
  const sign = (ticket: string, nonce: string, ts: number, url: string) =>
    sha1(`jsapi_ticket=${ticket}&noncestr=${nonce}&timestamp=${ts}&url=${url}`);

  async function tickets() {
    const t = await token();
    const corp = (await (
      await fetch(`${emu.url}/cgi-bin/get_jsapi_ticket?access_token=${t}`)
    ).json()) as Json;
    const agent = (await (
      await fetch(`${emu.url}/cgi-bin/ticket/get?access_token=${t}&type=agent_config`)
    ).json()) as Json;
    return { corp: corp.ticket as string, agent: agent.ticket as string };
  }

  const page = `${APP}/sidebar?entry=single`;
  const ts = Math.floor(START / 1000);

  it('accepts a correct signature and rejects a wrong one', async () => {
    const { corp, agent } = await tickets();
    const agentOk = await ctl.verify({
      kind: 'agentConfig',
      url: `${page}#frag`,
      corpId: CORP_ID,
      agentId: '1000002',
      nonceStr: 'n0nce',
      timestamp: ts,
      signature: sign(agent, 'n0nce', ts, page),
    });
    expect(agentOk).toEqual({
      ok: true,
      errMsg: 'agentConfig:ok',
      reply: { err_msg: 'agentConfig:ok', checkResult: {} },
    });
    const configOk = await ctl.verify({
      kind: 'config',
      url: page,
      corpId: CORP_ID,
      nonceStr: 'abc',
      timestamp: String(ts),
      signature: sign(corp, 'abc', ts, page),
    });
    expect(configOk).toEqual({ ok: true, errMsg: 'config:ok', reply: { err_msg: 'config:ok' } });
    // The corp ticket does not sign agentConfig: 42012, a ticket of the wrong kind.
    const crossed = await ctl.verify({
      kind: 'agentConfig',
      url: page,
      corpId: CORP_ID,
      agentId: '1000002',
      nonceStr: 'abc',
      timestamp: ts,
      signature: sign(corp, 'abc', ts, page),
    });
    expect(crossed).toMatchObject({
      ok: false,
      failure: 'ticket',
      errcode: 42012,
      reply: { err_msg: 'agentConfig:fail_invalid jsapi_ticket' },
    });
    const wrong = await ctl.verify({
      kind: 'config',
      url: page,
      corpId: CORP_ID,
      nonceStr: 'abc',
      timestamp: ts,
      signature: '0'.repeat(40),
    });
    expect(wrong).toMatchObject({
      ok: false,
      failure: 'signature',
      errcode: 40093,
      reply: { err_msg: 'config:fail_invalid signature' },
    });
    expect((await ctl.state()).counters['bridge/verify']).toBe(4);
  });

  it('rejects after tickets/rotate, for an untrusted page domain, and with the switch', async () => {
    const { agent } = await tickets();
    const body = {
      kind: 'agentConfig',
      url: page,
      corpId: CORP_ID,
      agentId: '1000002',
      nonceStr: 'x',
      timestamp: ts,
      signature: sign(agent, 'x', ts, page),
    };
    await ctl.switches({ agentConfigFailure: 'signature' });
    expect((await ctl.verify(body)).ok).toBe(false);
    await ctl.switches({ agentConfigFailure: null });
    expect((await ctl.verify(body)).ok).toBe(true);
    const other = 'https://evil.example/sidebar';
    const foreign = await ctl.verify({
      ...body,
      url: other,
      signature: sign(agent, 'x', ts, other),
    });
    expect(foreign).toMatchObject({
      ok: false,
      failure: 'domain',
      errcode: 80001,
      reply: { err_msg: 'agentConfig:fail_invalid url domain' },
    });
    await ctl.rotateTickets();
    expect((await ctl.verify(body)).ok).toBe(false);
  });
});

describe('control API', () => {
  it('health, client context, conversations and employees', async () => {
    expect(await ctl.health()).toEqual({ ok: true });
    const client = await ctl.client();
    expect(client).toEqual({
      userId: 'zhangwei',
      entry: 'single_chat_tools',
      externalUserId: WELL_KNOWN.linXiaomei,
      chatId: null,
      flavour: null,
      version: null,
      formats: {},
    });
    const next = await ctl.setClient({
      entry: 'group_chat_tools',
      chatId: WELL_KNOWN.vipChat,
      externalUserId: null,
    });
    expect(next).toMatchObject({
      entry: 'group_chat_tools',
      chatId: WELL_KNOWN.vipChat,
      externalUserId: null,
    });
    const bad = await fetch(`${emu.url}/wecom-emulator/client`, {
      method: 'POST',
      body: JSON.stringify({ userId: 'x' }),
    });
    expect(bad.status).toBe(400);

    const conv = await ctl.conversations('zhangwei');
    expect(conv.employee).toMatchObject({ userid: 'zhangwei', name: '张伟' });
    const singles = (conv.conversations as Json[]).filter((c) => c.kind === 'single');
    const groups = (conv.conversations as Json[]).filter((c) => c.kind === 'group');
    expect(singles.map((c) => c.externalUserId)).toContain(WELL_KNOWN.linXiaomei);
    expect(singles.map((c) => c.externalUserId)).not.toContain(WELL_KNOWN.onlyLina);
    expect(groups.map((c) => c.chatId)).toContain(WELL_KNOWN.vipChat);
    expect(groups.map((c) => c.chatId)).not.toContain(WELL_KNOWN.channelChat);
    expect(groups[0]!.memberCount).toBeGreaterThan(1);
    const employees = await ctl.employees();
    expect(employees.employees).toHaveLength(6);
  });

  it('serves avatars, the domain verification code, the bridge script and chat messages', async () => {
    const svg = await fetch(`${emu.url}/wecom-emulator/avatars/${WELL_KNOWN.linXiaomei}.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const text = await svg.text();
    expect(text).toContain('<circle');
    expect(text).toContain('林');
    expect((await fetch(`${emu.url}/wecom-emulator/avatars/nobody.svg`)).status).toBe(404);
    expect(await ctl.domainVerification()).toEqual({
      fileName: `WW_verify_${DOMAIN_VERIFY_CODE}.txt`,
      content: DOMAIN_VERIFY_CODE,
    });
    const script = await fetch(`${emu.url}/wecom-emulator/bridge.js`);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
    await script.text();

    await ctl.postMessage({
      target: { externalUserId: WELL_KNOWN.linXiaomei },
      fromUserId: 'zhangwei',
      msgtype: 'text',
      text: { content: '您好' },
    });
    const list = await ctl.messages({ externalUserId: WELL_KNOWN.linXiaomei });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      fromUserId: 'zhangwei',
      msgtype: 'text',
      text: { content: '您好' },
    });
    await ctl.reset();
    expect(await ctl.messages()).toEqual([]);
  });

  it('clock advance expires tokens', async () => {
    const t = await token();
    await ctl.advanceClock(7200_000);
    const res = await fetch(`${emu.url}/cgi-bin/user/get?access_token=${t}&userid=zhangwei`);
    const body = (await res.json()) as Json;
    expect(body.errcode).toBe(42001);
    expect(body.errmsg).toBe(
      'access_token expired, more info at https://open.work.weixin.qq.com/devtool/query?e=42001',
    );
    expect(await token()).not.toBe(t);
    expect(DEMO_AGENT_SECRET).toBe(APPS[0]!.secret);
  });
});
