import { avatarUrl, daysAgo, OPAQUE_ID_RE, type Ctx } from './context';
import { decodeCursor, encodeCursor, err, invalidParam, readJson, type Auth } from './api-util';
import {
  addCorpTag,
  delCorpTag,
  editCorpTag,
  getCorpTagList,
  groupchatList,
  liveTag,
  memberVersion,
} from './crm';
import { notFound, ok, randomString } from './http';
import type { SeedChatMember, SeedCustomer, SeedFollow } from './seed';
import {
  addMsgTemplate,
  cancelGroupmsgSend,
  getGroupmsgListV2,
  getGroupmsgSendResult,
  getGroupmsgTask,
  mediaGet,
  mediaUpload,
  remindGroupmsgSend,
} from './massmsg';
import {
  APP_TICKET_BUDGET,
  CORP_TICKET_BUDGET,
  GETTOKEN_FAILURE_BUDGET,
  HOUR_MS,
  TICKET_TTL_MS,
  TOKEN_TTL_MS,
  USER_TICKET_TTL_MS,
  inVisibleRange,
  type Budget,
  type TicketRecord,
} from './state';

type Handler = (ctx: Ctx, auth: Auth) => Promise<Response> | Response;

interface ApiDef {
  method: 'GET' | 'POST';
  /** false: no access_token (gettoken). */
  token: boolean;
  handler: Handler;
}

const MARK_TAG_LIMIT = 3000;

// ---------------------------------------------------------------------------------------------------------
// Tokens and tickets

/**
 * gettoken. Wrong credentials over and over from one IP get that IP banned: about 2000 failed calls in an hour,
 * then 45009 for 60 minutes from that moment (wecom-platform.md §1.1: ERRCODES 45009 §5 and the 企业微信运营专员
 * answer), even for the right secret.
 */
function gettoken(ctx: Ctx): Response {
  const { state, url, now } = ctx;
  let failures = state.gettokenFailures.get(ctx.ip);
  if (failures?.blockedUntil !== undefined && now < failures.blockedUntil) return err(ctx, 45009);
  const failed = (code: number) => {
    failures ??= { windowStart: now, count: 0 };
    state.gettokenFailures.set(ctx.ip, failures);
    takeBudget(failures, now);
    if (failures.count >= GETTOKEN_FAILURE_BUDGET) {
      failures.blockedUntil = now + HOUR_MS;
      failures.count = 0;
      failures.windowStart = failures.blockedUntil;
    }
    return err(ctx, code);
  };
  const corpid = url.searchParams.get('corpid');
  const secret = url.searchParams.get('corpsecret');
  if (!corpid) return failed(41002);
  if (!secret) return failed(41004);
  if (corpid !== state.corp.corpId) return failed(40013);
  const app = state.apps.find((a) => a.secret === secret);
  if (!app || state.switches.invalidSecret) return failed(40001);
  const current = state.currentToken.get(app.agentId);
  const record = current ? state.tokens.get(current) : undefined;
  if (current && record && !record.revoked && record.expiresAt > now) {
    return ok({ access_token: current, expires_in: Math.floor((record.expiresAt - now) / 1000) });
  }
  const token = randomString(96);
  state.tokens.set(token, { agentId: app.agentId, expiresAt: now + TOKEN_TTL_MS, revoked: false });
  state.currentToken.set(app.agentId, token);
  return ok({ access_token: token, expires_in: TOKEN_TTL_MS / 1000 });
}

/** Checks the access_token of a call; returns the calling app or the error answer. */
function authenticate(ctx: Ctx): Auth | Response {
  const token = ctx.url.searchParams.get('access_token');
  if (!token) return err(ctx, 41001);
  const record = ctx.state.tokens.get(token);
  if (!record || record.revoked) return err(ctx, 40014);
  if (record.expiresAt <= ctx.now) return err(ctx, 42001);
  return { agentId: record.agentId, thirdParty: record.thirdParty === true };
}

function takeBudget(budget: Budget, now: number): void {
  if (now - budget.windowStart >= HOUR_MS) {
    budget.windowStart = now;
    budget.count = 0;
  }
  budget.count++;
}

/**
 * Whether a call may spend from the budget. The call that finds it spent trips a block that lasts 60 minutes from
 * that moment ("hour-window limits block for 60 minutes", DOC 90454), however early the window began.
 */
function budgetLeft(budget: Budget, limit: number, now: number): boolean {
  if (budget.blockedUntil !== undefined) {
    if (now < budget.blockedUntil) return false;
    budget.blockedUntil = undefined;
    budget.windowStart = now;
    budget.count = 0;
  }
  if (now - budget.windowStart >= HOUR_MS || budget.count < limit) return true;
  budget.blockedUntil = now + HOUR_MS;
  return false;
}

/** WeCom counts every ticket call: 400/h per corp (both kinds), 100/h per app. */
function chargeTicket(ctx: Ctx, agentId: string): Response | null {
  const { state, now } = ctx;
  let appBudget = state.appBudgets.get(agentId);
  if (!appBudget) {
    appBudget = { windowStart: now, count: 0 };
    state.appBudgets.set(agentId, appBudget);
  }
  const corpOk = budgetLeft(state.corpBudget, CORP_TICKET_BUDGET, now);
  const appOk = budgetLeft(appBudget, APP_TICKET_BUDGET, now);
  if (!corpOk || !appOk) return err(ctx, 45009);
  takeBudget(state.corpBudget, now);
  takeBudget(appBudget, now);
  return null;
}

function currentTicket(record: TicketRecord | null | undefined, now: number): TicketRecord {
  if (record && record.expiresAt > now) return record;
  return { ticket: randomString(64), expiresAt: now + TICKET_TTL_MS };
}

function ticketAnswer(record: TicketRecord, now: number): Response {
  return ok({ ticket: record.ticket, expires_in: Math.floor((record.expiresAt - now) / 1000) });
}

function getJsapiTicket(ctx: Ctx, auth: Auth): Response {
  const charged = chargeTicket(ctx, auth.agentId);
  if (charged) return charged;
  const record = currentTicket(ctx.state.corpTicket, ctx.now);
  ctx.state.corpTicket = record;
  return ticketAnswer(record, ctx.now);
}

function getAgentTicket(ctx: Ctx, auth: Auth): Response {
  if (ctx.url.searchParams.get('type') !== 'agent_config') return invalidParam(ctx, 'type');
  const agentid = ctx.url.searchParams.get('agentid');
  if (agentid && agentid !== auth.agentId) return err(ctx, 301002);
  const charged = chargeTicket(ctx, auth.agentId);
  if (charged) return charged;
  const record = currentTicket(ctx.state.agentTickets.get(auth.agentId), ctx.now);
  ctx.state.agentTickets.set(auth.agentId, record);
  return ticketAnswer(record, ctx.now);
}

// ---------------------------------------------------------------------------------------------------------
// Identity

function consumeCode(ctx: Ctx, auth: Auth) {
  const code = ctx.url.searchParams.get('code');
  if (!code) return null;
  const record = ctx.state.codes.get(code);
  if (!record || record.used || record.expiresAt <= ctx.now) return null;
  if (record.agentId && record.agentId !== auth.agentId) return null;
  record.used = true;
  return record;
}

function issueUserTicket(ctx: Ctx, userId: string, agentId: string): string {
  const ticket = randomString(48);
  ctx.state.userTickets.set(ticket, { userId, agentId, expiresAt: ctx.now + USER_TICKET_TTL_MS });
  return ticket;
}

function getuserinfo(ctx: Ctx, auth: Auth): Response {
  const record = consumeCode(ctx, auth);
  if (!record) return err(ctx, 40029);
  if (!ctx.trustedDomains.includes(record.redirectHost)) return err(ctx, 50001);
  if (record.visitor) {
    // Non-member: openid, plus external_userid when the visitor is a customer followed by an in-range member.
    const ext = record.visitor.externalUserId;
    const c = ext ? ctx.state.customers.find((x) => x.external_userid === ext) : undefined;
    const followed = c?.follow.some((f) => inVisibleRange(ctx.state, f.userid, auth.agentId));
    return ok({
      openid: record.visitor.openId,
      ...(c && followed ? { external_userid: c.external_userid } : {}),
    });
  }
  const body: Record<string, unknown> = { userid: record.userId };
  // user_ticket: snsapi_privateinfo only, and only for members inside the app's visible range (DOC 91023).
  if (record.kind === 'snsapi_privateinfo' && inVisibleRange(ctx.state, record.userId, auth.agentId))
    body.user_ticket = issueUserTicket(ctx, record.userId, auth.agentId);
  return ok(body);
}

/** Legacy user/getuserinfo: capitalised keys. */
function legacyGetuserinfo(ctx: Ctx, auth: Auth): Response {
  const record = consumeCode(ctx, auth);
  if (!record) return err(ctx, 40029);
  if (record.visitor) return ok({ OpenId: record.visitor.openId, DeviceId: '' });
  const body: Record<string, unknown> = { UserId: record.userId, DeviceId: '' };
  if (record.kind === 'snsapi_privateinfo') {
    body.user_ticket = issueUserTicket(ctx, record.userId, auth.agentId);
    body.expires_in = 7200;
  }
  return ok(body);
}

async function getuserdetail(ctx: Ctx): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const ticket = typeof body.user_ticket === 'string' ? body.user_ticket : '';
  if (!ticket) return invalidParam(ctx, 'user_ticket');
  const record = ctx.state.userTickets.get(ticket);
  if (!record) return err(ctx, 84015);
  if (record.expiresAt <= ctx.now) return err(ctx, 84014);
  const e = ctx.state.employees.find((x) => x.userid === record.userId);
  if (!e) return err(ctx, 60111);
  if (!inVisibleRange(ctx.state, e.userid, record.agentId ?? undefined)) return err(ctx, 50002);
  return ok({
    userid: e.userid,
    gender: e.gender,
    avatar: avatarUrl(ctx, e.userid),
    qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=vc${e.userid}`,
    mobile: e.mobile,
    email: e.email,
    biz_mail: `${e.userid}@xinghe.wecom.work`,
    address: e.address,
  });
}

function userGet(ctx: Ctx, auth: Auth): Response {
  const userid = ctx.url.searchParams.get('userid');
  if (!userid) return invalidParam(ctx, 'userid');
  const e = ctx.state.employees.find((x) => x.userid === userid);
  if (!e) return err(ctx, 60111, `invalid string value \`${userid}\`. userid not found`);
  if (!inVisibleRange(ctx.state, e.userid, auth.agentId)) return outOfRangeMember(ctx, e.userid);
  // Apps created after 2022-06-20 get no sensitive fields (avatar, mobile, gender, email, address...) here.
  return ok({
    userid: e.userid,
    // Third-party apps get the userid in place of the name.
    name: auth.thirdParty ? e.userid : e.name,
    department: e.department,
    order: e.department.map(() => 0),
    position: e.position,
    is_leader_in_dept: e.isLeader,
    direct_leader: e.directLeader,
    alias: e.alias,
    status: 1,
    main_department: e.department[0] ?? 1,
    extattr: { attrs: [] },
    external_position: e.position,
    external_profile: { external_corp_name: ctx.state.corp.name, external_attr: [] },
  });
}

function agentGet(ctx: Ctx, auth: Auth): Response {
  const agentid = ctx.url.searchParams.get('agentid');
  if (!agentid) return invalidParam(ctx, 'agentid');
  const app = ctx.state.apps.find((a) => a.agentId === agentid);
  if (!app) return err(ctx, 40056);
  if (agentid !== auth.agentId) return err(ctx, 301002);
  return ok({
    agentid: Number(app.agentId),
    name: app.name,
    square_logo_url: avatarUrl(ctx, `agent-${app.agentId}`),
    description: '',
    allow_userinfos: { user: ctx.state.employees.map((e) => ({ userid: e.userid })) },
    allow_partys: { partyid: [1] },
    allow_tags: { tagid: [] },
    close: 0,
    redirect_domain: ctx.trustedDomains[0] ?? '',
    report_location_flag: 0,
    isreportenter: 0,
    home_url: '',
    customized_publish_status: 0,
  });
}

// ---------------------------------------------------------------------------------------------------------
// External contacts

const tagInfo = (ctx: Ctx, tagId: string) => liveTag(ctx.state, tagId);

function externalContactObject(ctx: Ctx, c: SeedCustomer, auth: Auth): Record<string, unknown> {
  const o: Record<string, unknown> = {
    external_userid: c.external_userid,
    name: c.name,
    avatar: avatarUrl(ctx, c.external_userid),
    type: c.type,
    gender: c.gender,
  };
  // unionid: WeChat customers of a corp that bound a WeChat developer ID; third-party apps never get it.
  if (c.type === 1 && c.unionid && !auth.thirdParty) o.unionid = c.unionid;
  if (c.type === 2) {
    o.position = c.position ?? '';
    o.corp_name = c.corp_name ?? '';
    o.corp_full_name = c.corp_full_name ?? '';
    if (c.external_profile) o.external_profile = c.external_profile;
  }
  return o;
}

function followCommon(ctx: Ctx, c: SeedCustomer, f: SeedFollow): Record<string, unknown> {
  const o: Record<string, unknown> = {
    userid: f.userid,
    remark: f.remark,
    description: f.description,
    createtime:
      f.createTime ?? daysAgo(ctx.state, f.daysAgo, (c.external_userid.charCodeAt(5) * 613) % 40000),
  };
  return o;
}

function followTail(c: SeedCustomer, f: SeedFollow, o: Record<string, unknown>): Record<string, unknown> {
  if (c.type === 1 && f.remarkCorpName) o.remark_corp_name = f.remarkCorpName;
  o.remark_mobiles = f.remarkMobiles;
  if (f.addWay !== 0) {
    o.oper_userid = f.operUserid ?? (f.addWay === 7 ? c.external_userid : f.userid);
  }
  o.add_way = f.addWay;
  if (f.state) o.state = f.state;
  if (f.addWay === 10 && f.wechatChannels) o.wechat_channels = f.wechatChannels;
  return o;
}

function followUser(ctx: Ctx, c: SeedCustomer, f: SeedFollow): Record<string, unknown> {
  const o = followCommon(ctx, c, f);
  const tags: Record<string, unknown>[] = [];
  for (const id of f.tagIds) {
    const info = tagInfo(ctx, id);
    if (info) tags.push({ group_name: info.group.group_name, tag_name: info.tag.name, tag_id: id, type: 1 });
  }
  for (const name of f.personalTags ?? []) tags.push({ group_name: '个人标签', tag_name: name, type: 2 });
  o.tags = tags;
  return followTail(c, f, o);
}

function followInfo(ctx: Ctx, c: SeedCustomer, f: SeedFollow): Record<string, unknown> {
  const o = followCommon(ctx, c, f);
  o.tag_id = f.tagIds.filter((id) => tagInfo(ctx, id));
  return followTail(c, f, o);
}

/** A member outside the app's visible range: 60011 (no privilege) or 60111 (userid not found), per the switch. */
function outOfRangeMember(ctx: Ctx, userid: string): Response {
  return ctx.state.visibleRange.memberErrcode === 60111
    ? err(ctx, 60111, `invalid string value \`${userid}\`. userid not found`)
    : err(ctx, 60011);
}

/** Validates an external userid; answers 41035 / 40096 or returns the customer. */
function findCustomer(ctx: Ctx, id: unknown): SeedCustomer | Response {
  if (typeof id !== 'string' || id === '') return err(ctx, 41035);
  const malformed = () => err(ctx, 40096, `invalid string value \`${id}\`. invalid external userid`);
  if (!OPAQUE_ID_RE.test(id)) return malformed();
  const c = ctx.state.customers.find((x) => x.external_userid === id);
  return c ?? malformed();
}

/** A member of the corp inside the app's visible range; 60111 for unknown userids, 60011/60111 outside the range. */
function findEmployee(ctx: Ctx, auth: Auth, userid: unknown) {
  if (typeof userid !== 'string' || !userid) return invalidParam(ctx, 'userid');
  const e = ctx.state.employees.find((x) => x.userid === userid);
  if (!e) return err(ctx, 60111, `invalid string value \`${userid}\`. userid not found`);
  return inVisibleRange(ctx.state, e.userid, auth.agentId) ? e : outOfRangeMember(ctx, e.userid);
}

/**
 * externalcontact/get: "返回的跟进人follow_user仅包含应用可见范围之内的成员" (DOC 92114). A customer nobody follows any
 * more is 84061 with `follow_user: []` kept in the body; one whose followers are all outside the range is 40096
 * ("外部联系人对应的跟进成员要在应用可见范围"), or the historically observed 60011 with an empty payload.
 */
function externalcontactGet(ctx: Ctx, auth: Auth): Response {
  const c = findCustomer(ctx, ctx.url.searchParams.get('external_userid'));
  if (c instanceof Response) return c;
  if (c.follow.length === 0) return err(ctx, 84061, undefined, { follow_user: [] });
  const visible = c.follow.filter((f) => inVisibleRange(ctx.state, f.userid, auth.agentId));
  if (visible.length === 0) {
    return ctx.state.visibleRange.customerErrcode === 60011
      ? err(ctx, 60011, undefined, { external_contact: {}, follow_user: [] })
      : err(ctx, 40096, `invalid string value \`${c.external_userid}\`. invalid external userid`);
  }
  return ok({
    external_contact: externalContactObject(ctx, c, auth),
    follow_user: visible.map((f) => followUser(ctx, c, f)),
  });
}

function customersOf(ctx: Ctx, userid: string): SeedCustomer[] {
  return ctx.state.customers
    .filter((c) => c.follow.some((f) => f.userid === userid))
    .sort((a, b) => {
      const fa = a.follow.find((f) => f.userid === userid)!;
      const fb = b.follow.find((f) => f.userid === userid)!;
      return fa.daysAgo - fb.daysAgo;
    });
}

/** DOC 92571: the members inside the app's visible range who have the 客户联系 feature. */
function getFollowUserList(ctx: Ctx, auth: Auth): Response {
  const follow = ctx.state.employees
    .filter((e) => e.externalContact && inVisibleRange(ctx.state, e.userid, auth.agentId))
    .map((e) => e.userid);
  return ok({ follow_user: follow });
}

function externalcontactList(ctx: Ctx, auth: Auth): Response {
  const e = findEmployee(ctx, auth, ctx.url.searchParams.get('userid'));
  if (e instanceof Response) return e;
  const ids = e.externalContact ? customersOf(ctx, e.userid).map((c) => c.external_userid) : [];
  if (ids.length === 0) return err(ctx, 84061, undefined, { external_userid: [] });
  return ok({ external_userid: ids });
}

async function batchGetByUser(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const list = body.userid_list;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.length > 100 ||
    !list.every((u) => typeof u === 'string')
  ) {
    return invalidParam(ctx, 'userid_list');
  }
  let limit = 50;
  if (body.limit !== undefined && body.limit !== null) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 0) {
      return invalidParam(ctx, 'limit');
    }
    limit = body.limit === 0 ? 50 : Math.min(body.limit, 100);
  }
  let offset = 0;
  if (typeof body.cursor === 'string' && body.cursor !== '') {
    const decoded = decodeCursor(body.cursor);
    if (decoded === null) return invalidParam(ctx, 'cursor');
    offset = decoded;
  }
  const rows: Array<{ c: SeedCustomer; f: SeedFollow }> = [];
  for (const userid of list as string[]) {
    const e = ctx.state.employees.find((x) => x.userid === userid);
    // Members outside the visible range contribute nothing, like members without 客户联系.
    if (!e || !e.externalContact || !inVisibleRange(ctx.state, e.userid, auth.agentId)) continue;
    for (const c of customersOf(ctx, userid)) rows.push({ c, f: c.follow.find((f) => f.userid === userid)! });
  }
  const page = rows.slice(offset, offset + limit);
  const next = offset + limit < rows.length ? encodeCursor(offset + limit) : '';
  return ok({
    external_contact_list: page.map(({ c, f }) => ({
      external_contact: externalContactObject(ctx, c, auth),
      follow_info: followInfo(ctx, c, f),
    })),
    next_cursor: next,
  });
}

async function groupchatGet(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const chatId = body.chat_id;
  if (typeof chatId !== 'string' || !chatId) return invalidParam(ctx, 'chat_id');
  const chat = OPAQUE_ID_RE.test(chatId)
    ? ctx.state.groupChats.find((g) => g.chat_id === chatId && !g.dismissed)
    : undefined;
  if (!chat) return err(ctx, 40050);
  // "对于第三方/自建应用，群主必须在应用的可见范围" (DOC 92122).
  if (!inVisibleRange(ctx.state, chat.owner, auth.agentId)) return err(ctx, 60011);
  const needName = body.need_name === 1 || body.need_name === '1' || body.need_name === true;
  // Customers keep their names; members' names are withheld from third-party apps as in user/get.
  const nameOf = (m: SeedChatMember) => {
    if (m.type === 2) return m.name ?? ctx.state.customers.find((c) => c.external_userid === m.userid)?.name;
    const employee = ctx.state.employees.find((e) => e.userid === m.userid);
    return auth.thirdParty ? employee?.userid : employee?.name;
  };
  return ok({
    group_chat: {
      chat_id: chat.chat_id,
      name: chat.name,
      owner: chat.owner,
      create_time: daysAgo(ctx.state, chat.createdDaysAgo, 36000),
      notice: chat.notice,
      member_list: chat.members.map((m) => {
        const o: Record<string, unknown> = {
          userid: m.userid,
          type: m.type,
          join_time: m.joinTime ?? daysAgo(ctx.state, m.joinDaysAgo, 36600),
          join_scene: m.join_scene,
        };
        // unionid: WeChat users only, when the corp bound a WeChat developer ID ("第三方不可获取").
        const unionid =
          m.type === 2
            ? (m.unionid ??
              ctx.state.customers.find((c) => c.external_userid === m.userid && c.type === 1)?.unionid)
            : undefined;
        if (unionid && !auth.thirdParty) o.unionid = unionid;
        if (m.invitor) o.invitor = { userid: m.invitor };
        o.group_nickname = m.group_nickname ?? '';
        if (needName) o.name = nameOf(m) ?? '';
        return o;
      }),
      admin_list: chat.admin_list.map((userid) => ({ userid })),
      member_version: memberVersion(chat),
    },
  });
}

function followOf(
  ctx: Ctx,
  auth: Auth,
  body: Record<string, unknown>,
): { c: SeedCustomer; f: SeedFollow } | Response {
  const e = findEmployee(ctx, auth, body.userid);
  if (e instanceof Response) return e;
  const c = findCustomer(ctx, body.external_userid);
  if (c instanceof Response) return c;
  const f = c.follow.find((x) => x.userid === e.userid);
  if (!f) return err(ctx, 84061);
  return { c, f };
}

async function remark(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const found = followOf(ctx, auth, body);
  if (found instanceof Response) return found;
  const { c, f } = found;
  const str = (name: string, max: number): string | undefined | Response => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || [...v].length > max) return invalidParam(ctx, name);
    return v;
  };
  const remarkText = str('remark', 20);
  const description = str('description', 150);
  const company = str('remark_company', 20);
  const mediaId = str('remark_pic_mediaid', 256);
  for (const v of [remarkText, description, company, mediaId]) if (v instanceof Response) return v;
  let mobiles: string[] | undefined;
  if (body.remark_mobiles !== undefined && body.remark_mobiles !== null) {
    const m = body.remark_mobiles;
    if (!Array.isArray(m) || !m.every((x) => typeof x === 'string' && /^[0-9+\-() ]{0,32}$/.test(x))) {
      return invalidParam(ctx, 'remark_mobiles');
    }
    mobiles = (m as string[]).filter((x) => x !== '');
  }
  // remark_mobiles [""] is a real value (it clears the mobiles); [] counts as empty.
  const given =
    [remarkText, description, company, mediaId].some((v) => typeof v === 'string' && v !== '') ||
    (mobiles !== undefined && (body.remark_mobiles as unknown[]).length > 0);
  if (!given) return invalidParam(ctx, 'remark');
  if (typeof remarkText === 'string') f.remark = remarkText;
  if (typeof description === 'string') f.description = description;
  if (typeof company === 'string' && c.type === 1) f.remarkCorpName = company;
  if (mobiles) f.remarkMobiles = mobiles;
  return ok();
}

async function markTag(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const found = followOf(ctx, auth, body);
  if (found instanceof Response) return found;
  const { f } = found;
  const list = (name: string): string[] | Response => {
    const v = body[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return invalidParam(ctx, name);
    return v as string[];
  };
  const add = list('add_tag');
  const remove = list('remove_tag');
  if (add instanceof Response) return add;
  if (remove instanceof Response) return remove;
  if (add.length === 0 && remove.length === 0) return invalidParam(ctx, 'add_tag');
  for (const id of [...add, ...remove]) {
    if (!tagInfo(ctx, id)) return err(ctx, 40068, `invalid string value \`${id}\`. invalid tagid`);
  }
  const next = f.tagIds.filter((id) => !remove.includes(id));
  for (const id of add) if (!next.includes(id)) next.push(id);
  // 每个客户最多可打 3000 个企业标签 (per member-customer pair).
  if (next.length > MARK_TAG_LIMIT) return invalidParam(ctx, 'add_tag');
  f.tagIds = next;
  return ok();
}

// ---------------------------------------------------------------------------------------------------------

const MASS_API: Record<string, ApiDef> = {
  'media/upload': { method: 'POST', token: true, handler: (ctx) => mediaUpload(ctx) },
  'media/get': { method: 'GET', token: true, handler: (ctx) => mediaGet(ctx) },
  'externalcontact/add_msg_template': { method: 'POST', token: true, handler: (ctx) => addMsgTemplate(ctx) },
  'externalcontact/get_groupmsg_list_v2': {
    method: 'POST',
    token: true,
    handler: (ctx) => getGroupmsgListV2(ctx),
  },
  'externalcontact/get_groupmsg_task': {
    method: 'POST',
    token: true,
    handler: (ctx) => getGroupmsgTask(ctx),
  },
  'externalcontact/get_groupmsg_send_result': {
    method: 'POST',
    token: true,
    handler: (ctx) => getGroupmsgSendResult(ctx),
  },
  'externalcontact/remind_groupmsg_send': {
    method: 'POST',
    token: true,
    handler: (ctx) => remindGroupmsgSend(ctx),
  },
  'externalcontact/cancel_groupmsg_send': {
    method: 'POST',
    token: true,
    handler: (ctx) => cancelGroupmsgSend(ctx),
  },
};

export const API: Record<string, ApiDef> = {
  gettoken: { method: 'GET', token: false, handler: (ctx) => gettoken(ctx) },
  get_jsapi_ticket: { method: 'GET', token: true, handler: getJsapiTicket },
  'ticket/get': { method: 'GET', token: true, handler: getAgentTicket },
  'auth/getuserinfo': { method: 'GET', token: true, handler: getuserinfo },
  'user/getuserinfo': { method: 'GET', token: true, handler: legacyGetuserinfo },
  'auth/getuserdetail': { method: 'POST', token: true, handler: (ctx) => getuserdetail(ctx) },
  'user/get': { method: 'GET', token: true, handler: userGet },
  'agent/get': { method: 'GET', token: true, handler: agentGet },
  'externalcontact/get': { method: 'GET', token: true, handler: externalcontactGet },
  'externalcontact/list': { method: 'GET', token: true, handler: externalcontactList },
  'externalcontact/get_follow_user_list': { method: 'GET', token: true, handler: getFollowUserList },
  'externalcontact/batch/get_by_user': { method: 'POST', token: true, handler: batchGetByUser },
  'externalcontact/groupchat/get': { method: 'POST', token: true, handler: groupchatGet },
  'externalcontact/get_corp_tag_list': { method: 'POST', token: true, handler: (ctx) => getCorpTagList(ctx) },
  'externalcontact/add_corp_tag': { method: 'POST', token: true, handler: addCorpTag },
  'externalcontact/edit_corp_tag': { method: 'POST', token: true, handler: editCorpTag },
  'externalcontact/del_corp_tag': { method: 'POST', token: true, handler: delCorpTag },
  'externalcontact/groupchat/list': { method: 'POST', token: true, handler: (ctx) => groupchatList(ctx) },
  'externalcontact/remark': { method: 'POST', token: true, handler: remark },
  'externalcontact/mark_tag': { method: 'POST', token: true, handler: markTag },
  ...MASS_API,
};

/** Runs one `/cgi-bin/<api>` call after counters, faults and switches were applied by the router. */
export async function runApi(ctx: Ctx, api: string): Promise<Response> {
  const def = API[api];
  if (!def) return notFound();
  // An untrusted caller IP still gets its access token; the business APIs then answer 60020.
  if (ctx.state.switches.ipBlocked && api !== 'gettoken') return err(ctx, 60020);
  let auth: Auth = { agentId: '', thirdParty: false };
  if (def.token) {
    const a = authenticate(ctx);
    if (a instanceof Response) return a;
    auth = a;
  }
  if (def.method === 'POST' && ctx.req.method !== 'POST') return invalidParam(ctx, 'method');
  if (api.startsWith('externalcontact/')) {
    const app = ctx.state.apps.find((a) => a.agentId === auth.agentId);
    if (ctx.state.switches.externalContactForbidden || !app?.externalContact) return err(ctx, 48002);
  }
  return def.handler(ctx, auth);
}
