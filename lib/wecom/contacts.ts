import 'server-only';
import { forbidden, type Bilingual } from '../http';
import type {
  CorpTagGroup,
  CustomerPage,
  CustomerProfile,
  CustomerSummary,
  CustomerType,
  EmployeeRef,
  ExternalAttrDto,
  Gender,
  GroupChatDto,
  GroupMemberDto,
  NameSource,
  TagDto,
  TagGroupDto,
} from '../contacts-dto';
import type { WecomClient } from './client';

export type * from '../contacts-dto';

/**
 * Customer (外部联系人) and customer group chat reads, converted to what the pages show. Authorization lives here:
 * an employee sees a customer only if they follow them, and a group chat only if they are in it. The DTOs carry
 * the viewer's own follow data and nothing of other employees (their remarks and mobiles stay on the server).
 */

/** The part of the WeCom client this module needs (tests pass a client pointed at a local emulator). */
export type WecomCaller = Pick<WecomClient, 'call'>;

export interface ContactsDeps {
  /** The corp's WeCom client (`corp.wecom`): every read is one corp's. */
  client: WecomCaller;
}

const caller = (deps: ContactsDeps): WecomCaller => deps.client;

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes (only the fields we read)

interface WireTag {
  group_name?: string;
  tag_name?: string;
  tag_id?: string;
  type?: number;
}

interface WireFollowUser {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  tags?: WireTag[];
  remark_corp_name?: string;
  remark_mobiles?: string[];
  add_way?: number;
}

interface WireExternalContact {
  external_userid: string;
  name?: string;
  avatar?: string;
  type?: number;
  gender?: number;
  position?: string;
  corp_name?: string;
  corp_full_name?: string;
  external_profile?: { external_attr?: WireExternalAttr[] };
}

interface WireExternalAttr {
  type?: number;
  name?: string;
  text?: { value?: string };
  web?: { url?: string; title?: string };
  miniprogram?: { appid?: string; pagepath?: string; title?: string };
}

export interface WireContactDetail {
  external_contact: WireExternalContact;
  follow_user?: WireFollowUser[];
  next_cursor?: string;
}

interface WireChatMember {
  userid: string;
  type: number;
  join_time?: number;
  join_scene?: number;
  invitor?: { userid?: string };
  group_nickname?: string;
  name?: string;
}

export interface WireGroupChat {
  group_chat: {
    chat_id: string;
    name?: string;
    owner?: string;
    create_time?: number;
    notice?: string;
    member_list?: WireChatMember[];
    admin_list?: { userid: string }[];
  };
}

interface WireBatchItem {
  external_contact: WireExternalContact;
  follow_info?: {
    userid: string;
    remark?: string;
    description?: string;
    createtime?: number;
    tag_id?: string[];
    remark_corp_name?: string;
    add_way?: number;
  };
}

interface WireBatch {
  external_contact_list?: WireBatchItem[];
  next_cursor?: string;
}

interface WireTagList {
  tag_group?: {
    group_id: string;
    group_name: string;
    order?: number;
    tag?: { id: string; name: string; order?: number }[];
  }[];
}

// ---------------------------------------------------------------------------------------------------------------
// DTOs: lib/contacts-dto.ts (shared with client components)

// Words

const ADD_WAYS: Record<number, Bilingual> = {
  0: { zh: '未知来源', en: 'Unknown source' },
  1: { zh: '扫描二维码', en: 'Scanned a QR code' },
  2: { zh: '搜索手机号', en: 'Searched a mobile number' },
  3: { zh: '名片分享', en: 'Shared contact card' },
  4: { zh: '群聊', en: 'Group chat' },
  5: { zh: '手机通讯录', en: 'Phone contacts' },
  6: { zh: '微信联系人', en: 'WeChat contacts' },
  7: { zh: '来自微信的添加好友申请', en: 'Friend request from WeChat' },
  8: {
    zh: '安装第三方应用时自动添加的客服人员',
    en: 'Support staff added when installing a third-party app',
  },
  9: { zh: '搜索邮箱', en: 'Searched an email address' },
  10: { zh: '视频号添加', en: 'WeChat Channels' },
  11: { zh: '通过日程参与人添加', en: 'Schedule participant' },
  12: { zh: '通过会议参与人添加', en: 'Meeting participant' },
  13: { zh: '添加微信好友对应的企业微信', en: 'WeCom account of a WeChat friend' },
  14: { zh: '通过智慧硬件专属客服添加', en: 'Smart-hardware support' },
  15: { zh: '通过上门服务客服添加', en: 'On-site service support' },
  16: { zh: '通过获客链接添加', en: 'Customer acquisition link' },
  17: { zh: '通过定制开发添加', en: 'Custom development' },
  18: { zh: '通过需求回复添加', en: 'Reply to a request' },
  21: { zh: '通过第三方售前客服添加', en: 'Third-party pre-sales support' },
  22: { zh: '通过可能的商务伙伴添加', en: 'Possible business partner' },
  24: {
    zh: '通过接受微信账号收到的好友申请添加',
    en: 'Accepted a friend request received by a WeChat account',
  },
  201: { zh: '内部成员共享', en: 'Shared by a colleague' },
  202: { zh: '管理员/负责人分配', en: 'Assigned by an admin or owner' },
};

const JOIN_SCENES: Record<number, Bilingual> = {
  1: { zh: '直接邀请入群', en: 'Invited directly' },
  2: { zh: '通过邀请链接入群', en: 'Joined via invite link' },
  3: { zh: '通过扫描群二维码入群', en: 'Joined by scanning the group QR code' },
};

export function addWayText(addWay: number): Bilingual {
  return ADD_WAYS[addWay] ?? { zh: `未知来源（${addWay}）`, en: `Unknown source (${addWay})` };
}

export function joinSceneText(scene: number): Bilingual {
  return JOIN_SCENES[scene] ?? { zh: '未知方式入群', en: 'Joined in an unknown way' };
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping (pure)

const text = (v: string | undefined | null) => (v && v.trim() ? v : null);
const isoFromSeconds = (s: number | undefined) =>
  typeof s === 'number' && s > 0 ? new Date(s * 1000).toISOString() : null;
const genderOf = (g: number | undefined): Gender => (g === 1 ? 'male' : g === 2 ? 'female' : 'unknown');
const typeOf = (t: number | undefined): CustomerType => (t === 2 ? 'wecom' : 'wechat');

/** Tags grouped by tag group, in the order WeCom lists them. */
export function groupTags(tags: WireTag[] | undefined): TagGroupDto[] {
  const groups = new Map<string, TagDto[]>();
  for (const tag of tags ?? []) {
    if (!tag.tag_name) continue;
    const groupName = tag.group_name?.trim() || '个人标签';
    const kind = tag.type === 2 ? 'personal' : tag.type === 3 ? 'rule' : 'corp';
    const list = groups.get(groupName) ?? [];
    if (!list.some((t) => t.name === tag.tag_name))
      list.push({ id: tag.tag_id ?? null, name: tag.tag_name, kind });
    groups.set(groupName, list);
  }
  return [...groups].map(([groupName, list]) => ({ groupName, tags: list }));
}

/** external_attr as the page shows it: type 0 text, 1 web (http(s) only), 2 mini-program; anything else is left out. */
export function externalAttrs(attrs: WireExternalAttr[] | undefined): ExternalAttrDto[] {
  const out: ExternalAttrDto[] = [];
  for (const a of attrs ?? []) {
    const name = a.name?.trim();
    if (!name) continue;
    if (a.type === 0 && a.text?.value?.trim()) out.push({ kind: 'text', name, text: a.text.value });
    else if (a.type === 1 && a.web?.url && /^https?:\/\//i.test(a.web.url))
      out.push({ kind: 'web', name, url: a.web.url, title: a.web.title?.trim() || a.web.url });
    else if (a.type === 2 && a.miniprogram?.title?.trim())
      out.push({ kind: 'miniprogram', name, title: a.miniprogram.title });
  }
  return out;
}

/** The profile as `viewerUserId` may see it; throws 403 when the viewer does not follow the customer. */
export function toCustomerProfile(detail: WireContactDetail, viewerUserId: string): CustomerProfile {
  const followers = detail.follow_user ?? [];
  const mine = followers.find((f) => f.userid === viewerUserId);
  if (!mine) throw notYourCustomer();
  const c = detail.external_contact;
  const type = typeOf(c.type);
  const addWay = mine.add_way ?? 0;
  return {
    externalUserId: c.external_userid,
    name: c.name ?? '',
    avatar: text(c.avatar),
    type,
    corpName: type === 'wecom' ? (text(c.corp_name) ?? text(c.corp_full_name)) : null,
    corpFullName: type === 'wecom' ? text(c.corp_full_name) : null,
    position: type === 'wecom' ? text(c.position) : null,
    externalProfile: type === 'wecom' ? externalAttrs(c.external_profile?.external_attr) : [],
    gender: genderOf(c.gender),
    follow: {
      remark: text(mine.remark),
      description: text(mine.description),
      remarkCorpName: text(mine.remark_corp_name),
      remarkMobiles: (mine.remark_mobiles ?? []).filter((m) => m && m.trim()),
      tagGroups: groupTags(mine.tags),
      addedAt: isoFromSeconds(mine.createtime),
      addWay,
      addWayText: addWayText(addWay),
    },
    otherFollowerCount: new Set(followers.filter((f) => f.userid !== viewerUserId).map((f) => f.userid)).size,
  };
}

/** The group chat as a member may see it; throws 403 when the viewer is not owner, admin or member. */
export function toGroupChat(
  wire: WireGroupChat,
  viewerUserId: string,
  opts: { employeeNames?: NameSource } = {},
): GroupChatDto {
  const chat = wire.group_chat;
  const members = chat.member_list ?? [];
  const admins = new Set((chat.admin_list ?? []).map((a) => a.userid));
  const isMemberEmployee = members.some((m) => m.type === 1 && m.userid === viewerUserId);
  if (chat.owner !== viewerUserId && !admins.has(viewerUserId) && !isMemberEmployee) throw notInGroup();

  // Third-party apps get userids as employees' names: the client renders those names (ww-open-data).
  const nameSource = opts.employeeNames ?? 'api';
  const employeeNames = new Map(
    members.filter((m) => m.type === 1).map((m) => [m.userid, m.name || m.userid]),
  );
  const employee = (userid: string, ownName?: string): EmployeeRef => ({
    userId: userid,
    name: nameSource === 'open-data' ? userid : ownName || (employeeNames.get(userid) ?? userid),
    nameSource,
  });

  const toMember = (m: WireChatMember): GroupMemberDto => ({
    kind: m.type === 1 ? 'employee' : 'customer',
    ...(m.type === 1
      ? employee(m.userid, m.name || m.group_nickname)
      : { userId: m.userid, name: m.name || m.group_nickname || '客户', nameSource: 'api' as const }),
    groupNickname: text(m.group_nickname),
    joinedAt: isoFromSeconds(m.join_time),
    joinScene: m.join_scene ?? 0,
    joinSceneText: joinSceneText(m.join_scene ?? 0),
    invitedBy: m.invitor?.userid ? employee(m.invitor.userid) : null,
    isOwner: m.type === 1 && m.userid === chat.owner,
    isAdmin: m.type === 1 && admins.has(m.userid),
    isMe: m.type === 1 && m.userid === viewerUserId,
  });

  const byJoin = (a: GroupMemberDto, b: GroupMemberDto) => (a.joinedAt ?? '').localeCompare(b.joinedAt ?? '');
  return {
    chatId: chat.chat_id,
    name: text(chat.name) ?? '未命名的客户群',
    owner: { ...employee(chat.owner ?? ''), isMe: chat.owner === viewerUserId },
    createdAt: isoFromSeconds(chat.create_time),
    notice: text(chat.notice),
    memberCount: members.length,
    employees: members
      .filter((m) => m.type === 1)
      .map(toMember)
      .sort(byJoin),
    customers: members
      .filter((m) => m.type !== 1)
      .map(toMember)
      .sort(byJoin),
  };
}

export function toCustomerSummary(item: WireBatchItem): CustomerSummary {
  const c = item.external_contact;
  const f = item.follow_info;
  const type = typeOf(c.type);
  const addWay = f?.add_way ?? 0;
  return {
    externalUserId: c.external_userid,
    name: c.name ?? '',
    avatar: text(c.avatar),
    type,
    corpName: type === 'wecom' ? (text(c.corp_name) ?? text(c.corp_full_name)) : null,
    gender: genderOf(c.gender),
    remark: text(f?.remark),
    description: text(f?.description),
    addedAt: isoFromSeconds(f?.createtime),
    addWay,
    addWayText: addWayText(addWay),
    tagIds: f?.tag_id ?? [],
  };
}

function notYourCustomer() {
  return forbidden({
    zh: '该客户不是你的客户：你没有添加或跟进该客户，无法查看资料',
    en: 'This customer is not one of yours: you have not added or followed them, so their profile is hidden',
  });
}

function notInGroup() {
  return forbidden({
    zh: '你不在该客户群中，无法查看群详情',
    en: 'You are not a member of this customer group, so its details are hidden',
  });
}

function errcodeOf(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

/** Customers with more than 500 followers come in pages; a safety bound keeps a misbehaving cursor finite. */
const MAX_FOLLOWER_PAGES = 20;

export async function getCustomerForUser(
  userId: string,
  externalUserId: string,
  deps: ContactsDeps,
): Promise<CustomerProfile> {
  const client = caller(deps);
  let detail: WireContactDetail | undefined;
  let cursor = '';
  for (let page = 0; page < MAX_FOLLOWER_PAGES; page++) {
    const query: Record<string, string> = { external_userid: externalUserId };
    if (cursor) query.cursor = cursor;
    const res = await client.call<WireContactDetail>('externalcontact/get', { method: 'GET', query });
    detail = detail
      ? { ...detail, follow_user: [...(detail.follow_user ?? []), ...(res.follow_user ?? [])] }
      : res;
    cursor = res.next_cursor ?? '';
    if (!cursor) break;
  }
  return toCustomerProfile(detail!, userId);
}

export async function getGroupChatForUser(
  userId: string,
  chatId: string,
  deps: ContactsDeps & { employeeNames?: NameSource },
): Promise<GroupChatDto> {
  const res = await caller(deps).call<WireGroupChat>('externalcontact/groupchat/get', {
    method: 'POST',
    body: { chat_id: chatId, need_name: 1 },
    idempotent: true,
  });
  return toGroupChat(res, userId, { employeeNames: deps.employeeNames });
}

/** The external userids the member follows; empty when they have none (or no 客户联系 feature: 84061). */
export async function listCustomerIds(userId: string, deps: ContactsDeps): Promise<string[]> {
  try {
    const res = await caller(deps).call<{ external_userid?: string[] }>('externalcontact/list', {
      method: 'GET',
      query: { userid: userId },
    });
    return res.external_userid ?? [];
  } catch (err) {
    if (errcodeOf(err) === 84061) return [];
    throw err;
  }
}

export async function listCustomersPage(
  userId: string,
  opts: { cursor?: string | null; limit?: number } = {},
  deps: ContactsDeps,
): Promise<{ items: CustomerSummary[]; nextCursor: string | null }> {
  const limit = Math.min(100, Math.max(1, Math.floor(opts.limit ?? 50)));
  const res = await caller(deps).call<WireBatch>('externalcontact/batch/get_by_user', {
    method: 'POST',
    body: { userid_list: [userId], cursor: opts.cursor ?? '', limit },
    idempotent: true,
  });
  return {
    items: (res.external_contact_list ?? []).map(toCustomerSummary),
    nextCursor: res.next_cursor ? res.next_cursor : null,
  };
}

/** A filtered request reads at most this many upstream pages before answering with a cursor to continue. */
const MAX_FILTER_PAGES = 10;

function matches(c: CustomerSummary, q: string | undefined, tag: string | undefined): boolean {
  if (tag && !c.tagIds.includes(tag)) return false;
  if (!q) return true;
  const needle = q.toLowerCase();
  return c.name.toLowerCase().includes(needle) || (c.remark ?? '').toLowerCase().includes(needle);
}

/**
 * The member's customers, a page at a time, optionally filtered by name/remark (`q`) and tag id. The first page
 * also carries `total` (externalcontact/list), which is 0 for a member without customers or without the 客户联系
 * feature (WeCom answers 84061 for both). WeCom has no server-side search: a filtered page walks full upstream
 * pages and keeps the matches until it is full.
 */
export async function searchCustomers(
  userId: string,
  opts: { cursor?: string; limit: number; q?: string; tag?: string },
  deps: ContactsDeps,
): Promise<CustomerPage> {
  const { cursor, limit, q, tag } = opts;
  let total: number | undefined;
  if (!cursor) {
    total = (await listCustomerIds(userId, deps)).length;
    if (total === 0) return { items: [], nextCursor: null, total };
  }
  if (!q && !tag) return { ...(await listCustomersPage(userId, { cursor, limit }, deps)), total };

  const items: CustomerSummary[] = [];
  let next: string | null = cursor ?? null;
  for (let i = 0; i < MAX_FILTER_PAGES; i++) {
    const page = await listCustomersPage(userId, { cursor: next, limit: 100 }, deps);
    items.push(...page.items.filter((c) => matches(c, q, tag)));
    next = page.nextCursor;
    if (!next || items.length >= limit) break;
  }
  return { items, nextCursor: next, total };
}

export async function getCorpTags(deps: ContactsDeps): Promise<CorpTagGroup[]> {
  const res = await caller(deps).call<WireTagList>('externalcontact/get_corp_tag_list', {
    method: 'POST',
    body: {},
    idempotent: true,
  });
  // WeCom: the larger `order`, the earlier.
  return [...(res.tag_group ?? [])]
    .sort((a, b) => (b.order ?? 0) - (a.order ?? 0))
    .map((g) => ({
      groupId: g.group_id,
      groupName: g.group_name,
      tags: [...(g.tag ?? [])]
        .sort((a, b) => (b.order ?? 0) - (a.order ?? 0))
        .map((t) => ({ id: t.id, name: t.name })),
    }));
}
