import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { APPS, CORP_ID, DEMO_AGENT_SECRET, TAG, TAG_GROUPS, WELL_KNOWN } from '@/emulator/seed';

const START = Date.UTC(2026, 0, 15, 2, 0, 0);
let clock = START;
let emu: RunningEmulator;
let ctl: EmulatorControl;

const secretOf = (agentId: string) => APPS.find((a) => a.agentId === agentId)!.secret;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(path: string, query: Record<string, string> = {}): Promise<Json> {
  const url = new URL(`/cgi-bin/${path}`, emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function post(path: string, token: string, body: unknown): Promise<Json> {
  const res = await fetch(`${emu.url}/cgi-bin/${path}?access_token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function token(agentId = '1000002'): Promise<string> {
  const r = await get('gettoken', { corpid: CORP_ID, corpsecret: secretOf(agentId) });
  expect(r.errcode).toBe(0);
  return r.access_token as string;
}

const ERRMSG_RE =
  /^[^,]+(, .+)?, hint: \[\d{25}\], from ip: [\d.:a-f]+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=-?\d+$/;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test'], now: () => clock });
  ctl = emulatorControl(emu.url);
});
afterAll(() => emu.close());
beforeEach(async () => {
  clock = START;
  await ctl.reset();
});

describe('gettoken', () => {
  it('returns a long random token, stable within its validity and new after expiry', async () => {
    const first = await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET });
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(first.access_token).toMatch(/^[A-Za-z0-9_-]{64,512}$/);
    clock += 3600_000;
    const again = await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET });
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(3600);
    clock += 3600_000 + 1;
    const expired = await get('user/get', { access_token: first.access_token, userid: 'zhangwei' });
    expect(expired.errcode).toBe(42001);
    const fresh = await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET });
    expect(fresh.access_token).not.toBe(first.access_token);
    expect(fresh.expires_in).toBe(7200);
  });

  it('bans an IP for 60 minutes after about 2000 failed calls in an hour (45009), even for the right secret', async () => {
    const wrong = `${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=wrong-secret`;
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => fetch(wrong).then((r) => r.json() as Promise<Json>)),
      );
      expect(answers.every((a) => a.errcode === 40001)).toBe(true);
      clock += 60_000;
    }
    // The 2000th failure came in the last batch, 19 minutes in: banned until 79 minutes in.
    expect((await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET })).errcode).toBe(45009);
    clock += 59 * 60_000 - 1;
    expect((await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET })).errcode).toBe(45009);
    clock += 1;
    expect((await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET })).errcode).toBe(0);
  });

  it('gives each app its own token', async () => {
    expect(await token('1000002')).not.toBe(await token('1000003'));
  });

  it('answers 40013 / 40001 / 41002 / 41004 in the real errmsg format with Error-Code headers', async () => {
    const res = await fetch(`${emu.url}/cgi-bin/gettoken?corpid=wwnotmycorp&corpsecret=${DEMO_AGENT_SECRET}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('error-code')).toBe('40013');
    const body = (await res.json()) as Json;
    expect(body.errcode).toBe(40013);
    expect(body.errmsg).toMatch(ERRMSG_RE);
    expect(body.errmsg).toMatch(/^invalid corpid, hint: /);
    expect(res.headers.get('error-msg')).toBe(body.errmsg);
    expect((await get('gettoken', { corpid: CORP_ID, corpsecret: 'wrong' })).errcode).toBe(40001);
    expect((await get('gettoken', { corpsecret: DEMO_AGENT_SECRET })).errcode).toBe(41002);
    expect((await get('gettoken', { corpid: CORP_ID })).errcode).toBe(41004);
  });

  it('invalidSecret switch makes gettoken answer 40001', async () => {
    await ctl.switches({ invalidSecret: true });
    const r = await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET });
    expect(r.errcode).toBe(40001);
    expect(r.errmsg).toMatch(/^invalid credential, hint/);
  });
});

describe('access_token checks', () => {
  it('41001 without a token, 40014 for an unknown one', async () => {
    const missing = await get('user/get', { userid: 'zhangwei' });
    expect(missing.errcode).toBe(41001);
    expect(missing.errmsg).toMatch(/^access_token missing, hint/);
    const bad = await get('user/get', { access_token: 'not-a-token', userid: 'zhangwei' });
    expect(bad.errcode).toBe(40014);
    expect(bad.errmsg).toMatch(ERRMSG_RE);
  });

  it('tokens/revoke makes the old token answer 40014 and gettoken issue a new one', async () => {
    const old = await token();
    await ctl.revokeTokens();
    expect((await get('user/get', { access_token: old, userid: 'zhangwei' })).errcode).toBe(40014);
    const fresh = await token();
    expect(fresh).not.toBe(old);
    expect((await get('user/get', { access_token: fresh, userid: 'zhangwei' })).errcode).toBe(0);
  });

  it("301002 for another agent's token on agent-specific calls", async () => {
    const sync = await token('1000003');
    const r = await get('ticket/get', { access_token: sync, type: 'agent_config', agentid: '1000002' });
    expect(r.errcode).toBe(301002);
    expect(r.errmsg).toMatch(/^not allow operate another agent with this accesstoken\., hint/);
    expect((await get('agent/get', { access_token: sync, agentid: '1000002' })).errcode).toBe(301002);
    expect((await get('agent/get', { access_token: sync, agentid: '1000003' })).errcode).toBe(0);
  });
});

describe('jsapi tickets', () => {
  it('are distinct per kind, stable within validity, new after rotation', async () => {
    const t = await token();
    const corp1 = await get('get_jsapi_ticket', { access_token: t });
    const agent1 = await get('ticket/get', { access_token: t, type: 'agent_config' });
    expect(corp1).toMatchObject({ errcode: 0, expires_in: 7200 });
    expect(agent1).toMatchObject({ errcode: 0, expires_in: 7200 });
    expect(corp1.ticket).not.toBe(agent1.ticket);
    expect((await get('get_jsapi_ticket', { access_token: t })).ticket).toBe(corp1.ticket);
    expect((await get('ticket/get', { access_token: t, type: 'agent_config' })).ticket).toBe(agent1.ticket);
    await ctl.rotateTickets();
    expect((await get('get_jsapi_ticket', { access_token: t })).ticket).not.toBe(corp1.ticket);
    expect((await get('ticket/get', { access_token: t, type: 'agent_config' })).ticket).not.toBe(
      agent1.ticket,
    );
  });

  it('ticket/get requires type=agent_config', async () => {
    expect((await get('ticket/get', { access_token: await token() })).errcode).toBe(40058);
  });

  it('counts every call: 100 per app per hour across both kinds, then 45009 for 60 minutes from the trip', async () => {
    const t = await token();
    for (let i = 0; i < 100; i++) {
      if (i === 50) clock += 30 * 60_000;
      const r =
        i % 2
          ? await get('get_jsapi_ticket', { access_token: t })
          : await get('ticket/get', { access_token: t, type: 'agent_config' });
      expect(r.errcode).toBe(0);
    }
    const limited = await get('ticket/get', { access_token: t, type: 'agent_config' });
    expect(limited.errcode).toBe(45009);
    expect(limited.errmsg).toMatch(/^api freq out of limit, hint/);
    expect((await get('get_jsapi_ticket', { access_token: t })).errcode).toBe(45009);
    // Another app of the same corp still has its own budget.
    expect((await get('get_jsapi_ticket', { access_token: await token('1000003') })).errcode).toBe(0);
    // The window that began at the first call ends 30 minutes from now; the block lasts 60 from the trip.
    clock += 45 * 60_000;
    expect((await get('ticket/get', { access_token: t, type: 'agent_config' })).errcode).toBe(45009);
    clock += 15 * 60_000;
    const t2 = await token();
    expect((await get('ticket/get', { access_token: t2, type: 'agent_config' })).errcode).toBe(0);
  });

  it('allows 400 per corp per hour over all apps', async () => {
    for (const agentId of ['1000002', '1000003', '1000004', '1000005']) {
      const t = await token(agentId);
      for (let i = 0; i < 100; i++) {
        expect((await get('get_jsapi_ticket', { access_token: t })).errcode).toBe(0);
      }
    }
    const fifth = await token('1000006');
    expect((await get('ticket/get', { access_token: fifth, type: 'agent_config' })).errcode).toBe(45009);
    expect((await get('get_jsapi_ticket', { access_token: fifth })).errcode).toBe(45009);
  });
});

describe('user/get', () => {
  it('returns the member without sensitive fields (new apps get them only via getuserdetail)', async () => {
    const r = await get('user/get', { access_token: await token(), userid: 'zhangwei' });
    expect(r).toMatchObject({ errcode: 0, userid: 'zhangwei', name: '张伟', status: 1 });
    for (const k of [
      'avatar',
      'thumb_avatar',
      'mobile',
      'gender',
      'email',
      'biz_mail',
      'address',
      'qr_code',
    ]) {
      expect(r).not.toHaveProperty(k);
    }
    expect((await get('user/get', { access_token: await token(), userid: 'nobody' })).errcode).toBe(60111);
  });
});

describe('externalcontact', () => {
  it('get: shapes and types follow the reference', async () => {
    const r = await get('externalcontact/get', {
      access_token: await token(),
      external_userid: WELL_KNOWN.linXiaomei,
    });
    expect(r.errcode).toBe(0);
    expect(r.external_contact).toMatchObject({
      external_userid: WELL_KNOWN.linXiaomei,
      name: '林晓梅',
      type: 1,
      gender: 2,
    });
    expect(typeof r.external_contact.gender).toBe('number');
    expect(r.external_contact.avatar).toMatch(/\/wecom-emulator\/avatars\/.+\.svg$/);
    expect(r.external_contact).not.toHaveProperty('corp_name');
    const followers = (r.follow_user as Json[]).map((f) => f.userid);
    expect(followers).toEqual(expect.arrayContaining(['zhangwei', 'lina', 'wangfang']));
    const mine = (r.follow_user as Json[]).find((f) => f.userid === 'zhangwei')!;
    expect(mine).toMatchObject({ add_way: 1, oper_userid: 'zhangwei' });
    expect(typeof mine.createtime).toBe('number');
    expect(mine.remark).not.toBe('');
    expect(mine.description).not.toBe('');
    expect(mine.remark_mobiles.length).toBeGreaterThan(0);
    const groups = new Set((mine.tags as Json[]).filter((t) => t.type === 1).map((t) => t.group_name));
    expect(groups.size).toBeGreaterThanOrEqual(2);
    for (const tag of mine.tags as Json[]) {
      if (tag.type === 1) expect(tag.tag_id).toMatch(/^et/);
      else expect(tag).not.toHaveProperty('tag_id');
    }
    expect((mine.tags as Json[]).some((t) => t.type === 2)).toBe(true);
  });

  it('get: corp customers carry corp_name and position', async () => {
    const r = await get('externalcontact/get', {
      access_token: await token(),
      external_userid: WELL_KNOWN.zhouJianguo,
    });
    expect(r.external_contact).toMatchObject({ name: '周建国', type: 2, corp_name: '华信科技' });
    expect(r.external_contact.position).toBeTruthy();
    expect((r.follow_user as Json[]).map((f) => f.userid)).toEqual(['zhangwei']);
  });

  it('get: 41035 missing, 40096 malformed, 84061 without followers', async () => {
    const t = await token();
    expect((await get('externalcontact/get', { access_token: t })).errcode).toBe(41035);
    const malformed = await get('externalcontact/get', { access_token: t, external_userid: 'wm-short' });
    expect(malformed.errcode).toBe(40096);
    expect(malformed.errmsg).toMatch(/^invalid string value `wm-short`\. invalid external userid, hint/);
    const none = await get('externalcontact/get', {
      access_token: t,
      external_userid: WELL_KNOWN.noFollowers,
    });
    expect(none.errcode).toBe(84061);
    expect(none.errmsg).toMatch(/^not external contact, hint/);
  });

  it('list: ids of the member; 84061 for a member without 客户联系', async () => {
    const t = await token();
    const r = await get('externalcontact/list', { access_token: t, userid: 'zhangwei' });
    expect(r.errcode).toBe(0);
    expect(r.external_userid).toEqual(
      expect.arrayContaining([WELL_KNOWN.linXiaomei, WELL_KNOWN.zhouJianguo]),
    );
    expect(r.external_userid).not.toContain(WELL_KNOWN.onlyLina);
    expect(r.external_userid.length).toBeGreaterThanOrEqual(12);
    expect((await get('externalcontact/list', { access_token: t, userid: 'zhaolei' })).errcode).toBe(84061);
  });

  it('batch/get_by_user: cursor pages with follow_info.tag_id', async () => {
    const t = await token();
    const all = (await get('externalcontact/list', { access_token: t, userid: 'zhangwei' }))
      .external_userid as string[];
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await post('externalcontact/batch/get_by_user', t, {
        userid_list: ['zhangwei'],
        cursor,
        limit: 4,
      });
      expect(r.errcode).toBe(0);
      expect(r.external_contact_list.length).toBeLessThanOrEqual(4);
      for (const item of r.external_contact_list as Json[]) {
        expect(item.follow_info.userid).toBe('zhangwei');
        expect(Array.isArray(item.follow_info.tag_id)).toBe(true);
        expect(item.follow_info).not.toHaveProperty('tags');
        seen.push(item.external_contact.external_userid);
      }
      cursor = r.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.sort()).toEqual([...all].sort());
    expect(pages).toBe(Math.ceil(all.length / 4));
    const dflt = await post('externalcontact/batch/get_by_user', t, {
      userid_list: ['zhangwei', 'lina', 'wangfang', 'liuyang', 'chenjing'],
    });
    expect(dflt.external_contact_list.length).toBeLessThanOrEqual(50);
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect((await post('externalcontact/batch/get_by_user', t, { userid_list: tooMany })).errcode).toBe(
      40058,
    );
    expect((await post('externalcontact/batch/get_by_user', t, {})).errcode).toBe(40058);
  });

  it('groupchat/get: members, admins, names only with need_name', async () => {
    const t = await token();
    const plain = await post('externalcontact/groupchat/get', t, { chat_id: WELL_KNOWN.vipChat });
    expect(plain.errcode).toBe(0);
    const chat = plain.group_chat as Json;
    expect(chat).toMatchObject({ chat_id: WELL_KNOWN.vipChat, name: 'VIP客户服务群', owner: 'zhangwei' });
    expect(chat.notice).toBeTruthy();
    expect(chat.admin_list.length).toBeGreaterThan(0);
    const members = chat.member_list as Json[];
    expect(members.some((m) => m.type === 1)).toBe(true);
    expect(members.some((m) => m.type === 2)).toBe(true);
    for (const m of members) {
      expect(typeof m.join_time).toBe('number');
      expect([1, 2, 3]).toContain(m.join_scene);
      expect(m).not.toHaveProperty('name');
    }
    expect(members.some((m) => m.invitor?.userid)).toBe(true);
    const named = await post('externalcontact/groupchat/get', t, {
      chat_id: WELL_KNOWN.vipChat,
      need_name: 1,
    });
    expect((named.group_chat.member_list as Json[]).find((m) => m.userid === 'zhangwei')!.name).toBe('张伟');
    const other = await post('externalcontact/groupchat/get', t, { chat_id: WELL_KNOWN.channelChat });
    expect(other.group_chat.owner).toBe('lina');
    expect((other.group_chat.member_list as Json[]).map((m) => m.userid)).not.toContain('zhangwei');
    expect((await post('externalcontact/groupchat/get', t, { chat_id: 'wrNOPE' })).errcode).not.toBe(0);
  });

  it('get_corp_tag_list: all groups, or filtered with deleted flags', async () => {
    const t = await token();
    const all = await post('externalcontact/get_corp_tag_list', t, {});
    expect(all.tag_group.length).toBe(TAG_GROUPS.length);
    expect(all.tag_group[0]).not.toHaveProperty('deleted');
    const one = await post('externalcontact/get_corp_tag_list', t, { group_id: [TAG_GROUPS[0]!.group_id] });
    expect(one.tag_group.length).toBe(1);
    expect(one.tag_group[0].deleted).toBe(false);
    const byTag = await post('externalcontact/get_corp_tag_list', t, { tag_id: [TAG.won] });
    expect(byTag.tag_group[0].tag.map((x: Json) => x.id)).toEqual([TAG.won]);
  });

  it('remark: validates, overwrites mobiles, [""] clears them', async () => {
    const t = await token();
    const base = { userid: 'zhangwei', external_userid: WELL_KNOWN.linXiaomei };
    expect((await post('externalcontact/remark', t, base)).errcode).toBe(40058);
    expect(
      (await post('externalcontact/remark', t, { ...base, remark: '', remark_mobiles: [] })).errcode,
    ).toBe(40058);
    expect(
      (
        await post('externalcontact/remark', t, {
          ...base,
          remark: '一二三四五六七八九十一二三四五六七八九十一',
        })
      ).errcode,
    ).toBe(40058);
    expect((await post('externalcontact/remark', t, { ...base, description: 'x'.repeat(151) })).errcode).toBe(
      40058,
    );
    const r = await post('externalcontact/remark', t, {
      ...base,
      remark: '林总',
      remark_mobiles: ['13900000000'],
    });
    expect(r).toEqual({ errcode: 0, errmsg: 'ok' });
    const mine = async () =>
      (
        (await get('externalcontact/get', { access_token: t, external_userid: WELL_KNOWN.linXiaomei }))
          .follow_user as Json[]
      ).find((f) => f.userid === 'zhangwei')!;
    expect(await mine()).toMatchObject({ remark: '林总', remark_mobiles: ['13900000000'] });
    await post('externalcontact/remark', t, { ...base, remark_mobiles: [''] });
    expect((await mine()).remark_mobiles).toEqual([]);
    expect((await mine()).remark).toBe('林总');
    const notMine = await post('externalcontact/remark', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.onlyLina,
      remark: 'x',
    });
    expect(notMine.errcode).toBe(84061);
  });

  it('mark_tag: adds and removes corp tags; 40068 unknown tag; 84061 not a customer of userid', async () => {
    const t = await token();
    const base = { userid: 'zhangwei', external_userid: WELL_KNOWN.zhouJianguo };
    expect(
      (await post('externalcontact/mark_tag', t, { ...base, add_tag: [TAG.won], remove_tag: [TAG.needs] }))
        .errcode,
    ).toBe(0);
    const r = await get('externalcontact/get', { access_token: t, external_userid: WELL_KNOWN.zhouJianguo });
    const ids = (r.follow_user[0].tags as Json[]).map((x) => x.tag_id);
    expect(ids).toContain(TAG.won);
    expect(ids).not.toContain(TAG.needs);
    expect((await post('externalcontact/mark_tag', t, { ...base, add_tag: ['etUNKNOWN'] })).errcode).toBe(
      40068,
    );
    expect((await post('externalcontact/mark_tag', t, base)).errcode).toBe(40058);
    const other = await post('externalcontact/mark_tag', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.onlyLina,
      add_tag: [TAG.won],
    });
    expect(other.errcode).toBe(84061);
  });

  it('48002 for an app outside 客户联系, and with the switch', async () => {
    const sync = await token('1000003');
    expect(
      (await get('externalcontact/get', { access_token: sync, external_userid: WELL_KNOWN.linXiaomei }))
        .errcode,
    ).toBe(48002);
    const t = await token();
    await ctl.switches({ externalContactForbidden: true });
    const r = await get('externalcontact/list', { access_token: t, userid: 'zhangwei' });
    expect(r.errcode).toBe(48002);
    expect(r.errmsg).toMatch(/^api forbidden, hint/);
    expect((await get('user/get', { access_token: t, userid: 'zhangwei' })).errcode).toBe(0);
  });
});

describe('switches, faults and counters', () => {
  it('ipBlocked: gettoken still works, business APIs answer 60020 naming the caller ip', async () => {
    await ctl.switches({ ipBlocked: true });
    const t = await get('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET });
    expect(t.errcode).toBe(0);
    expect(t.access_token).toBeTruthy();
    const r = await get('user/get', { access_token: t.access_token, userid: 'zhangwei' });
    expect(r.errcode).toBe(60020);
    expect((await get('get_jsapi_ticket', { access_token: t.access_token })).errcode).toBe(60020);
    expect(r.errmsg).toMatch(
      /^not allow to access from your ip, hint: \[\d+\], from ip: 127\.0\.0\.1, more info/,
    );
  });

  it('counts calls per api and resets the counters', async () => {
    const t = await token();
    await get('user/get', { access_token: t, userid: 'zhangwei' });
    await get('user/get', { access_token: 'bad', userid: 'zhangwei' });
    await post('externalcontact/batch/get_by_user', t, { userid_list: ['zhangwei'] });
    const state = await ctl.state();
    expect(state.counters).toMatchObject({
      gettoken: 1,
      'user/get': 2,
      'externalcontact/batch/get_by_user': 1,
    });
    await ctl.resetCounters();
    expect((await ctl.state()).counters).toEqual({});
  });

  it('injects an errcode a number of times', async () => {
    const t = await token();
    await ctl.fault({ api: 'externalcontact/get', errcode: -1, times: 2 });
    const q = { access_token: t, external_userid: WELL_KNOWN.linXiaomei };
    const busy = await get('externalcontact/get', q);
    expect(busy.errcode).toBe(-1);
    expect(busy.errmsg).toMatch(/^system busy, hint/);
    expect((await get('externalcontact/get', q)).errcode).toBe(-1);
    expect((await get('externalcontact/get', q)).errcode).toBe(0);
    expect((await ctl.state()).counters['externalcontact/get']).toBe(3);
  });

  it('injects HTTP errors, latency and dropped connections; DELETE clears', async () => {
    const t = await token();
    await ctl.fault({ api: 'user/get', httpStatus: 502 });
    const res = await fetch(`${emu.url}/cgi-bin/user/get?access_token=${t}&userid=zhangwei`);
    expect(res.status).toBe(502);
    await res.text();
    await ctl.clearFaults();
    await ctl.fault({ api: 'user/get', latencyMs: 30, times: 1 });
    expect((await get('user/get', { access_token: t, userid: 'zhangwei' })).errcode).toBe(0);
    await ctl.fault({ api: '*', drop: true, times: 1 });
    await expect(fetch(`${emu.url}/cgi-bin/user/get?access_token=${t}&userid=zhangwei`)).rejects.toThrow();
    expect((await get('user/get', { access_token: t, userid: 'zhangwei' })).errcode).toBe(0);
    await ctl.fault({ api: 'get_jsapi_ticket', errcode: 45033 });
    expect((await get('get_jsapi_ticket', { access_token: t })).errcode).toBe(45033);
    expect((await ctl.state()).faults).toHaveLength(1);
    await ctl.clearFaults();
    expect((await get('get_jsapi_ticket', { access_token: t })).errcode).toBe(0);
  });

  it('reset restores the seed', async () => {
    const t = await token();
    await post('externalcontact/remark', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.zhouJianguo,
      remark: '改过',
    });
    await ctl.switches({ ipBlocked: true });
    await ctl.reset();
    const state = await ctl.state();
    expect(state.switches.ipBlocked).toBe(false);
    expect(state.counters).toEqual({});
    expect((await get('user/get', { access_token: t, userid: 'zhangwei' })).errcode).toBe(40014);
    const r = await get('externalcontact/get', {
      access_token: await token(),
      external_userid: WELL_KNOWN.zhouJianguo,
    });
    expect(r.follow_user[0].remark).toBe('周总');
  });
});
