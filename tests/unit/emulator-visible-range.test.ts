import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { APPS, CORP_ID, DEMO_AGENT_ID, DEMO_AGENT_SECRET, DOC_IDS, WELL_KNOWN } from '@/emulator/seed';

// The app's visible range (可见范围), per wecom-crm.md §7 (DOC 92114, 92120/92122, GOWX 40096/60011/60111) and
// wecom-platform.md §1.4 / §9.1 (user_ticket and snsapi_privateinfo only inside the range).

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let emu: RunningEmulator;

async function control(path: string, body?: unknown, method = 'POST'): Promise<Json> {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as Json) };
}

async function cgi(path: string, query: Record<string, string>, body?: unknown): Promise<Json> {
  const url = new URL(`/cgi-bin/${path}`, emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function token(secret = DEMO_AGENT_SECRET): Promise<string> {
  return (await cgi('gettoken', { corpid: CORP_ID, corpsecret: secret })).access_token as string;
}

/** Sales (department 2) only: 刘洋 and 陈静 of 客户服务部 (department 3) fall outside. */
const SALES_ONLY = { party: [2] };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test'] });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control('reset');
});

describe('visible range control', () => {
  it('starts as the whole corp and resolves departments to members', async () => {
    const range = await control('visible-range', undefined, 'GET');
    expect(range).toMatchObject({
      party: [1],
      user: [],
      tag: [],
      customerErrcode: 40096,
      memberErrcode: 60011,
    });
    expect(range.members).toEqual(['zhangwei', 'lina', 'wangfang', 'liuyang', 'chenjing', 'zhaolei']);
    expect(range.clientInRange).toBe(true);
    const narrowed = await control('visible-range', { party: [2], user: ['chenjing'] });
    expect(narrowed.members).toEqual(['zhangwei', 'lina', 'wangfang', 'chenjing', 'zhaolei']);
    expect((await control('state', undefined, 'GET')).visibleRange.members).toEqual(narrowed.members);
    await control('client', { userId: 'liuyang' });
    expect((await control('visible-range', undefined, 'GET')).clientInRange).toBe(false);
  });

  it('refuses malformed settings with a 400', async () => {
    expect((await control('visible-range', { party: ['2'] })).status).toBe(400);
    expect((await control('visible-range', { customerErrcode: 1 })).status).toBe(400);
  });
});

describe('APIs with a narrowed visible range', () => {
  it('externalcontact/get leaves out-of-range followers out of follow_user', async () => {
    const t = await token();
    // 林晓梅 is followed by zhangwei, lina, wangfang; with only zhangwei in range just zhangwei remains.
    await control('visible-range', { party: [], user: ['zhangwei'] });
    const r = await cgi('externalcontact/get', { access_token: t, external_userid: WELL_KNOWN.linXiaomei });
    expect(r.errcode).toBe(0);
    expect(r.follow_user.map((f: Json) => f.userid)).toEqual(['zhangwei']);
  });

  it('a customer with no follower in range is 40096, or 60011 with the empty payload', async () => {
    const t = await token();
    await control('visible-range', { party: [], user: ['zhangwei'] });
    const r = await cgi('externalcontact/get', { access_token: t, external_userid: WELL_KNOWN.onlyLina });
    expect(r.errcode).toBe(40096);
    expect(r.errmsg).toContain(`invalid string value \`${WELL_KNOWN.onlyLina}\`. invalid external userid`);
    await control('visible-range', { customerErrcode: 60011 });
    const old = await cgi('externalcontact/get', { access_token: t, external_userid: WELL_KNOWN.onlyLina });
    expect(old).toMatchObject({ errcode: 60011, external_contact: {}, follow_user: [] });
    expect(old.errmsg).toMatch(/^no privilege to access\/modify contact\/party\/agent, hint: \[/);
  });

  it('user/get: 60011 (or 60111) for members outside; apps outside 客户联系 still see everyone', async () => {
    await control('visible-range', SALES_ONLY);
    const t = await token();
    expect((await cgi('user/get', { access_token: t, userid: 'zhangwei' })).errcode).toBe(0);
    expect((await cgi('user/get', { access_token: t, userid: 'liuyang' })).errcode).toBe(60011);
    await control('visible-range', { memberErrcode: 60111 });
    const r = await cgi('user/get', { access_token: t, userid: 'liuyang' });
    expect(r.errcode).toBe(60111);
    expect(r.errmsg).toContain('userid not found');
    const other = await token(APPS.find((a) => a.agentId === '1000004')!.secret);
    expect((await cgi('user/get', { access_token: other, userid: 'liuyang' })).errcode).toBe(0);
  });

  it('externalcontact/list and groupchat/get refuse out-of-range members and owners with 60011', async () => {
    await control('visible-range', SALES_ONLY);
    const t = await token();
    expect((await cgi('externalcontact/list', { access_token: t, userid: 'liuyang' })).errcode).toBe(60011);
    const tech = 'wrXk3Pq8RmT2vLw9Ys4Zn7Bc1Df6Gh0J'; // owned by 刘洋
    expect((await cgi('externalcontact/groupchat/get', { access_token: t }, { chat_id: tech })).errcode).toBe(
      60011,
    );
    const docChat = await cgi(
      'externalcontact/groupchat/get',
      { access_token: t },
      { chat_id: DOC_IDS.chat },
    );
    expect(docChat.errcode).toBe(0);
  });

  it('batch/get_by_user returns nothing for out-of-range members', async () => {
    await control('visible-range', SALES_ONLY);
    const t = await token();
    const r = await cgi(
      'externalcontact/batch/get_by_user',
      { access_token: t },
      { userid_list: ['liuyang'] },
    );
    expect(r).toMatchObject({ errcode: 0, external_contact_list: [], next_cursor: '' });
  });
});

describe('sign-in with a narrowed visible range', () => {
  async function authorize(scope: string, consent?: string): Promise<Response> {
    const url = new URL('/connect/oauth2/authorize', emu.url);
    url.searchParams.set('appid', CORP_ID);
    url.searchParams.set('redirect_uri', 'https://app.example.test/api/auth/callback');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', scope);
    url.searchParams.set('agentid', DEMO_AGENT_ID);
    url.searchParams.set('state', 'abc');
    if (consent) url.searchParams.set('consent', consent);
    return fetch(url, { redirect: 'manual' });
  }
  const codeOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('code')!;

  it('snsapi_privateinfo stops on WeCom’s 50002 page; snsapi_base gives a userid without user_ticket', async () => {
    await control('client', { userId: 'liuyang' });
    await control('visible-range', SALES_ONLY);
    const page = await authorize('snsapi_privateinfo');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('成员不在权限范围');
    expect(html).toContain('50002');
    const base = await authorize('snsapi_base');
    expect(base.status).toBe(302);
    const info = await cgi('auth/getuserinfo', { access_token: await token(), code: codeOf(base) });
    expect(info).toMatchObject({ errcode: 0, userid: 'liuyang' });
    expect(info).not.toHaveProperty('user_ticket');
  });

  it('a member who consented and then left the range gets no user_ticket', async () => {
    await control('client', { userId: 'liuyang' });
    const consented = await authorize('snsapi_privateinfo', 'allow');
    await control('visible-range', SALES_ONLY);
    const info = await cgi('auth/getuserinfo', { access_token: await token(), code: codeOf(consented) });
    expect(info.userid).toBe('liuyang');
    expect(info).not.toHaveProperty('user_ticket');
  });

  it('a visitor from outside the corp gets openid (and external_userid when a customer)', async () => {
    await control('oauth/visitor', { externalUserId: WELL_KNOWN.linXiaomei });
    const res = await authorize('snsapi_base');
    const info = await cgi('auth/getuserinfo', { access_token: await token(), code: codeOf(res) });
    expect(info).toMatchObject({ errcode: 0, external_userid: WELL_KNOWN.linXiaomei });
    expect(info.openid).toMatch(/^oVisitor/);
    expect(info).not.toHaveProperty('userid');
    await control('oauth/visitor', { externalUserId: null });
    const anon = await cgi('auth/getuserinfo', {
      access_token: await token(),
      code: codeOf(await authorize('snsapi_base')),
    });
    expect(Object.keys(anon).sort()).toEqual(['errcode', 'errmsg', 'openid']);
  });
});
