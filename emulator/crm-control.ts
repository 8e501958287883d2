import { OPAQUE_ID_RE, type Ctx } from './context';
import { deleteTags, liveTag, memberVersion, newTagId, TAG_NAME_MAX } from './crm';
import { emit, type CrmEvent } from './events';
import { json, notFound, randomString } from './http';
import type { SeedCustomer, SeedGroupChat } from './seed';

/**
 * Control actions for what people do outside the app — in the WeCom client or the admin console — and the app's
 * callback settings. Unlike API writes, each of these changes the data *and* pushes the change event to the
 * app's callback URLs (self-built) and the suite's instruction URL (third-party), like WeCom does.
 *
 *   GET|POST /wecom-emulator/callbacks                  the self-built app's 接收消息 URL / Token / EncodingAESKey
 *   GET  /wecom-emulator/crm/customer?externalUserId=   a customer with every follower's remark and tags
 *   GET  /wecom-emulator/crm/tags                       the tag library, deleted entries and creators included
 *   POST /wecom-emulator/crm/<action>                   see ACTIONS below
 */

type Body = Record<string, unknown>;

const bad = (message: string, status = 400) => json({ ok: false, error: message }, status);

async function readBody(req: Request): Promise<Body | null> {
  try {
    const text = await req.text();
    if (!text.trim()) return {};
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function customerOf(ctx: Ctx, b: Body): SeedCustomer | Response {
  const id = str(b.externalUserId);
  if (!OPAQUE_ID_RE.test(id)) return bad('externalUserId is required');
  return ctx.state.customers.find((c) => c.external_userid === id) ?? bad('unknown externalUserId', 404);
}

function employeeOf(ctx: Ctx, b: Body): string | Response {
  const id = str(b.userId);
  return ctx.state.employees.some((e) => e.userid === id) ? id : bad('userId must be an employee userid');
}

function chatOf(ctx: Ctx, b: Body): SeedGroupChat | Response {
  const id = str(b.chatId);
  if (!OPAQUE_ID_RE.test(id)) return bad('chatId is required');
  return ctx.state.groupChats.find((g) => g.chat_id === id && !g.dismissed) ?? bad('unknown chatId', 404);
}

async function done(ctx: Ctx, event: CrmEvent, extra: Record<string, unknown> = {}): Promise<Response> {
  await emit(ctx.state, event, ctx.now);
  return json({ ok: true, event, pushes: ctx.state.eventPushes.slice(0, 5), ...extra });
}

type Action = (ctx: Ctx, b: Body) => Promise<Response>;

const ACTIONS: Record<string, Action> = {
  /** The customer deletes the member (del_follow_user). */
  async 'customer-deletes-member'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const userId = employeeOf(ctx, b);
    if (typeof userId !== 'string') return userId;
    if (!c.follow.some((f) => f.userid === userId))
      return bad('the member does not follow this customer', 409);
    c.follow = c.follow.filter((f) => f.userid !== userId);
    return done(ctx, {
      event: 'change_external_contact',
      changeType: 'del_follow_user',
      userId,
      externalUserId: c.external_userid,
    });
  },
  /** The member deletes the customer (del_external_contact). */
  async 'member-deletes-customer'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const userId = employeeOf(ctx, b);
    if (typeof userId !== 'string') return userId;
    if (!c.follow.some((f) => f.userid === userId))
      return bad('the member does not follow this customer', 409);
    c.follow = c.follow.filter((f) => f.userid !== userId);
    return done(ctx, {
      event: 'change_external_contact',
      changeType: 'del_external_contact',
      userId,
      externalUserId: c.external_userid,
    });
  },
  /** The member adds the customer (both are friends now: add_external_contact with a WelcomeCode). */
  async 'member-adds-customer'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const userId = employeeOf(ctx, b);
    if (typeof userId !== 'string') return userId;
    if (!ctx.state.employees.find((e) => e.userid === userId)?.externalContact) {
      return bad('the member has no 客户联系 permission', 409);
    }
    if (c.follow.some((f) => f.userid === userId))
      return bad('the member already follows this customer', 409);
    const state = str(b.state);
    c.follow.push({
      userid: userId,
      remark: '',
      description: '',
      daysAgo: 0,
      createTime: Math.floor(ctx.now / 1000),
      tagIds: [],
      remarkMobiles: [],
      addWay: 1,
      ...(state ? { state } : {}),
    });
    return done(ctx, {
      event: 'change_external_contact',
      changeType: 'add_external_contact',
      userId,
      externalUserId: c.external_userid,
      state,
      welcomeCode: randomString(24),
    });
  },
  /** The member edits the customer's remark in the client (edit_external_contact). */
  async 'member-edits-remark'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const userId = employeeOf(ctx, b);
    if (typeof userId !== 'string') return userId;
    const f = c.follow.find((x) => x.userid === userId);
    if (!f) return bad('the member does not follow this customer', 409);
    const remark = str(b.remark);
    if ([...remark].length > 20) return bad('remark is at most 20 characters');
    f.remark = remark;
    return done(ctx, {
      event: 'change_external_contact',
      changeType: 'edit_external_contact',
      userId,
      externalUserId: c.external_userid,
    });
  },
  async 'customer-joins-group'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const chat = chatOf(ctx, b);
    if (chat instanceof Response) return chat;
    if (chat.members.some((m) => m.userid === c.external_userid)) return bad('already a member', 409);
    const last = memberVersion(chat);
    chat.members.push({
      userid: c.external_userid,
      type: 2,
      joinDaysAgo: 0,
      joinTime: Math.floor(ctx.now / 1000),
      join_scene: 1,
      invitor: chat.owner,
    });
    chat.memberRevision = (chat.memberRevision ?? 0) + 1;
    return done(ctx, {
      event: 'change_external_chat',
      changeType: 'update',
      chatId: chat.chat_id,
      updateDetail: 'add_member',
      joinScene: 0,
      memChangeList: [c.external_userid],
      lastMemVer: last,
      curMemVer: memberVersion(chat),
    });
  },
  async 'customer-leaves-group'(ctx, b) {
    const c = customerOf(ctx, b);
    if (c instanceof Response) return c;
    const chat = chatOf(ctx, b);
    if (chat instanceof Response) return chat;
    if (!chat.members.some((m) => m.userid === c.external_userid)) return bad('not a member', 409);
    const last = memberVersion(chat);
    chat.members = chat.members.filter((m) => m.userid !== c.external_userid);
    chat.memberRevision = (chat.memberRevision ?? 0) + 1;
    return done(ctx, {
      event: 'change_external_chat',
      changeType: 'update',
      chatId: chat.chat_id,
      updateDetail: 'del_member',
      quitScene: 0,
      memChangeList: [c.external_userid],
      lastMemVer: last,
      curMemVer: memberVersion(chat),
    });
  },
  /** An admin adds a tag in the admin console: into a group (groupId) or a new group (groupName). */
  async 'admin-add-tag'(ctx, b) {
    const name = str(b.name).trim();
    if (!name || [...name].length > TAG_NAME_MAX) return bad(`name is 1-${TAG_NAME_MAX} characters`);
    const now = Math.floor(ctx.now / 1000);
    let group = ctx.state.tagGroups.find((g) => g.group_id === str(b.groupId) && !g.deleted);
    let newGroup = false;
    if (!group) {
      const groupName = str(b.groupName).trim();
      if (!groupName) return bad('groupId of a live group or groupName is required');
      group = ctx.state.tagGroups.find((g) => g.group_name === groupName && !g.deleted);
      if (!group) {
        group = {
          group_id: newTagId(),
          group_name: groupName,
          order: 0,
          createdDaysAgo: 0,
          createTime: now,
          tag: [],
        };
        ctx.state.tagGroups.push(group);
        newGroup = true;
      }
    }
    if (group.tag.some((t) => !t.deleted && t.name === name)) return bad('a tag with this name exists', 409);
    const tag = { id: newTagId(), name, order: 0, createTime: now };
    group.tag.push(tag);
    return done(
      ctx,
      newGroup
        ? { event: 'change_external_tag', changeType: 'create', id: group.group_id, tagType: 'tag_group' }
        : { event: 'change_external_tag', changeType: 'create', id: tag.id, tagType: 'tag' },
      { tagId: tag.id, groupId: group.group_id },
    );
  },
  /** An admin renames a tag or a tag group in the admin console. */
  async 'admin-edit-tag'(ctx, b) {
    const id = str(b.id);
    const name = str(b.name).trim();
    if (!name || [...name].length > TAG_NAME_MAX) return bad(`name is 1-${TAG_NAME_MAX} characters`);
    const group = ctx.state.tagGroups.find((g) => g.group_id === id && !g.deleted);
    if (group) {
      group.group_name = name;
      return done(ctx, { event: 'change_external_tag', changeType: 'update', id, tagType: 'tag_group' });
    }
    const info = liveTag(ctx.state, id);
    if (!info) return bad('unknown tag or group id', 404);
    info.tag.name = name;
    return done(ctx, { event: 'change_external_tag', changeType: 'update', id, tagType: 'tag' });
  },
  /** An admin deletes a tag or a whole group (one event; no per-tag events for a group). */
  async 'admin-delete-tag'(ctx, b) {
    const id = str(b.id);
    const group = ctx.state.tagGroups.find((g) => g.group_id === id && !g.deleted);
    if (group) {
      deleteTags(ctx.state, [], [id]);
      return done(ctx, { event: 'change_external_tag', changeType: 'delete', id, tagType: 'tag_group' });
    }
    if (!liveTag(ctx.state, id)) return bad('unknown tag or group id', 404);
    deleteTags(ctx.state, [id], []);
    return done(ctx, { event: 'change_external_tag', changeType: 'delete', id, tagType: 'tag' });
  },
};

function customerState(ctx: Ctx): Response {
  const id = ctx.url.searchParams.get('externalUserId') ?? '';
  const c = ctx.state.customers.find((x) => x.external_userid === id);
  if (!c) return bad('unknown externalUserId', 404);
  return json({
    externalUserId: c.external_userid,
    name: c.name,
    type: c.type,
    follow: c.follow.map((f) => ({
      userId: f.userid,
      remark: f.remark,
      description: f.description,
      remarkCorpName: f.remarkCorpName ?? '',
      remarkMobiles: f.remarkMobiles,
      tags: f.tagIds.map((tagId) => ({ tagId, name: liveTag(ctx.state, tagId)?.tag.name ?? null })),
    })),
    groupChats: ctx.state.groupChats
      .filter((g) => !g.dismissed && g.members.some((m) => m.userid === c.external_userid))
      .map((g) => ({ chatId: g.chat_id, name: g.name, owner: g.owner })),
  });
}

async function callbacks(ctx: Ctx): Promise<Response> {
  const { state } = ctx;
  if (ctx.req.method === 'POST') {
    const b = await readBody(ctx.req);
    if (!b) return bad('JSON body expected');
    const agentId = str(b.agentId) || state.apps[0]!.agentId;
    if (!state.apps.some((a) => a.agentId === agentId)) return bad('unknown agentId');
    if (b.url === null || b.url === '') {
      delete state.appCallbacks[agentId];
    } else {
      const url = str(b.url);
      const token = str(b.token);
      const encodingAesKey = str(b.encodingAesKey);
      try {
        new URL(url);
      } catch {
        return bad('url must be an absolute URL');
      }
      if (!/^[A-Za-z0-9]{1,32}$/.test(token)) return bad('token is 1-32 letters or digits');
      if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) return bad('encodingAesKey is 43 letters or digits');
      state.appCallbacks[agentId] = { url, token, encodingAesKey };
    }
  }
  return json({
    callbacks: Object.entries(state.appCallbacks).map(([agentId, cb]) => ({ agentId, url: cb.url })),
    pushes: state.eventPushes,
  });
}

/** `/wecom-emulator/callbacks` and `/wecom-emulator/crm/*`; null when the path is not one of them. */
export async function crmControl(ctx: Ctx, sub: string): Promise<Response | null> {
  const m = ctx.req.method;
  if (sub === 'callbacks' && (m === 'GET' || m === 'POST')) return callbacks(ctx);
  if (!sub.startsWith('crm/')) return null;
  const name = sub.slice('crm/'.length);
  if (m === 'GET' && name === 'customer') return customerState(ctx);
  if (m === 'GET' && name === 'tags') return json({ tagGroups: ctx.state.tagGroups });
  const action = ACTIONS[name];
  if (m !== 'POST' || !action || !Object.hasOwn(ACTIONS, name)) return notFound();
  const b = await readBody(ctx.req);
  if (!b) return bad('JSON body expected');
  return action(ctx, b);
}
