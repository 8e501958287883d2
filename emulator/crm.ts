import { decodeCursor, encodeCursor, err, invalidParam, readJson, type Auth } from './api-util';
import { daysAgo, type Ctx } from './context';
import { ok, randomString } from './http';
import type { SeedGroupChat, SeedTag, SeedTagGroup } from './seed';
import { visibleMembers, type EmulatorState } from './state';

/**
 * The corp tag library (add/edit/del_corp_tag, get_corp_tag_list) and the customer group list (groupchat/list),
 * as documented: names ≤ 30 characters, group_name merges into an existing group, duplicate names are created
 * once, no empty groups, deleting a group deletes its tags and deleting a group's last tag deletes the group,
 * larger order first, and an app edits or deletes only the tags it created itself (40068 otherwise).
 */

export const TAG_NAME_MAX = 30;
/** 每个企业最多可配置10000个企业标签. */
export const CORP_TAG_LIMIT = 10000;
const ORDER_MAX = 2 ** 32;

const chars = (s: string) => [...s].length;

/** A tag that exists (not deleted), with its group. */
export function liveTag(state: EmulatorState, tagId: string): { group: SeedTagGroup; tag: SeedTag } | null {
  for (const g of state.tagGroups) {
    if (g.deleted) continue;
    const t = g.tag.find((x) => x.id === tagId && !x.deleted);
    if (t) return { group: g, tag: t };
  }
  return null;
}

/** An id as WeCom issues them for tags and groups: `et` + 30 characters. */
export function newTagId(): string {
  return `et${randomString(24).replace(/[-_]/g, 'x').slice(0, 30)}`;
}

function groupTime(state: EmulatorState, g: SeedTagGroup): number {
  return g.createTime ?? daysAgo(state, g.createdDaysAgo, 0);
}

function tagTime(state: EmulatorState, g: SeedTagGroup, t: SeedTag): number {
  return t.createTime ?? daysAgo(state, g.createdDaysAgo, t.order * 60);
}

const byOrderDesc = <T extends { order: number }>(a: T, b: T) => b.order - a.order;

function orderOf(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= ORDER_MAX) return null;
  return v;
}

function liveTagCount(state: EmulatorState): number {
  let n = 0;
  for (const g of state.tagGroups) if (!g.deleted) n += g.tag.filter((t) => !t.deleted).length;
  return n;
}

function tagJson(state: EmulatorState, g: SeedTagGroup, t: SeedTag, withDeleted: boolean) {
  const o: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    create_time: tagTime(state, g, t),
    order: t.order,
  };
  if (withDeleted) o.deleted = t.deleted === true || g.deleted === true;
  return o;
}

export async function getCorpTagList(ctx: Ctx): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  const tagIds = strings(body.tag_id);
  const groupIds = strings(body.group_id);
  const { state } = ctx;
  const groups: Record<string, unknown>[] = [];
  const sorted = [...state.tagGroups].sort(byOrderDesc);
  const head = (g: SeedTagGroup, withDeleted: boolean) => {
    const o: Record<string, unknown> = {
      group_id: g.group_id,
      group_name: g.group_name,
      create_time: groupTime(state, g),
      order: g.order,
    };
    if (withDeleted) o.deleted = g.deleted === true;
    return o;
  };
  if (groupIds.length > 0) {
    // Both given: tag_id is ignored. Deleted groups and tags stay resolvable by id.
    for (const g of sorted.filter((x) => groupIds.includes(x.group_id))) {
      const tags = [...g.tag].sort(byOrderDesc).map((t) => tagJson(state, g, t, true));
      groups.push({ ...head(g, true), tag: tags });
    }
  } else if (tagIds.length > 0) {
    for (const g of sorted) {
      const tags = g.tag.filter((t) => tagIds.includes(t.id)).sort(byOrderDesc);
      if (tags.length > 0)
        groups.push({ ...head(g, true), tag: tags.map((t) => tagJson(state, g, t, true)) });
    }
  } else {
    for (const g of sorted) {
      if (g.deleted) continue;
      const tags = g.tag.filter((t) => !t.deleted).sort(byOrderDesc);
      if (tags.length > 0)
        groups.push({ ...head(g, false), tag: tags.map((t) => tagJson(state, g, t, false)) });
    }
  }
  return ok({ tag_group: groups });
}

export async function addCorpTag(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const { state } = ctx;
  if (!Array.isArray(body.tag) || body.tag.length === 0) return invalidParam(ctx, 'tag');
  const wanted: { name: string; order: number }[] = [];
  for (const raw of body.tag as unknown[]) {
    if (!raw || typeof raw !== 'object') return invalidParam(ctx, 'tag');
    const t = raw as Record<string, unknown>;
    if (typeof t.name !== 'string' || t.name.trim() === '') return err(ctx, 41018, 'missing tag name');
    if (chars(t.name) > TAG_NAME_MAX) return err(ctx, 40072, `invalid tag name length: ${t.name}`);
    const order = orderOf(t.order);
    if (order === null) return invalidParam(ctx, 'order');
    // 标签组内的标签不可同名，如果传入多个同名标签，则只会创建一个。
    if (!wanted.some((w) => w.name === t.name)) wanted.push({ name: t.name, order: order ?? 0 });
  }
  let group: SeedTagGroup | undefined;
  const now = Math.floor(ctx.now / 1000);
  if (typeof body.group_id === 'string' && body.group_id !== '') {
    // group_id given: group_name and the group's order are ignored.
    group = state.tagGroups.find((g) => g.group_id === body.group_id && !g.deleted);
    if (!group) return err(ctx, 40068, `invalid string value \`${body.group_id}\`. invalid groupid`);
  } else {
    const name = body.group_name;
    if (typeof name !== 'string' || name.trim() === '') return invalidParam(ctx, 'group_name');
    if (chars(name) > TAG_NAME_MAX) return err(ctx, 40072, `invalid tag group name length: ${name}`);
    const groupOrder = orderOf(body.order);
    if (groupOrder === null) return invalidParam(ctx, 'order');
    group = state.tagGroups.find((g) => g.group_name === name && !g.deleted);
    if (!group) {
      group = {
        group_id: newTagId(),
        group_name: name,
        order: groupOrder ?? 0,
        createdDaysAgo: 0,
        createTime: now,
        createdBy: auth.agentId,
        tag: [],
      };
      if (liveTagCount(state) + wanted.length > CORP_TAG_LIMIT) return err(ctx, 40058, 'too many tags');
      state.tagGroups.push(group);
    }
  }
  const created: SeedTag[] = [];
  for (const w of wanted) {
    if (group.tag.some((t) => !t.deleted && t.name === w.name)) continue;
    created.push({ id: newTagId(), name: w.name, order: w.order, createTime: now, createdBy: auth.agentId });
  }
  if (liveTagCount(state) + created.length > CORP_TAG_LIMIT) return err(ctx, 40058, 'too many tags');
  group.tag.push(...created);
  const g = group;
  return ok({
    tag_group: {
      group_id: g.group_id,
      group_name: g.group_name,
      create_time: groupTime(state, g),
      order: g.order,
      tag: created.map((t) => tagJson(state, g, t, false)),
    },
  });
}

/** A live tag or group this app may change (its own), or the 40068 answer. */
function ownTarget(
  ctx: Ctx,
  auth: Auth,
  id: string,
): { kind: 'group'; group: SeedTagGroup } | { kind: 'tag'; group: SeedTagGroup; tag: SeedTag } | Response {
  const invalid = () => err(ctx, 40068, `invalid string value \`${id}\`. invalid tagid/groupid`);
  const group = ctx.state.tagGroups.find((g) => g.group_id === id && !g.deleted);
  if (group) return group.createdBy === auth.agentId ? { kind: 'group', group } : invalid();
  const info = liveTag(ctx.state, id);
  if (!info) return invalid();
  return info.tag.createdBy === auth.agentId ? { kind: 'tag', ...info } : invalid();
}

export async function editCorpTag(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  if (typeof body.id !== 'string' || body.id === '') return err(ctx, 41017, 'missing tagid');
  const target = ownTarget(ctx, auth, body.id);
  if (target instanceof Response) return target;
  const order = orderOf(body.order);
  if (order === null) return invalidParam(ctx, 'order');
  let name: string | undefined;
  if (body.name !== undefined && body.name !== null) {
    if (typeof body.name !== 'string' || body.name.trim() === '')
      return err(ctx, 40072, 'invalid tag name length');
    if (chars(body.name) > TAG_NAME_MAX) return err(ctx, 40072, `invalid tag name length: ${body.name}`);
    name = body.name;
  }
  if (target.kind === 'group') {
    const g = target.group;
    if (
      name !== undefined &&
      ctx.state.tagGroups.some((x) => x !== g && !x.deleted && x.group_name === name)
    ) {
      return err(ctx, 40071, `tag group name exists: ${name}`);
    }
    if (name !== undefined) g.group_name = name;
    if (order !== undefined) g.order = order;
  } else {
    const t = target.tag;
    if (name !== undefined && target.group.tag.some((x) => x !== t && !x.deleted && x.name === name)) {
      return err(ctx, 40071, `tag name exists: ${name}`);
    }
    if (name !== undefined) t.name = name;
    if (order !== undefined) t.order = order;
  }
  return ok();
}

/** Marks tags deleted, removes them from every customer, and deletes groups left without tags. */
export function deleteTags(state: EmulatorState, tagIds: string[], groupIds: string[]): void {
  const gone = new Set(tagIds);
  for (const g of state.tagGroups) {
    if (groupIds.includes(g.group_id)) {
      g.deleted = true;
      for (const t of g.tag) {
        t.deleted = true;
        gone.add(t.id);
      }
    }
    for (const t of g.tag) if (gone.has(t.id)) t.deleted = true;
    if (!g.deleted && g.tag.every((t) => t.deleted)) g.deleted = true;
  }
  for (const c of state.customers)
    for (const f of c.follow) f.tagIds = f.tagIds.filter((id) => !gone.has(id));
}

export async function delCorpTag(ctx: Ctx, auth: Auth): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const list = (v: unknown): string[] | null =>
    v === undefined || v === null
      ? []
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? (v as string[])
        : null;
  const tagIds = list(body.tag_id);
  const groupIds = list(body.group_id);
  if (!tagIds) return invalidParam(ctx, 'tag_id');
  if (!groupIds) return invalidParam(ctx, 'group_id');
  if (tagIds.length === 0 && groupIds.length === 0) return err(ctx, 41017, 'missing tagid');
  for (const id of groupIds) {
    const t = ownTarget(ctx, auth, id);
    if (t instanceof Response) return t;
    if (t.kind !== 'group') return err(ctx, 40068, `invalid string value \`${id}\`. invalid groupid`);
  }
  for (const id of tagIds) {
    const t = ownTarget(ctx, auth, id);
    if (t instanceof Response) return t;
    if (t.kind !== 'tag') return err(ctx, 40068, `invalid string value \`${id}\`. invalid tagid`);
  }
  deleteTags(ctx.state, tagIds, groupIds);
  return ok();
}

// ---------------------------------------------------------------------------------------------------------
// Customer groups

/** A member version that changes with every join or leave (WeCom: a 32-hex string). */
export function memberVersion(chat: SeedGroupChat): string {
  let h = 2166136261;
  for (const ch of `${chat.chat_id}:${chat.members.length}:${chat.memberRevision ?? 0}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  }
  return (h.toString(16).padStart(8, '0') + chat.chat_id.slice(2, 26).toLowerCase()).replace(
    /[^0-9a-f]/g,
    '0',
  );
}

export async function groupchatList(ctx: Ctx): Promise<Response> {
  const body = await readJson(ctx);
  if (body instanceof Response) return body;
  const { state } = ctx;
  const limit = body.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return invalidParam(ctx, 'limit');
  }
  const status = body.status_filter ?? 0;
  if (typeof status !== 'number' || ![0, 1, 2, 3].includes(status)) return invalidParam(ctx, 'status_filter');
  let owners: string[] | null = null;
  if (body.owner_filter !== undefined && body.owner_filter !== null) {
    const f = body.owner_filter as Record<string, unknown>;
    const list = typeof f === 'object' ? f.userid_list : undefined;
    if (list !== undefined) {
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
        return invalidParam(ctx, 'owner_filter.userid_list');
      }
      if (list.length > 100) return invalidParam(ctx, 'owner_filter.userid_list');
      owners = list as string[];
    }
  }
  // Without an owner filter every owner in the app's visible range is read; over 1000 people WeCom refuses.
  const visible = new Set(visibleMembers(state));
  if (!owners && visible.size > 1000) return err(ctx, 81017);
  let offset = 0;
  if (typeof body.cursor === 'string' && body.cursor !== '') {
    const decoded = decodeCursor(body.cursor);
    if (decoded === null) return invalidParam(ctx, 'cursor');
    offset = decoded;
  }
  // Every emulated owner is employed (status 0); the resigned-owner states select nothing.
  const rows = state.groupChats.filter(
    (g) => !g.dismissed && visible.has(g.owner) && (!owners || owners.includes(g.owner)) && status === 0,
  );
  const page = rows.slice(offset, offset + limit);
  return ok({
    group_chat_list: page.map((g) => ({ chat_id: g.chat_id, status: 0 })),
    next_cursor: offset + limit < rows.length ? encodeCursor(offset + limit) : '',
  });
}
