import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { CORP_ID, DEMO_AGENT_SECRET, APPS, TAG, TAG_GROUPS, WELL_KNOWN } from '@/emulator/seed';
import { createCallbackCrypto, parseCallbackXml, xmlText } from '@/lib/wecom/callback-crypto';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let emu: RunningEmulator;
let receiver: Server;
let receiverUrl = '';
const received: { query: URLSearchParams; body: string }[] = [];
const CALLBACK = { token: 'crmTestToken9', encodingAesKey: 'a'.repeat(20) + 'B'.repeat(23) };
const crypto = createCallbackCrypto(CALLBACK);

async function post(path: string, token: string, body: unknown): Promise<Json> {
  const res = await fetch(`${emu.url}/cgi-bin/${path}?access_token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function control(
  path: string,
  body?: unknown,
  method = 'POST',
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function token(secret = DEMO_AGENT_SECRET): Promise<string> {
  const res = await fetch(
    `${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${encodeURIComponent(secret)}`,
  );
  return ((await res.json()) as Json).access_token as string;
}

/** The decrypted XML of every push received so far. */
function events(): Record<string, unknown>[] {
  return received.map(({ query, body }) => {
    const encrypted = xmlText(parseCallbackXml(body), 'Encrypt');
    crypto.verify(
      {
        msgSignature: query.get('msg_signature') ?? '',
        timestamp: query.get('timestamp') ?? '',
        nonce: query.get('nonce') ?? '',
      },
      encrypted,
    );
    const { message, receiveId } = crypto.decrypt(encrypted);
    expect(receiveId).toBe(CORP_ID);
    return parseCallbackXml(message) as Record<string, unknown>;
  });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test'] });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        query: new URL(req.url ?? '/', 'http://x').searchParams,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.end('');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/wecom/callback`;
});
afterAll(async () => {
  await emu.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  await control('reset');
  received.length = 0;
  expect((await control('callbacks', { agentId: '1000002', url: receiverUrl, ...CALLBACK })).status).toBe(
    200,
  );
});

describe('corp tag library', () => {
  it('add_corp_tag creates a group with deduplicated tags, merges by group_name, refuses empty groups and long names', async () => {
    const t = await token();
    const r = await post('externalcontact/add_corp_tag', t, {
      group_name: '客户阶段',
      order: 7,
      tag: [{ name: '新线索', order: 5 }, { name: '意向', order: 4 }, { name: '新线索' }],
    });
    expect(r.errcode).toBe(0);
    expect(r.tag_group.group_id).toMatch(/^et[A-Za-z0-9]{30}$/);
    expect(r.tag_group.tag.map((x: Json) => x.name)).toEqual(['新线索', '意向']);
    expect(r.tag_group).not.toHaveProperty('deleted');
    // Same group_name: merged into that group; an existing name is not created again.
    const merged = await post('externalcontact/add_corp_tag', t, {
      group_name: '客户阶段',
      tag: [{ name: '意向' }, { name: '报价' }],
    });
    expect(merged.tag_group.group_id).toBe(r.tag_group.group_id);
    expect(merged.tag_group.tag.map((x: Json) => x.name)).toEqual(['报价']);
    expect((await post('externalcontact/add_corp_tag', t, { group_name: 'x', tag: [] })).errcode).toBe(40058);
    expect(
      (await post('externalcontact/add_corp_tag', t, { group_name: 'x', tag: [{ name: '一'.repeat(31) }] }))
        .errcode,
    ).toBe(40072);
    expect(
      (await post('externalcontact/add_corp_tag', t, { group_name: '一'.repeat(31), tag: [{ name: 'a' }] }))
        .errcode,
    ).toBe(40072);
    expect(
      (await post('externalcontact/add_corp_tag', t, { group_id: 'etNOPE', tag: [{ name: 'a' }] })).errcode,
    ).toBe(40068);
    // 30 characters is allowed (characters, not bytes).
    expect(
      (await post('externalcontact/add_corp_tag', t, { group_name: 'x', tag: [{ name: '一'.repeat(30) }] }))
        .errcode,
    ).toBe(0);
    const list = await post('externalcontact/get_corp_tag_list', t, {});
    expect(list.tag_group[0].group_name).toBe('客户阶段'); // order 7 is the largest
    expect(list.tag_group[0].tag.map((x: Json) => x.name)).toEqual(['新线索', '意向', '报价']);
  });

  it('edit and delete only what the app created (40068 otherwise); duplicate names are 40071', async () => {
    const t = await token();
    const g = (
      await post('externalcontact/add_corp_tag', t, { group_name: 'G', tag: [{ name: 'a' }, { name: 'b' }] })
    ).tag_group;
    const [a, b] = g.tag as Json[];
    expect(
      (await post('externalcontact/edit_corp_tag', t, { id: a!.id, name: 'a2', order: 9 })).errcode,
    ).toBe(0);
    expect((await post('externalcontact/edit_corp_tag', t, { id: b!.id, name: 'a2' })).errcode).toBe(40071);
    expect(
      (await post('externalcontact/edit_corp_tag', t, { id: g.group_id, name: '客户等级' })).errcode,
    ).toBe(40071);
    expect((await post('externalcontact/edit_corp_tag', t, { id: g.group_id, name: 'G2' })).errcode).toBe(0);
    expect(
      (await post('externalcontact/edit_corp_tag', t, { id: a!.id, name: 'x'.repeat(31) })).errcode,
    ).toBe(40072);
    // Seed tags were created in the admin console: read-only for the app.
    expect((await post('externalcontact/edit_corp_tag', t, { id: TAG.won, name: 'x' })).errcode).toBe(40068);
    expect((await post('externalcontact/del_corp_tag', t, { tag_id: [TAG.won] })).errcode).toBe(40068);
    expect((await post('externalcontact/del_corp_tag', t, {})).errcode).toBe(41017);
    // Another app with 客户联系 can't touch this app's tags either.
    expect((await post('externalcontact/del_corp_tag', t, { tag_id: [a!.id] })).errcode).toBe(0);
    const byId = await post('externalcontact/get_corp_tag_list', t, { tag_id: [a!.id, b!.id] });
    expect(byId.tag_group[0].deleted).toBe(false);
    expect(byId.tag_group[0].tag.map((x: Json) => [x.name, x.deleted])).toEqual([
      ['a2', true],
      ['b', false],
    ]);
    // Deleting the last tag deletes the group; the group stays resolvable by id with deleted: true.
    expect((await post('externalcontact/del_corp_tag', t, { tag_id: [b!.id] })).errcode).toBe(0);
    const byGroup = await post('externalcontact/get_corp_tag_list', t, { group_id: [g.group_id] });
    expect(byGroup.tag_group[0].deleted).toBe(true);
    const all = await post('externalcontact/get_corp_tag_list', t, {});
    expect(all.tag_group.some((x: Json) => x.group_id === g.group_id)).toBe(false);
    expect(all.tag_group.every((x: Json) => !('deleted' in x))).toBe(true);
    // A deleted tag can no longer be put on a customer.
    const mark = await post('externalcontact/mark_tag', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.linXiaomei,
      add_tag: [b!.id],
    });
    expect(mark.errcode).toBe(40068);
  });

  it('deleting a group cascades to its tags and removes them from customers', async () => {
    const t = await token();
    const g = (await post('externalcontact/add_corp_tag', t, { group_name: 'G', tag: [{ name: 'a' }] }))
      .tag_group;
    const base = { userid: 'zhangwei', external_userid: WELL_KNOWN.linXiaomei };
    expect((await post('externalcontact/mark_tag', t, { ...base, add_tag: [g.tag[0].id] })).errcode).toBe(0);
    expect((await post('externalcontact/del_corp_tag', t, { group_id: [g.group_id] })).errcode).toBe(0);
    const c = (await control(`crm/customer?externalUserId=${WELL_KNOWN.linXiaomei}`, undefined, 'GET')).body;
    const tags = c.follow.find((f: Json) => f.userId === 'zhangwei').tags.map((x: Json) => x.tagId);
    expect(tags).not.toContain(g.tag[0].id);
    expect(tags).toContain(TAG.important);
  });

  it('API writes push no events', async () => {
    const t = await token();
    await post('externalcontact/add_corp_tag', t, { group_name: 'G', tag: [{ name: 'a' }] });
    await post('externalcontact/mark_tag', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.linXiaomei,
      add_tag: [TAG.won],
    });
    await post('externalcontact/remark', t, {
      userid: 'zhangwei',
      external_userid: WELL_KNOWN.linXiaomei,
      remark: '新备注',
    });
    expect(received).toHaveLength(0);
  });
});

describe('remark limits', () => {
  it('remark ≤ 20, description ≤ 150, company ≤ 20 (WeChat customers only), [""] clears the mobiles, all empty is 40058', async () => {
    const t = await token();
    const base = { userid: 'zhangwei', external_userid: WELL_KNOWN.linXiaomei };
    expect((await post('externalcontact/remark', t, { ...base, remark: '一'.repeat(21) })).errcode).toBe(
      40058,
    );
    expect((await post('externalcontact/remark', t, { ...base, remark: '一'.repeat(20) })).errcode).toBe(0);
    expect(
      (await post('externalcontact/remark', t, { ...base, remark_company: '一'.repeat(21) })).errcode,
    ).toBe(40058);
    expect(
      (await post('externalcontact/remark', t, { ...base, remark_mobiles: ['13800000001'] })).errcode,
    ).toBe(0);
    let c = (await control(`crm/customer?externalUserId=${WELL_KNOWN.linXiaomei}`, undefined, 'GET')).body;
    expect(c.follow[0].remarkMobiles).toEqual(['13800000001']);
    expect((await post('externalcontact/remark', t, { ...base, remark_mobiles: [''] })).errcode).toBe(0);
    c = (await control(`crm/customer?externalUserId=${WELL_KNOWN.linXiaomei}`, undefined, 'GET')).body;
    expect(c.follow[0].remarkMobiles).toEqual([]);
    expect(
      (await post('externalcontact/remark', t, { ...base, remark: '', remark_mobiles: [] })).errcode,
    ).toBe(40058);
  });
});

describe('groupchat/list', () => {
  it('requires limit 1-1000, pages by cursor, filters by owner (≤ 100)', async () => {
    const t = await token();
    expect((await post('externalcontact/groupchat/list', t, {})).errcode).toBe(40058);
    expect((await post('externalcontact/groupchat/list', t, { limit: 0 })).errcode).toBe(40058);
    expect((await post('externalcontact/groupchat/list', t, { limit: 1001 })).errcode).toBe(40058);
    const first = await post('externalcontact/groupchat/list', t, { limit: 3 });
    expect(first.group_chat_list).toHaveLength(3);
    expect(first.next_cursor).not.toBe('');
    const ids = first.group_chat_list.map((g: Json) => g.chat_id);
    let cursor = first.next_cursor as string;
    while (cursor) {
      const next = await post('externalcontact/groupchat/list', t, { limit: 3, cursor });
      ids.push(...next.group_chat_list.map((g: Json) => g.chat_id));
      cursor = next.next_cursor;
    }
    const all = await post('externalcontact/groupchat/list', t, { limit: 1000 });
    expect(all.next_cursor).toBe('');
    expect(ids).toEqual(all.group_chat_list.map((g: Json) => g.chat_id));
    expect(new Set(ids).size).toBe(ids.length);
    const mine = await post('externalcontact/groupchat/list', t, {
      limit: 100,
      owner_filter: { userid_list: ['lina'] },
    });
    expect(mine.group_chat_list).toContainEqual({ chat_id: WELL_KNOWN.channelChat, status: 0 });
    const details = await Promise.all(
      mine.group_chat_list.map((g: Json) => post('externalcontact/groupchat/get', t, { chat_id: g.chat_id })),
    );
    expect(details.every((d) => d.group_chat.owner === 'lina')).toBe(true);
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect(
      (await post('externalcontact/groupchat/list', t, { limit: 10, owner_filter: { userid_list: tooMany } }))
        .errcode,
    ).toBe(40058);
    expect(
      (await post('externalcontact/groupchat/list', t, { limit: 10, status_filter: 1 })).group_chat_list,
    ).toEqual([]);
    // Apps outside 客户联系 get 48002.
    const other = await token(APPS[1]!.secret);
    expect((await post('externalcontact/groupchat/list', other, { limit: 10 })).errcode).toBe(48002);
  });
});

describe('change events from people (simulator actions)', () => {
  it('customer deletes the member: del_follow_user pushed, the member no longer follows', async () => {
    const r = await control('crm/customer-deletes-member', {
      externalUserId: WELL_KNOWN.linXiaomei,
      userId: 'lina',
    });
    expect(r.status).toBe(200);
    const [e] = events();
    expect(e).toMatchObject({
      ToUserName: CORP_ID,
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'lina',
      ExternalUserID: WELL_KNOWN.linXiaomei,
    });
    const t = await token();
    const again = await post('externalcontact/mark_tag', t, {
      userid: 'lina',
      external_userid: WELL_KNOWN.linXiaomei,
      add_tag: [TAG.won],
    });
    expect(again.errcode).toBe(84061);
  });

  it('member adds a customer: add_external_contact with State and WelcomeCode', async () => {
    await control('crm/member-adds-customer', {
      externalUserId: WELL_KNOWN.noFollowers,
      userId: 'wangfang',
      state: 'expo',
    });
    const [e] = events();
    expect(e).toMatchObject({ ChangeType: 'add_external_contact', UserID: 'wangfang', State: 'expo' });
    expect(String(e!.WelcomeCode)).not.toBe('');
  });

  it('customer joins and leaves a group: update events with member versions', async () => {
    const chat = WELL_KNOWN.channelChat;
    await control('crm/customer-joins-group', { chatId: chat, externalUserId: WELL_KNOWN.linXiaomei });
    await control('crm/customer-leaves-group', { chatId: chat, externalUserId: WELL_KNOWN.linXiaomei });
    const [join, leave] = events();
    expect(join).toMatchObject({
      Event: 'change_external_chat',
      ChatId: chat,
      ChangeType: 'update',
      UpdateDetail: 'add_member',
      MemChangeCnt: '1',
    });
    expect(leave).toMatchObject({ UpdateDetail: 'del_member', QuitScene: '0' });
    expect(join!.CurMemVer).toBe(leave!.LastMemVer);
    expect(join!.LastMemVer).not.toBe(join!.CurMemVer);
    const t = await token();
    const detail = await post('externalcontact/groupchat/get', t, { chat_id: chat });
    expect(detail.group_chat.member_version).toBe(leave!.CurMemVer);
  });

  it('an admin edits the tag library in the console: change_external_tag create / update / delete', async () => {
    const add = await control('crm/admin-add-tag', {
      groupId: TAG_GROUPS[0]!.group_id,
      name: '年度框架客户',
    });
    await control('crm/admin-edit-tag', { id: add.body.tagId, name: '战略伙伴' });
    await control('crm/admin-delete-tag', { id: TAG_GROUPS[1]!.group_id });
    const [c, u, d] = events();
    expect(c).toMatchObject({
      Event: 'change_external_tag',
      Id: add.body.tagId,
      TagType: 'tag',
      ChangeType: 'create',
    });
    expect(u).toMatchObject({ Id: add.body.tagId, TagType: 'tag', ChangeType: 'update' });
    expect(d).toMatchObject({ Id: TAG_GROUPS[1]!.group_id, TagType: 'tag_group', ChangeType: 'delete' });
    expect(events()).toHaveLength(3);
    const t = await token();
    const list = await post('externalcontact/get_corp_tag_list', t, {});
    expect(list.tag_group.map((g: Json) => g.group_id)).not.toContain(TAG_GROUPS[1]!.group_id);
    // Admin-console tags are not the app's to edit.
    expect((await post('externalcontact/edit_corp_tag', t, { id: add.body.tagId, name: 'x' })).errcode).toBe(
      40068,
    );
  });

  it('refuses unknown ids without changing anything', async () => {
    expect(
      (
        await control('crm/customer-deletes-member', {
          externalUserId: WELL_KNOWN.noFollowers,
          userId: 'lina',
        })
      ).status,
    ).toBe(409);
    expect((await control('crm/admin-delete-tag', { id: 'etNOPE' })).status).toBe(404);
    expect(received).toHaveLength(0);
  });
});
