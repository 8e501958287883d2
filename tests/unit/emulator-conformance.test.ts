import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { CORP_ID, DEMO_AGENT_ID, DEMO_AGENT_SECRET, DOC_IDS, TAG_GROUPS, WELL_KNOWN } from '@/emulator/seed';
import * as DOC from './fixtures/wecom-doc-examples';

/**
 * Conformance: for every endpoint the emulator serves and WeCom's docs give an example for, the emulator's answer
 * is compared with the example field by field — names, JSON types, nested objects and array items — and every
 * documented field the example shows is present unless the docs say when it is left out (listed with the rule).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Several example items as one: every key any of them shows (the first item having a key gives its value). */
function merged(items: unknown[]): unknown {
  if (!items.every((x) => typeOf(x) === 'object')) return items[0];
  const out: Json = {};
  for (const item of items as Json[]) for (const [k, v] of Object.entries(item)) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * Differences between `actual` and the doc example: an extra field, a field of another type, a documented field
 * left out that `absent` does not allow (paths like `follow_user[].state`). Array items are compared with the
 * example's items taken together, those of the same `type` first (the docs list one item per kind).
 */
function diff(actual: unknown, example: unknown, absent: string[] = [], path = ''): string[] {
  const tActual = typeOf(actual);
  const tExample = typeOf(example);
  if (tActual !== tExample) return [`${path || '(root)'}: ${tActual} where the docs have ${tExample}`];
  if (tActual === 'array') {
    const items = example as unknown[];
    if (items.length === 0) return [];
    return (actual as unknown[]).flatMap((item) => {
      const kind = typeOf(item) === 'object' ? (item as Json).type : undefined;
      const same = items.filter(
        (ex) => kind !== undefined && typeOf(ex) === 'object' && (ex as Json).type === kind,
      );
      const all = merged(items);
      if (same.length === 0 || typeOf(item) !== 'object') return diff(item, all, absent, `${path}[]`);
      // Types and missing fields against the items of the same kind; extra fields against all of them.
      const own = merged(same) as Json;
      const extra = Object.keys(item as Json).filter((k) => !(k in own) && k in (all as Json));
      return diff(
        item,
        { ...own, ...Object.fromEntries(extra.map((k) => [k, (all as Json)[k]])) },
        absent,
        `${path}[]`,
      );
    });
  }
  if (tActual !== 'object') return [];
  const a = actual as Json;
  const e = example as Json;
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    if (!(key in e)) out.push(`${path}.${key}: not in the docs' example`);
    else out.push(...diff(a[key], e[key], absent, `${path}.${key}`));
  }
  for (const key of Object.keys(e)) {
    if (!(key in a) && !absent.includes(`${path}.${key}`)) out.push(`${path}.${key}: documented but missing`);
  }
  return out;
}

let emu: RunningEmulator;

async function cgi(path: string, query: Record<string, string> = {}, body?: unknown): Promise<Json> {
  const url = new URL(`/cgi-bin/${path}`, emu.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function control(path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  expect(res.status).toBe(200);
}

let token = '';

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test'] });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control('reset');
  token = (await cgi('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET })).access_token as string;
});

const ERRMSG =
  /^.+, hint: \[\d{25}\], from ip: [\d.:a-f]+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=(\d+)$/;

describe('tokens and tickets', () => {
  it('gettoken', async () => {
    expect(
      diff(await cgi('gettoken', { corpid: CORP_ID, corpsecret: DEMO_AGENT_SECRET }), DOC.GETTOKEN),
    ).toEqual([]);
  });

  it('get_jsapi_ticket and ticket/get?type=agent_config', async () => {
    expect(diff(await cgi('get_jsapi_ticket', { access_token: token }), DOC.GET_JSAPI_TICKET)).toEqual([]);
    expect(
      diff(await cgi('ticket/get', { access_token: token, type: 'agent_config' }), DOC.GET_JSAPI_TICKET),
    ).toEqual([]);
  });
});

describe('identity', () => {
  async function code(scope: string, consent?: string): Promise<string> {
    const url = new URL('/connect/oauth2/authorize', emu.url);
    for (const [k, v] of Object.entries({
      appid: CORP_ID,
      redirect_uri: 'https://app.example.test/cb',
      response_type: 'code',
      scope,
      agentid: DEMO_AGENT_ID,
      state: 's',
      ...(consent ? { consent } : {}),
    }))
      url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  }

  it('auth/getuserinfo for a member (user_ticket with snsapi_privateinfo) and auth/getuserdetail', async () => {
    const member = await cgi('auth/getuserinfo', {
      access_token: token,
      code: await code('snsapi_privateinfo', 'allow'),
    });
    expect(diff(member, DOC.GETUSERINFO_MEMBER)).toEqual([]);
    // snsapi_base: no user_ticket (DOC 91023: only for snsapi_privateinfo).
    const base = await cgi('auth/getuserinfo', { access_token: token, code: await code('snsapi_base') });
    expect(diff(base, DOC.GETUSERINFO_MEMBER, ['.user_ticket'])).toEqual([]);
    expect(base).not.toHaveProperty('user_ticket');
    const detail = await cgi(
      'auth/getuserdetail',
      { access_token: token },
      { user_ticket: member.user_ticket },
    );
    expect(diff(detail, DOC.GETUSERDETAIL)).toEqual([]);
    expect(typeof detail.gender).toBe('string');
  });

  it('auth/getuserinfo for a visitor outside the corp: openid (+ external_userid), no userid', async () => {
    await control('oauth/visitor', { externalUserId: WELL_KNOWN.linXiaomei });
    const visitor = await cgi('auth/getuserinfo', { access_token: token, code: await code('snsapi_base') });
    expect(diff(visitor, DOC.GETUSERINFO_NON_MEMBER)).toEqual([]);
  });

  it('user/get: the documented fields except the sensitive ones new apps no longer get (DOC 96067)', async () => {
    const user = await cgi('user/get', { access_token: token, userid: 'zhangwei' });
    const sensitive = [
      'mobile',
      'gender',
      'email',
      'biz_mail',
      'avatar',
      'thumb_avatar',
      'telephone',
      'address',
      'qr_code',
    ];
    // open_userid: third-party apps only.
    expect(
      diff(
        user,
        DOC.USER_GET,
        [...sensitive, 'open_userid'].map((k) => `.${k}`),
      ),
    ).toEqual([]);
    for (const k of sensitive) expect(user).not.toHaveProperty(k);
  });
});

describe('customers', () => {
  it('externalcontact/get of the docs’ own customer, field by field', async () => {
    const r = await cgi('externalcontact/get', { access_token: token, external_userid: DOC_IDS.getCustomer });
    expect(
      diff(r, DOC.EXTERNALCONTACT_GET, [
        // unionid: WeChat customers only (李四 is a 企业微信 customer); next_cursor: only past 500 followers.
        '.external_contact.unionid',
        '.next_cursor',
        // remark_corp_name: for WeChat customers; state: only when set; wechat_channels: add_way 10 only.
        '.follow_user[].remark_corp_name',
        '.follow_user[].state',
        '.follow_user[].wechat_channels',
        '.follow_user[].tags[].tag_id',
      ]),
    ).toEqual([]);
    const [mine, other] = r.follow_user as Json[];
    // Type-2 (personal) tags carry no tag_id; type-1 tags do.
    expect(mine!.tags).toEqual([
      { group_name: '客户等级', tag_name: '战略客户', tag_id: DOC_IDS.tag, type: 1 },
      { group_name: '个人标签', tag_name: '标签名称', type: 2 },
    ]);
    expect(mine).toMatchObject({ add_way: 10, wechat_channels: { nickname: '视频号名称', source: 1 } });
    expect(other).not.toHaveProperty('wechat_channels');
    expect(other).toMatchObject({ state: '外联二维码1', add_way: 3, oper_userid: DOC_IDS.getCustomer });
    expect(r.external_contact.external_profile).toEqual(
      (DOC.EXTERNALCONTACT_GET.external_contact as Json).external_profile,
    );
    expect(r.external_contact).not.toHaveProperty('unionid');
  });

  it('externalcontact/get of a WeChat customer: unionid, no 企业微信-only fields', async () => {
    const r = await cgi('externalcontact/get', {
      access_token: token,
      external_userid: DOC_IDS.listWechatCustomer,
    });
    const corpOnly = ['position', 'corp_name', 'corp_full_name', 'external_profile'];
    expect(
      diff(r, DOC.EXTERNALCONTACT_GET, [
        ...corpOnly.map((k) => `.external_contact.${k}`),
        '.next_cursor',
        '.follow_user[].wechat_channels',
        '.follow_user[].tags[].tag_id',
      ]),
    ).toEqual([]);
    expect(r.external_contact.unionid).toBe('ozynqsulJFCZ2z1aYeS8h-nuasdAAA');
    for (const k of corpOnly) expect(r.external_contact).not.toHaveProperty(k);
    expect(r.follow_user[0].remark_corp_name).toBe('曼陀山庄连锁');
  });

  it('externalcontact/batch/get_by_user', async () => {
    const r = await cgi(
      'externalcontact/batch/get_by_user',
      { access_token: token },
      { userid_list: ['zhangwei'], cursor: '', limit: 100 },
    );
    expect(
      diff(r, DOC.BATCH_GET_BY_USER, [
        '.external_contact_list[].external_contact.unionid',
        '.external_contact_list[].external_contact.position',
        '.external_contact_list[].external_contact.corp_name',
        '.external_contact_list[].external_contact.corp_full_name',
        '.external_contact_list[].external_contact.external_profile',
        '.external_contact_list[].follow_info.remark_corp_name',
        '.external_contact_list[].follow_info.state',
        '.external_contact_list[].follow_info.wechat_channels',
        '.external_contact_list[].follow_info.oper_userid',
      ]),
    ).toEqual([]);
    const doc = (r.external_contact_list as Json[]).find(
      (x) => x.external_contact.external_userid === DOC_IDS.getCustomer,
    )!;
    expect(doc.follow_info).toMatchObject({
      tag_id: [DOC_IDS.tag],
      wechat_channels: { nickname: '视频号名称' },
    });
    expect(doc.follow_info).not.toHaveProperty('tags');
  });

  it('externalcontact/list holds the docs’ example ids', async () => {
    const r = await cgi('externalcontact/list', { access_token: token, userid: 'zhangwei' });
    expect(diff(r, DOC.EXTERNALCONTACT_LIST)).toEqual([]);
    expect(r.external_userid).toEqual(
      expect.arrayContaining(DOC.EXTERNALCONTACT_LIST.external_userid as string[]),
    );
  });

  it('remark and mark_tag answer {errcode, errmsg} only', async () => {
    const remark = await cgi(
      'externalcontact/remark',
      { access_token: token },
      { userid: 'zhangwei', external_userid: DOC_IDS.getCustomer, remark: '李部长' },
    );
    expect(diff(remark, DOC.OK)).toEqual([]);
    const mark = await cgi(
      'externalcontact/mark_tag',
      { access_token: token },
      { userid: 'zhangwei', external_userid: DOC_IDS.getCustomer, add_tag: [DOC_IDS.tag] },
    );
    expect(diff(mark, DOC.OK)).toEqual([]);
  });
});

describe('group chats and tags', () => {
  it('groupchat/get of the docs’ own group, with need_name', async () => {
    const r = await cgi(
      'externalcontact/groupchat/get',
      { access_token: token },
      { chat_id: DOC_IDS.chat, need_name: 1 },
    );
    // invitor: only when an internal member invited; unionid: WeChat members when the corp bound a developer ID.
    expect(
      diff(r, DOC.GROUPCHAT_GET, ['.group_chat.member_list[].invitor', '.group_chat.member_list[].unionid']),
    ).toEqual([]);
    const stranger = (r.group_chat.member_list as Json[]).find((m) => m.userid === DOC_IDS.chatOnlyMember)!;
    expect(stranger).toMatchObject({
      type: 2,
      unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdBBB',
      group_nickname: '顾客老王',
    });
    // Without need_name no names.
    const nameless = await cgi(
      'externalcontact/groupchat/get',
      { access_token: token },
      { chat_id: DOC_IDS.chat },
    );
    for (const m of nameless.group_chat.member_list as Json[]) expect(m).not.toHaveProperty('name');
    // 企业微信 customers never carry a unionid.
    const wo = (r.group_chat.member_list as Json[]).find((m) => m.userid === DOC_IDS.getCustomer)!;
    expect(wo).not.toHaveProperty('unionid');
  });

  it('groupchat/list', async () => {
    const r = await cgi('externalcontact/groupchat/list', { access_token: token }, { limit: 100 });
    expect(diff(r, DOC.GROUPCHAT_LIST)).toEqual([]);
    expect((r.group_chat_list as Json[]).map((g) => g.chat_id)).toEqual(
      expect.arrayContaining([DOC_IDS.chat, DOC_IDS.listChat]),
    );
  });

  it('get_corp_tag_list: `deleted` only when asked by id', async () => {
    const all = await cgi('externalcontact/get_corp_tag_list', { access_token: token }, {});
    expect(diff(all, DOC.GET_CORP_TAG_LIST, ['.tag_group[].deleted', '.tag_group[].tag[].deleted'])).toEqual(
      [],
    );
    expect(all.tag_group[0]).not.toHaveProperty('deleted');
    const byId = await cgi(
      'externalcontact/get_corp_tag_list',
      { access_token: token },
      { group_id: [TAG_GROUPS[0]!.group_id] },
    );
    expect(diff(byId, DOC.GET_CORP_TAG_LIST)).toEqual([]);
  });

  it('add_corp_tag: one tag_group object with the new tags', async () => {
    const r = await cgi(
      'externalcontact/add_corp_tag',
      { access_token: token },
      {
        group_name: '渠道伙伴',
        order: 1,
        tag: [
          { name: '一级代理', order: 2 },
          { name: '二级代理', order: 1 },
        ],
      },
    );
    expect(diff(r, DOC.ADD_CORP_TAG)).toEqual([]);
  });
});

describe('media', () => {
  it('media/upload: errmsg "" and created_at as a string', async () => {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(64).fill(7)], { type: 'image/png' }), 'cover.png');
    const res = await fetch(`${emu.url}/cgi-bin/media/upload?access_token=${token}&type=image`, {
      method: 'POST',
      body: form,
    });
    const r = (await res.json()) as Json;
    expect(diff(r, DOC.MEDIA_UPLOAD)).toEqual([]);
    expect(r.errmsg).toBe('');
  });
});

describe('error bodies', () => {
  it('84061 keeps the empty arrays: follow_user on get, external_userid on list', async () => {
    const get = await cgi('externalcontact/get', {
      access_token: token,
      external_userid: WELL_KNOWN.noFollowers,
    });
    expect(diff(get, DOC.ERR_84061_GET)).toEqual([]);
    expect(get.follow_user).toEqual([]);
    expect(get.errmsg).toMatch(ERRMSG);
    const list = await cgi('externalcontact/list', { access_token: token, userid: 'zhaolei' });
    expect(diff(list, DOC.ERR_84061_LIST)).toEqual([]);
    expect(list.external_userid).toEqual([]);
  });

  it('60011 for a customer outside the visible range has the empty payload of the observed answer', async () => {
    await control('visible-range', { party: [], user: ['zhangwei'], customerErrcode: 60011 });
    const r = await cgi('externalcontact/get', { access_token: token, external_userid: WELL_KNOWN.onlyLina });
    expect(diff(r, DOC.ERR_60011_GET)).toEqual([]);
    expect(r).toMatchObject({ external_contact: {}, follow_user: [] });
  });

  it('40096 and 40050 in WeCom’s errmsg format', async () => {
    const unknown = 'wmEWR7DQAAE1bKfy0K-HPUvAZ6U_xuiA';
    const r = await cgi('externalcontact/get', { access_token: token, external_userid: unknown });
    expect(diff(r, DOC.ERR_40096)).toEqual([]);
    expect(r.errmsg).toMatch(
      new RegExp(`^invalid string value \`${unknown}\`\\. invalid external userid, hint`),
    );
    const chat = await cgi(
      'externalcontact/groupchat/get',
      { access_token: token },
      { chat_id: 'wrNoSuchChat0000' },
    );
    expect(diff(chat, DOC.ERR_40050)).toEqual([]);
    expect(chat.errmsg).toMatch(/^invalid group id, hint/);
    expect(chat.errmsg).toMatch(ERRMSG);
  });
});

describe('the comparison itself', () => {
  it('reports extra, missing and mistyped fields', () => {
    expect(diff({ a: 1, b: 'x', c: [] }, { a: 1, b: 2, d: true })).toEqual([
      '.b: string where the docs have number',
      ".c: not in the docs' example",
      '.d: documented but missing',
    ]);
    expect(
      diff(
        { l: [{ type: 2, x: 1 }] },
        {
          l: [
            { type: 1, y: 1 },
            { type: 2, x: 1 },
          ],
        },
      ),
    ).toEqual([]);
  });
});
