import 'server-only';
import { randomBytes } from 'node:crypto';
import { sql, type ExpressionBuilder, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import { getConfig } from './config';
import { badRequest, forbidden, HttpError } from './http';
import { ChatIdSchema } from './ids';
import { getDb, type Database, type Db } from './db';
import type { QuickRepliesTable } from './db/tables/core';
import {
  MediaBodySchema,
  MiniprogramBodySchema,
  NewsBodySchema,
  partsOf,
  ReplyBodySchema,
  searchTextOf,
  SequenceBodySchema,
  TextBodySchema,
  type ReplyBody,
} from './content/body';
import { readJson } from './json';

/**
 * The reply library: snippets a salesperson sends into the current chat from the sidebar. Admins keep the corp's
 * replies in ordered categories; each member may keep personal replies only they see. Every reply is one of the
 * body kinds (lib/content/body.ts) and is scoped to all chats, single (one-to-one) chats only, or a list of group
 * chats, so different groups see different replies. Members mark favourites; every send is counted once.
 */

export const MAX_REPLIES = 200;
export const MAX_PERSONAL_REPLIES = 100;
export const MAX_CATEGORIES = 50;

/** A link card: link, title, optional description and cover (the one definition, shared with reply bodies). */
export const NewsSchema = NewsBodySchema.shape.news;

export const ScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }),
  z.object({ type: z.literal('single') }),
  z.object({
    type: z.literal('groups'),
    chatIds: z
      .array(z.string().trim().pipe(ChatIdSchema))
      .min(1)
      .max(100)
      .transform((ids) => [...new Set(ids)]),
  }),
]);

const TitleSchema = z.string().trim().min(1).max(40);
const IdSchema = z.string().min(1).max(64);
const CategoryIdSchema = IdSchema.nullable();

export const REPLY_KINDS = ['text', 'news', 'image', 'video', 'file', 'miniprogram', 'sequence'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
const BODY_KEYS = ['text', 'news', 'mediaId', 'miniprogram', 'parts'] as const;

const BODY_SCHEMAS: Record<ReplyKind, z.ZodType<ReplyBody>> = {
  text: TextBodySchema,
  news: NewsBodySchema,
  image: MediaBodySchema,
  video: MediaBodySchema,
  file: MediaBodySchema,
  miniprogram: MiniprogramBodySchema,
  sequence: SequenceBodySchema,
};

/** What an admin (or a member, for a personal reply) submits besides the body; id and order are assigned. */
const MetaSchema = z.object({
  title: TitleSchema,
  scope: ScopeSchema.default({ type: 'all' }),
  categoryId: CategoryIdSchema.optional(),
});

/** A partial change; switching kind requires the new kind's body. */
export const QuickReplyPatchSchema = z
  .object({
    kind: z.enum(REPLY_KINDS).optional(),
    title: TitleSchema.optional(),
    scope: ScopeSchema.optional(),
    categoryId: CategoryIdSchema.optional(),
    text: z.unknown().optional(),
    news: z.unknown().optional(),
    mediaId: z.unknown().optional(),
    miniprogram: z.unknown().optional(),
    parts: z.unknown().optional(),
  })
  .strict();

export const ReorderSchema = z.array(IdSchema).max(MAX_REPLIES);

/** The old key-value layout (`quick-replies:<corpId>` in STORE_URL), read once by the import into the database. */
const StoredReplySchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['text', 'news']),
  text: z.string().optional(),
  news: NewsSchema.optional(),
  scope: ScopeSchema,
  order: z.number(),
});
export const LegacyStoredSchema = z.object({ version: z.literal(1), items: z.array(StoredReplySchema) });
export const legacyStoreKey = (corpId: string) => `quick-replies:${corpId}`;

export type QuickReplyScope = z.infer<typeof ScopeSchema>;
export type QuickReplyNews = z.infer<typeof NewsSchema>;
/** Create input: a reply body plus title, scope (default all) and category. */
export type QuickReplyInput = ReplyBody & {
  title: string;
  scope?: QuickReplyScope;
  categoryId?: string | null;
};
export type QuickReplyPatch = z.input<typeof QuickReplyPatchSchema>;

export type QuickReply = ReplyBody & {
  id: string;
  title: string;
  scope: QuickReplyScope;
  order: number;
  categoryId: string | null;
  /** `personal`: the signed-in member's own reply. */
  owner: 'corp' | 'personal';
  /** Whether the signed-in member marked it (false in admin listings). */
  favourite: boolean;
  /** Corp-wide sends of this reply. */
  usage: { count: number; lastUsedAt: number | null };
};

export interface ReplyCategory {
  id: string;
  name: string;
  order: number;
}

/** Where the sidebar is open: a one-to-one customer chat or a customer group chat. */
export type ReplyContext = { entry: 'single' } | { entry: 'group'; chatId: string };

/** The signed-in member reading or changing replies. */
export interface ReplyViewer {
  userId: string;
  isAdmin: boolean;
}

export interface QuickReplyDeps {
  db?: Db;
  /** The corp whose replies these are (every corp has its own). */
  corpId: string;
  /** Show demo replies until the admin saves their own (default: demo mode). */
  seed?: boolean;
  now?: () => number;
}

export interface MemberReplyDeps extends QuickReplyDeps {
  /** Whether the member is in the customer group chat (its owner, an admin of it or a member). */
  isMemberOf: (chatId: string) => Promise<boolean>;
}

const notFound = () =>
  new HttpError(404, 'quick_reply_not_found', { zh: '快捷回复不存在', en: 'Quick reply not found' });

const categoryNotFound = () =>
  new HttpError(404, 'reply_category_not_found', { zh: '分类不存在', en: 'Category not found' });

function invalid(error: z.ZodError): HttpError {
  const detail = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return badRequest('invalid_quick_reply', {
    zh: `快捷回复内容不正确：${detail}`,
    en: `Invalid quick reply: ${detail}`,
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A link card's empty cover or description means none: a card is never stored with an empty imgUrl. */
function withoutEmptyFields(part: unknown): unknown {
  if (!isRecord(part)) return part;
  const out: Record<string, unknown> = { ...part };
  if (isRecord(out.news)) {
    const news: Record<string, unknown> = { ...out.news };
    for (const key of ['imgUrl', 'desc']) {
      if (typeof news[key] === 'string' && !(news[key] as string).trim()) delete news[key];
      if (news[key] === null) delete news[key];
    }
    out.news = news;
  }
  if (Array.isArray(out.parts)) out.parts = out.parts.map(withoutEmptyFields);
  return out;
}

/** The body of a submitted reply, by its kind; messages name the field. */
export function parseReplyBody(raw: unknown): ReplyBody {
  const kind = isRecord(raw) ? raw.kind : undefined;
  if (typeof kind !== 'string' || !(REPLY_KINDS as readonly string[]).includes(kind)) {
    throw badRequest('invalid_quick_reply', {
      zh: `快捷回复类型须为 ${REPLY_KINDS.join(' / ')}`,
      en: `The reply kind must be one of ${REPLY_KINDS.join(', ')}`,
    });
  }
  return parse(BODY_SCHEMAS[kind as ReplyKind], withoutEmptyFields(raw));
}

/** The media a body sends must be the corp's uploads, of the kind it is sent as (a cover is an image). */
export async function checkReplyMedia(db: Db | Transaction<Database>, corpId: string, body: ReplyBody) {
  const wanted = partsOf(body).flatMap((p): { id: string; kind: string | null }[] =>
    p.kind === 'image' || p.kind === 'video'
      ? [{ id: p.mediaId, kind: p.kind }]
      : p.kind === 'file'
        ? [{ id: p.mediaId, kind: null }]
        : p.kind === 'miniprogram'
          ? [{ id: p.miniprogram.coverMediaId, kind: 'image' }]
          : [],
  );
  if (wanted.length === 0) return;
  const rows = await db
    .selectFrom('media')
    .select(['id', 'kind'])
    .where('corp_id', '=', corpId)
    .where('id', 'in', [...new Set(wanted.map((w) => w.id))])
    .execute();
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  const missing = [...new Set(wanted.filter((w) => !kinds.has(w.id)).map((w) => w.id))];
  if (missing.length > 0) {
    throw badRequest('media_not_found', {
      zh: `素材不存在：${missing.join(', ')}（请先上传）`,
      en: `No such media: ${missing.join(', ')} (upload it first)`,
    });
  }
  const wrong = wanted.find((w) => w.kind !== null && kinds.get(w.id) !== w.kind);
  if (wrong) {
    const zh = wrong.kind === 'image' ? '图片' : '视频';
    throw badRequest('media_kind_mismatch', {
      zh: `素材 ${wrong.id} 不是${zh}`,
      en: `Media ${wrong.id} is not ${wrong.kind === 'image' ? 'an image' : 'a video'}`,
    });
  }
}

async function resolve(deps: QuickReplyDeps) {
  const db = deps.db ?? (await getDb());
  const corpId = deps.corpId;
  const seed = deps.seed ?? getConfig().mode === 'demo';
  return { db, corpId, seed, now: deps.now ?? Date.now };
}

const corrupt = () =>
  new HttpError(500, 'quick_replies_corrupt', {
    zh: '快捷回复数据已损坏，请在管理后台重新保存',
    en: 'The stored quick replies are corrupt; save them again in the admin page',
  });

type Row = Selectable<QuickRepliesTable>;
type Executor = Db | Transaction<Database>;

function bodyOfRow(row: Pick<Row, 'kind' | 'body'>): ReplyBody {
  const stored = readJson<Record<string, unknown>>(row.body);
  const body = isRecord(stored) ? ReplyBodySchema.safeParse({ ...stored, kind: row.kind }) : null;
  if (!body?.success) throw corrupt();
  return body.data;
}

/** The `body` column: the body without its kind (the `kind` column). */
function bodyColumn(body: ReplyBody): string {
  const rest: Record<string, unknown> = { ...body };
  delete rest.kind;
  return JSON.stringify(rest);
}

function fromRow(row: Row, favourites?: ReadonlySet<string>): QuickReply {
  const scope = readJson(row.scope, ScopeSchema);
  if (!scope) throw corrupt();
  return {
    ...bodyOfRow(row),
    id: row.id,
    title: row.title,
    scope,
    order: row.position,
    categoryId: row.category_id,
    owner: row.owner_id === null ? 'corp' : 'personal',
    favourite: favourites?.has(row.id) ?? false,
    usage: {
      count: Number(row.use_count),
      lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    },
  };
}

interface NewRow {
  id: string;
  title: string;
  body: ReplyBody;
  scope: QuickReplyScope;
  categoryId: string | null;
  ownerId: string | null;
  position: number;
}

function toRow(corpId: string, r: NewRow, at: number): Row {
  return {
    corp_id: corpId,
    id: r.id,
    kind: r.body.kind,
    title: r.title,
    body: bodyColumn(r.body),
    scope: JSON.stringify(r.scope),
    position: r.position,
    owner_id: r.ownerId,
    category_id: r.categoryId,
    search_text: searchTextOf(r.title, r.body),
    use_count: 0,
    last_used_at: null,
    created_at: at,
    updated_at: at,
  };
}

/** A reply of the old key-value layout as a row (corp reply, no category). */
export function legacyRow(corpId: string, item: z.infer<typeof StoredReplySchema>, at: number): Row {
  const body: ReplyBody =
    item.kind === 'text' ? { kind: 'text', text: item.text ?? '' } : { kind: 'news', news: item.news! };
  return toRow(
    corpId,
    {
      id: item.id,
      title: item.title,
      body,
      scope: item.scope,
      categoryId: null,
      ownerId: null,
      position: item.order,
    },
    at,
  );
}

function corpRows(db: Executor, corpId: string) {
  return db
    .selectFrom('quick_replies')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where('owner_id', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Whether the corp ever saved its library (until then a demo corp shows the demo replies). */
async function everSaved(db: Executor, corpId: string): Promise<boolean> {
  const saved = await db
    .selectFrom('quick_reply_lists')
    .select('version')
    .where('corp_id', '=', corpId)
    .executeTakeFirst();
  return saved !== undefined;
}

/** One query in the usual case: the rows; only an empty answer asks whether the admin ever saved any. */
async function loadCorp(db: Executor, corpId: string, seed: boolean): Promise<Row[] | null> {
  const rows = await corpRows(db, corpId);
  if (rows.length > 0 || !seed) return rows;
  return (await everSaved(db, corpId)) ? rows : null;
}

/**
 * One change of a corp's library in one transaction. Bumping the corp's list version first takes that row's
 * write lock (PostgreSQL) or the database's (SQLite), so concurrent changes, from any process on any host, apply
 * one after the other and each sees the previous one. The first change of a demo corp starts from the demo
 * replies it was showing.
 */
async function locked<T>(deps: QuickReplyDeps, fn: (trx: Transaction<Database>, at: number) => Promise<T>) {
  const { db, corpId, seed, now } = await resolve(deps);
  return db.transaction().execute(async (trx) => {
    const at = now();
    const { version } = await trx
      .insertInto('quick_reply_lists')
      .values({ corp_id: corpId, version: 1, updated_at: at })
      .onConflict((oc) =>
        oc.column('corp_id').doUpdateSet((eb) => ({
          version: eb('quick_reply_lists.version', '+', 1),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    if (Number(version) === 1 && seed && (await corpRows(trx, corpId)).length === 0) {
      await trx
        .insertInto('quick_replies')
        .values(
          demoQuickReplies().map((r) =>
            toRow(
              corpId,
              { ...r, body: bodyOfReply(r), categoryId: null, ownerId: null, position: r.order },
              at,
            ),
          ),
        )
        .execute();
    }
    return fn(trx, at);
  });
}

/** A reply's body alone (its kind and the fields of that kind). */
export function bodyOfReply(r: QuickReply): ReplyBody {
  return ReplyBodySchema.parse(r);
}

function newId(prefix = 'qr'): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

async function checkCategory(trx: Executor, corpId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const found = await trx
    .selectFrom('reply_categories')
    .select('id')
    .where('corp_id', '=', corpId)
    .where('id', '=', categoryId)
    .executeTakeFirst();
  if (!found) {
    throw badRequest('reply_category_not_found', {
      zh: `分类不存在：${categoryId}`,
      en: `No such category: ${categoryId}`,
    });
  }
}

/** The rows one owner orders: the corp's (owner null) or a member's personal replies. */
function ownerIs(ownerId: string | null) {
  return (eb: ExpressionBuilder<Database, 'quick_replies'>) =>
    ownerId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', ownerId);
}

async function insertReply(
  ownerId: string | null,
  input: unknown,
  deps: QuickReplyDeps,
): Promise<QuickReply> {
  const meta = parse(MetaSchema, input);
  const body = parseReplyBody(input);
  const { db, corpId } = await resolve(deps);
  await checkReplyMedia(db, corpId, body);
  return locked(deps, async (trx, at) => {
    await checkCategory(trx, corpId, meta.categoryId);
    const stats = await trx
      .selectFrom('quick_replies')
      .where('corp_id', '=', corpId)
      .where(ownerIs(ownerId))
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('position').as('last')])
      .executeTakeFirstOrThrow();
    const limit = ownerId === null ? MAX_REPLIES : MAX_PERSONAL_REPLIES;
    if (Number(stats.n) >= limit) {
      throw badRequest('too_many_quick_replies', {
        zh: `快捷回复最多 ${limit} 条`,
        en: `At most ${limit} quick replies`,
      });
    }
    const row = toRow(
      corpId,
      {
        id: newId(),
        title: meta.title,
        body,
        scope: meta.scope,
        categoryId: meta.categoryId ?? null,
        ownerId,
        position: Number(stats.last ?? 0) + 1,
      },
      at,
    );
    await trx.insertInto('quick_replies').values(row).execute();
    return fromRow(row);
  });
}

async function findOwned(trx: Executor, corpId: string, ownerId: string | null, id: string) {
  return trx
    .selectFrom('quick_replies')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where('id', '=', id)
    .where(ownerIs(ownerId))
    .executeTakeFirst();
}

async function changeReply(
  ownerId: string | null,
  id: string,
  patch: unknown,
  deps: QuickReplyDeps,
): Promise<QuickReply> {
  const change = parse(QuickReplyPatchSchema, patch);
  const { corpId } = await resolve(deps);
  const bodyChanged = change.kind !== undefined || BODY_KEYS.some((k) => change[k] !== undefined);
  return locked(deps, async (trx, at) => {
    const row = await findOwned(trx, corpId, ownerId, id);
    if (!row) throw notFound();
    const existing = bodyOfRow(row);
    let body = existing;
    if (bodyChanged) {
      const kind = change.kind ?? existing.kind;
      const fields = Object.fromEntries(
        BODY_KEYS.filter((k) => change[k] !== undefined).map((k) => [k, change[k]]),
      );
      body = parseReplyBody({ ...(kind === existing.kind ? existing : {}), ...fields, kind });
      await checkReplyMedia(trx, corpId, body);
    }
    if (change.categoryId !== undefined) await checkCategory(trx, corpId, change.categoryId);
    const title = change.title ?? row.title;
    const next = {
      kind: body.kind,
      title,
      body: bodyColumn(body),
      scope: change.scope ? JSON.stringify(change.scope) : row.scope,
      category_id: change.categoryId !== undefined ? change.categoryId : row.category_id,
      search_text: searchTextOf(title, body),
      updated_at: at,
    };
    await trx
      .updateTable('quick_replies')
      .set(next)
      .where('corp_id', '=', corpId)
      .where('id', '=', id)
      .execute();
    const favourite =
      ownerId !== null &&
      (await trx
        .selectFrom('quick_reply_favourites')
        .select('reply_id')
        .where('corp_id', '=', corpId)
        .where('user_id', '=', ownerId)
        .where('reply_id', '=', id)
        .executeTakeFirst()) !== undefined;
    return fromRow({ ...row, ...next }, favourite ? new Set([id]) : undefined);
  });
}

async function removeReply(ownerId: string | null, id: string, deps: QuickReplyDeps): Promise<void> {
  const { corpId } = await resolve(deps);
  await locked(deps, async (trx) => {
    const row = await findOwned(trx, corpId, ownerId, id);
    if (!row) throw notFound();
    await trx.deleteFrom('quick_replies').where('corp_id', '=', corpId).where('id', '=', id).execute();
    await trx
      .deleteFrom('quick_reply_favourites')
      .where('corp_id', '=', corpId)
      .where('reply_id', '=', id)
      .execute();
    await trx
      .deleteFrom('quick_reply_uses')
      .where('corp_id', '=', corpId)
      .where('reply_id', '=', id)
      .execute();
    // The ones after it move up, so positions stay 1…n.
    await trx
      .updateTable('quick_replies')
      .set((eb) => ({ position: eb('position', '-', 1) }))
      .where('corp_id', '=', corpId)
      .where('position', '>', row.position)
      .where(ownerIs(ownerId))
      .execute();
  });
}

/** Puts the listed ids first, in that order; the others keep their relative order after them. */
function reordered<T extends { id: string; order: number }>(items: T[], ids: string[]): T[] {
  const known = new Set(items.map((r) => r.id));
  if (ids.some((id) => !known.has(id))) throw notFound();
  if (new Set(ids).size !== ids.length) {
    throw badRequest('invalid_quick_reply', {
      zh: '排序中有重复的 ID',
      en: 'Duplicate ids in the new order',
    });
  }
  const rank = new Map(ids.map((id, i) => [id, i]));
  return [...items]
    .sort((a, b) => (rank.get(a.id) ?? ids.length + a.order) - (rank.get(b.id) ?? ids.length + b.order))
    .map((r, i) => ({ ...r, order: i + 1 }));
}

// ---------------------------------------------------------------------------------------------------------------
// Corp replies (admins)

/** The corp's replies in the admin's order; `q` keeps those whose title or body texts contain it. */
export async function listQuickReplies(
  deps: QuickReplyDeps,
  options: { q?: string } = {},
): Promise<QuickReply[]> {
  const { db, corpId, seed } = await resolve(deps);
  const q = options.q?.trim().toLowerCase() ?? '';
  if (!q) {
    const rows = await loadCorp(db, corpId, seed);
    return rows === null ? demoQuickReplies() : rows.map((r) => fromRow(r));
  }
  const rows = await db
    .selectFrom('quick_replies')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where('owner_id', 'is', null)
    .where(sql<boolean>`search_text like ${likePattern(q)} escape '!'`)
    .orderBy('position')
    .orderBy('id')
    .execute();
  if (rows.length > 0 || !seed || (await everSaved(db, corpId))) return rows.map((r) => fromRow(r));
  return demoQuickReplies().filter((r) => searchTextOf(r.title, bodyOfReply(r)).includes(q));
}

export function matchesContext(reply: Pick<QuickReply, 'scope'>, context: ReplyContext): boolean {
  switch (reply.scope.type) {
    case 'all':
      return true;
    case 'single':
      return context.entry === 'single';
    case 'groups':
      return context.entry === 'group' && reply.scope.chatIds.includes(context.chatId);
  }
}

/** The corp replies offered in one chat, in the admin's order. */
export async function repliesFor(context: ReplyContext, deps: QuickReplyDeps): Promise<QuickReply[]> {
  return (await listQuickReplies(deps)).filter((r) => matchesContext(r, context));
}

export function createQuickReply(input: unknown, deps: QuickReplyDeps): Promise<QuickReply> {
  return insertReply(null, input, deps);
}

export function updateQuickReply(id: string, patch: unknown, deps: QuickReplyDeps): Promise<QuickReply> {
  return changeReply(null, id, patch, deps);
}

export function deleteQuickReply(id: string, deps: QuickReplyDeps): Promise<void> {
  return removeReply(null, id, deps);
}

export async function reorderQuickReplies(ids: unknown, deps: QuickReplyDeps): Promise<QuickReply[]> {
  const order = parse(ReorderSchema, ids);
  const { corpId } = await resolve(deps);
  return locked(deps, async (trx, at) => {
    const rows = await corpRows(trx, corpId);
    const items = reordered(
      rows.map((r) => fromRow(r)),
      order,
    );
    const before = new Map(rows.map((r) => [r.id, r.position]));
    for (const item of items) {
      if (before.get(item.id) === item.order) continue;
      await trx
        .updateTable('quick_replies')
        .set({ position: item.order, updated_at: at })
        .where('corp_id', '=', corpId)
        .where('id', '=', item.id)
        .execute();
    }
    return items;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What a member reads, personal replies, favourites and usage

/** `q` as a LIKE pattern: lowercased, its wildcards escaped with `!`. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

const notInGroup = () =>
  forbidden({
    zh: '你不在该客户群中，不能查看该群的快捷回复',
    en: 'You are not in this group chat, so you may not see its quick replies',
  });

/**
 * The replies a member may use: the corp's replies for the chat (`context`; all of them without one) and the
 * member's own personal replies, filtered by `q` (a substring of the title or any text of the body, any case).
 * A reply scoped to groups is for members of those groups and admins; naming a group the member is not in is a 403.
 */
export async function memberReplies(
  viewer: ReplyViewer,
  options: { context?: ReplyContext; q?: string },
  deps: MemberReplyDeps,
): Promise<{ items: QuickReply[]; categories: ReplyCategory[] }> {
  const { db, corpId, seed } = await resolve(deps);
  const { context } = options;
  if (context?.entry === 'group' && !viewer.isAdmin && !(await deps.isMemberOf(context.chatId))) {
    throw notInGroup();
  }
  const q = options.q?.trim().toLowerCase() ?? '';
  let query = db
    .selectFrom('quick_replies')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', viewer.userId)]));
  if (q) query = query.where(sql<boolean>`search_text like ${likePattern(q)} escape '!'`);
  const [rows, favouriteRows, categories, saved] = await Promise.all([
    query.orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('quick_reply_favourites')
      .select('reply_id')
      .where('corp_id', '=', corpId)
      .where('user_id', '=', viewer.userId)
      .execute(),
    listCategories(deps),
    seed ? everSaved(db, corpId) : Promise.resolve(true),
  ]);
  const favourites = new Set(favouriteRows.map((f) => f.reply_id));
  const corp = saved
    ? rows.filter((r) => r.owner_id === null).map((r) => fromRow(r, favourites))
    : demoQuickReplies()
        .filter((r) => !q || searchTextOf(r.title, bodyOfReply(r)).includes(q))
        .map((r) => ({ ...r, favourite: favourites.has(r.id) }));
  const personal = rows.filter((r) => r.owner_id !== null).map((r) => fromRow(r, favourites));

  let visible: (r: QuickReply) => boolean;
  if (context) {
    visible = (r) => matchesContext(r, context);
  } else if (viewer.isAdmin) {
    visible = () => true;
  } else {
    // Without a chat: group-scoped corp replies only for groups the member is in (each group asked once).
    const chatIds = [...new Set(corp.flatMap((r) => (r.scope.type === 'groups' ? r.scope.chatIds : [])))];
    const member = new Set<string>();
    for (let i = 0; i < chatIds.length; i += 4) {
      const batch = chatIds.slice(i, i + 4);
      const answers = await Promise.all(batch.map((id) => deps.isMemberOf(id)));
      batch.forEach((id, j) => answers[j] && member.add(id));
    }
    visible = (r) => r.scope.type !== 'groups' || r.scope.chatIds.some((id) => member.has(id));
  }
  return {
    items: [...corp.filter(visible), ...personal.filter((r) => !context || matchesContext(r, context))],
    categories,
  };
}

export function createPersonalReply(viewer: ReplyViewer, input: unknown, deps: QuickReplyDeps) {
  return insertReply(viewer.userId, input, deps);
}

/** Only the member's own personal replies; anyone else's is a 404. */
export function updatePersonalReply(viewer: ReplyViewer, id: string, patch: unknown, deps: QuickReplyDeps) {
  return changeReply(viewer.userId, id, patch, deps);
}

export function deletePersonalReply(viewer: ReplyViewer, id: string, deps: QuickReplyDeps) {
  return removeReply(viewer.userId, id, deps);
}

/** A reply the member may use (a corp reply or their own), saving the demo replies first when it is one of them. */
async function usableReply(viewer: ReplyViewer, id: string, deps: QuickReplyDeps): Promise<Row> {
  const { db, corpId, seed } = await resolve(deps);
  const find = (ex: Executor) =>
    ex
      .selectFrom('quick_replies')
      .selectAll()
      .where('corp_id', '=', corpId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', viewer.userId)]))
      .executeTakeFirst();
  let row = await find(db);
  if (!row && seed && demoQuickReplies().some((r) => r.id === id) && !(await everSaved(db, corpId))) {
    row = await locked(deps, (trx) => find(trx));
  }
  if (!row) throw notFound();
  return row;
}

/** The body of a reply the member may send (a corp reply or their own personal one), e.g. for a schedule. */
export async function usableReplyBody(
  viewer: ReplyViewer,
  id: string,
  deps: QuickReplyDeps,
): Promise<ReplyBody> {
  return bodyOfRow(await usableReply(viewer, id, deps));
}

export async function setFavourite(
  viewer: ReplyViewer,
  id: string,
  favourite: boolean,
  deps: QuickReplyDeps,
): Promise<{ favourite: boolean }> {
  const { db, corpId, now } = await resolve(deps);
  await usableReply(viewer, id, deps);
  if (favourite) {
    await db
      .insertInto('quick_reply_favourites')
      .values({ corp_id: corpId, user_id: viewer.userId, reply_id: id, created_at: now() })
      .onConflict((oc) => oc.columns(['corp_id', 'user_id', 'reply_id']).doNothing())
      .execute();
  } else {
    await db
      .deleteFrom('quick_reply_favourites')
      .where('corp_id', '=', corpId)
      .where('user_id', '=', viewer.userId)
      .where('reply_id', '=', id)
      .execute();
  }
  return { favourite };
}

export const UsageSchema = z.object({ sendId: z.string().trim().min(1).max(128).optional() });

/** Counts one send of a reply; the same `sendId` (a retried report) counts once. */
export async function recordUsage(
  viewer: ReplyViewer,
  id: string,
  sendId: string | undefined,
  deps: QuickReplyDeps,
): Promise<{ count: number; lastUsedAt: number | null }> {
  const { db, corpId, now } = await resolve(deps);
  await usableReply(viewer, id, deps);
  return db.transaction().execute(async (trx) => {
    const at = now();
    const inserted = await trx
      .insertInto('quick_reply_uses')
      .values({
        corp_id: corpId,
        reply_id: id,
        send_id: sendId ?? newId('send'),
        user_id: viewer.userId,
        used_at: at,
      })
      .onConflict((oc) => oc.columns(['corp_id', 'reply_id', 'send_id']).doNothing())
      .returning('send_id')
      .executeTakeFirst();
    if (inserted) {
      await trx
        .updateTable('quick_replies')
        .set((eb) => ({ use_count: eb('use_count', '+', 1), last_used_at: at }))
        .where('corp_id', '=', corpId)
        .where('id', '=', id)
        .execute();
    }
    const row = await trx
      .selectFrom('quick_replies')
      .select(['use_count', 'last_used_at'])
      .where('corp_id', '=', corpId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound();
    return {
      count: Number(row.use_count),
      lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Categories (admins)

const CategoryInputSchema = z.object({ name: z.string().trim().min(1).max(20) });
export const CategoryOrderSchema = z.array(IdSchema).max(MAX_CATEGORIES);

export async function listCategories(deps: QuickReplyDeps): Promise<ReplyCategory[]> {
  const { db, corpId } = await resolve(deps);
  const rows = await db
    .selectFrom('reply_categories')
    .select(['id', 'name', 'position'])
    .where('corp_id', '=', corpId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, order: r.position }));
}

async function checkCategoryName(trx: Executor, corpId: string, name: string, except?: string) {
  let q = trx
    .selectFrom('reply_categories')
    .select('id')
    .where('corp_id', '=', corpId)
    .where('name', '=', name);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) {
    throw new HttpError(409, 'reply_category_exists', {
      zh: `已有名为「${name}」的分类`,
      en: `A category named “${name}” already exists`,
    });
  }
}

export async function createCategory(input: unknown, deps: QuickReplyDeps): Promise<ReplyCategory> {
  const { name } = parse(CategoryInputSchema, input);
  const { corpId } = await resolve(deps);
  return locked(deps, async (trx, at) => {
    await checkCategoryName(trx, corpId, name);
    const stats = await trx
      .selectFrom('reply_categories')
      .where('corp_id', '=', corpId)
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('position').as('last')])
      .executeTakeFirstOrThrow();
    if (Number(stats.n) >= MAX_CATEGORIES) {
      throw badRequest('too_many_categories', {
        zh: `分类最多 ${MAX_CATEGORIES} 个`,
        en: `At most ${MAX_CATEGORIES} categories`,
      });
    }
    const category = { id: newId('cat'), name, order: Number(stats.last ?? 0) + 1 };
    await trx
      .insertInto('reply_categories')
      .values({
        corp_id: corpId,
        id: category.id,
        name,
        position: category.order,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return category;
  });
}

/** One of the corp's categories, or a 404. */
async function categoryRow(trx: Executor, corpId: string, id: string) {
  const row = await trx
    .selectFrom('reply_categories')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw categoryNotFound();
  return row;
}

export async function updateCategory(
  id: string,
  input: unknown,
  deps: QuickReplyDeps,
): Promise<ReplyCategory> {
  const { name } = parse(CategoryInputSchema, input);
  const { corpId } = await resolve(deps);
  return locked(deps, async (trx, at) => {
    const row = await categoryRow(trx, corpId, id);
    await checkCategoryName(trx, corpId, name, id);
    await trx
      .updateTable('reply_categories')
      .set({ name, updated_at: at })
      .where('corp_id', '=', corpId)
      .where('id', '=', id)
      .execute();
    return { id, name, order: row.position };
  });
}

/** Deletes a category; its replies stay, without a category. */
export async function deleteCategory(id: string, deps: QuickReplyDeps): Promise<void> {
  const { corpId } = await resolve(deps);
  await locked(deps, async (trx, at) => {
    const row = await categoryRow(trx, corpId, id);
    await trx.deleteFrom('reply_categories').where('corp_id', '=', corpId).where('id', '=', id).execute();
    await trx
      .updateTable('reply_categories')
      .set((eb) => ({ position: eb('position', '-', 1) }))
      .where('corp_id', '=', corpId)
      .where('position', '>', row.position)
      .execute();
    await trx
      .updateTable('quick_replies')
      .set({ category_id: null, updated_at: at })
      .where('corp_id', '=', corpId)
      .where('category_id', '=', id)
      .execute();
  });
}

export async function orderCategories(ids: unknown, deps: QuickReplyDeps): Promise<ReplyCategory[]> {
  const order = parse(CategoryOrderSchema, ids);
  const { corpId } = await resolve(deps);
  return locked(deps, async (trx, at) => {
    const current = await listCategories({ ...deps, db: trx as unknown as Db });
    let next: ReplyCategory[];
    try {
      next = reordered(current, order);
    } catch (err) {
      throw err instanceof HttpError && err.status === 404 ? categoryNotFound() : err;
    }
    for (const c of next) {
      if (current.find((x) => x.id === c.id)?.order === c.order) continue;
      await trx
        .updateTable('reply_categories')
        .set({ position: c.order, updated_at: at })
        .where('corp_id', '=', corpId)
        .where('id', '=', c.id)
        .execute();
    }
    return next;
  });
}

/** Demo replies, shown until the admin saves their own; two groups get different replies. */
export function demoQuickReplies(): QuickReply[] {
  const vipGroup = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
  const channelGroup = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';
  const items: (ReplyBody & { id: string; title: string; scope: QuickReplyScope })[] = [
    {
      id: 'qr_demo_greeting',
      title: '问候语',
      kind: 'text',
      text: '您好，我是星河科技的客户经理，很高兴为您服务！有任何问题都可以随时联系我。',
      scope: { type: 'all' },
    },
    {
      id: 'qr_demo_brochure',
      title: '产品手册',
      kind: 'news',
      news: {
        link: 'https://www.example.com/xinghe/brochure',
        title: '星河科技产品手册 2025',
        desc: '全线产品介绍、典型案例与报价说明',
      },
      scope: { type: 'all' },
    },
    {
      id: 'qr_demo_hours',
      title: '服务时间',
      kind: 'text',
      text: '我们的服务时间为工作日 9:00–18:00，非工作时间的留言会在下一个工作日第一时间回复。',
      scope: { type: 'single' },
    },
    {
      id: 'qr_demo_quote',
      title: '报价跟进',
      kind: 'text',
      text: '报价单已发送到您的邮箱，请查收。如有疑问，我们可以约个时间电话沟通。',
      scope: { type: 'single' },
    },
    {
      id: 'qr_demo_vip',
      title: 'VIP 群专属顾问',
      kind: 'text',
      text: '【VIP客户服务群】本群专属顾问会在 10 分钟内响应，紧急事项请直接 @张伟。',
      scope: { type: 'groups', chatIds: [vipGroup] },
    },
    {
      id: 'qr_demo_vip_event',
      title: 'VIP 客户答谢会',
      kind: 'news',
      news: {
        link: 'https://www.example.com/xinghe/vip-event',
        title: 'VIP 客户答谢会报名',
        desc: '本月 28 日下午两点，欢迎报名参加',
      },
      scope: { type: 'groups', chatIds: [vipGroup] },
    },
    {
      id: 'qr_demo_channel',
      title: '渠道季度政策',
      kind: 'news',
      news: {
        link: 'https://www.example.com/xinghe/channel-policy',
        title: '华东渠道季度政策',
        desc: '返点、备货与市场支持政策说明',
      },
      scope: { type: 'groups', chatIds: [channelGroup] },
    },
  ];
  return items.map((item, i) => ({
    ...item,
    order: i + 1,
    categoryId: null,
    owner: 'corp' as const,
    favourite: false,
    usage: { count: 0, lastUsedAt: null },
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Import of the corp library (the file formats are in lib/content/library-io.ts)

/** One reply of an import file, before checking; `row` is what errors name (a CSV line, a JSON index from 1). */
export interface ImportRow {
  row: number;
  id?: string;
  title: unknown;
  scope: unknown;
  /** A category by name (created when the corp has none of that name); null: none. */
  category: string | null;
  /** The body with its kind; media by id, with `filenames` to find the corp's upload of that name otherwise. */
  body: unknown;
  filenames: Record<string, string>;
  /** The file's row could not be read at all. */
  error?: string;
}

export interface ImportReport {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Categories the import creates. */
  categoriesCreated: number;
  errors: { row: number; message: string }[];
}

const ImportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** JSON with keys sorted, so equal values compare equal whatever order their keys were written in. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** Media ids in a raw body (before it is checked), with a setter to replace each. */
function rawMediaRefs(raw: unknown): { get: () => unknown; set: (id: string) => void }[] {
  if (!isRecord(raw)) return [];
  const refs: { get: () => unknown; set: (id: string) => void }[] = [];
  if ('mediaId' in raw) refs.push({ get: () => raw.mediaId, set: (id) => (raw.mediaId = id) });
  const mp = raw.miniprogram;
  if (isRecord(mp) && 'coverMediaId' in mp)
    refs.push({ get: () => mp.coverMediaId, set: (id) => (mp.coverMediaId = id) });
  if (Array.isArray(raw.parts)) for (const p of raw.parts) refs.push(...rawMediaRefs(p));
  return refs;
}

const both = (m: { zh: string; en: string }) => `${m.zh} / ${m.en}`;

interface Planned {
  report: ImportReport;
  categories: string[];
  /** New replies; their category by name until the import knows every category's id. */
  creates: { reply: Omit<NewRow, 'categoryId'>; category: string | null }[];
  updates: { id: string; title: string; body: ReplyBody; scope: QuickReplyScope; category: string | null }[];
}

async function planImport(
  ex: Executor,
  corpId: string,
  current: QuickReply[],
  rows: ImportRow[],
  dryRun: boolean,
): Promise<Planned> {
  const report: ImportReport = {
    dryRun,
    created: 0,
    updated: 0,
    unchanged: 0,
    categoriesCreated: 0,
    errors: [],
  };
  const fail = (row: number, message: string) => report.errors.push({ row, message });
  const [categoryRows, mediaRows, takenRows] = await Promise.all([
    ex.selectFrom('reply_categories').select(['id', 'name']).where('corp_id', '=', corpId).execute(),
    ex.selectFrom('media').select(['id', 'filename']).where('corp_id', '=', corpId).execute(),
    ex
      .selectFrom('quick_replies')
      .select('id')
      .where('corp_id', '=', corpId)
      .where('owner_id', 'is not', null)
      .execute(),
  ]);
  const categoryByName = new Map(categoryRows.map((c) => [c.name, c.id]));
  const categoryName = new Map(categoryRows.map((c) => [c.id, c.name]));
  const mediaIds = new Set(mediaRows.map((m) => m.id));
  const byFilename = new Map<string, string | null>();
  for (const m of mediaRows) byFilename.set(m.filename, byFilename.has(m.filename) ? null : m.id);
  const personalIds = new Set(takenRows.map((r) => r.id));
  const byId = new Map(current.map((r) => [r.id, r]));
  const byTitle = new Map<string, QuickReply | null>();
  for (const r of current) byTitle.set(r.title, byTitle.has(r.title) ? null : r);

  const plan: Planned = { report, categories: [], creates: [], updates: [] };
  const seen = new Set<string>();
  let position = Math.max(0, ...current.map((r) => r.order));
  for (const item of rows) {
    if (item.error) {
      fail(item.row, item.error);
      continue;
    }
    try {
      if (item.id !== undefined && !ImportIdSchema.safeParse(item.id).success) {
        throw badRequest('import_id', { zh: `ID 格式不正确：${item.id}`, en: `Malformed id: ${item.id}` });
      }
      const meta = parse(MetaSchema.pick({ title: true, scope: true }), {
        title: item.title,
        scope: item.scope,
      });
      // Media by reference: the corp's upload with that id, else its only upload with the file's name.
      for (const ref of rawMediaRefs(item.body)) {
        const id = ref.get();
        if (typeof id !== 'string' || mediaIds.has(id)) continue;
        const name = item.filenames[id];
        const match = name ? byFilename.get(name) : undefined;
        if (match) ref.set(match);
      }
      const body = parseReplyBody(item.body);
      await checkReplyMedia(ex, corpId, body);
      const category = item.category?.trim() || null;
      if (category && category.length > 20) {
        throw badRequest('import_category', {
          zh: `分类名称最多 20 字：${category}`,
          en: `A category name has at most 20 characters: ${category}`,
        });
      }
      const existing = item.id !== undefined ? byId.get(item.id) : (byTitle.get(meta.title) ?? undefined);
      const key = existing?.id ?? item.id ?? `title:${meta.title}`;
      if (seen.has(key)) {
        throw badRequest('import_duplicate', {
          zh: '文件中重复出现同一条快捷回复',
          en: 'The same quick reply appears twice in the file',
        });
      }
      seen.add(key);
      if (item.id !== undefined && !existing && personalIds.has(item.id)) {
        throw badRequest('import_id_taken', {
          zh: `ID 已被占用：${item.id}`,
          en: `That id is taken: ${item.id}`,
        });
      }
      if (category && !categoryByName.has(category) && !plan.categories.includes(category)) {
        plan.categories.push(category);
      }
      if (existing) {
        const same =
          existing.title === meta.title &&
          stable(bodyOfReply(existing)) === stable(body) &&
          stable(existing.scope) === stable(meta.scope) &&
          (existing.categoryId ? (categoryName.get(existing.categoryId) ?? null) : null) === category;
        if (same) report.unchanged++;
        else {
          report.updated++;
          plan.updates.push({ id: existing.id, title: meta.title, body, scope: meta.scope, category });
        }
      } else {
        report.created++;
        plan.creates.push({
          reply: {
            id: item.id ?? newId(),
            title: meta.title,
            body,
            scope: meta.scope,
            ownerId: null,
            position: ++position,
          },
          category,
        });
      }
    } catch (err) {
      if (!(err instanceof HttpError) || err.status >= 500) throw err;
      fail(item.row, both(err.userMessage));
    }
  }
  if (current.length + report.created > MAX_REPLIES) {
    fail(0, both({ zh: `快捷回复最多 ${MAX_REPLIES} 条`, en: `At most ${MAX_REPLIES} quick replies` }));
  }
  if (categoryRows.length + plan.categories.length > MAX_CATEGORIES) {
    fail(0, both({ zh: `分类最多 ${MAX_CATEGORIES} 个`, en: `At most ${MAX_CATEGORIES} categories` }));
  }
  report.categoriesCreated = plan.categories.length;
  return plan;
}

class ImportRejected extends Error {
  constructor(readonly report: ImportReport) {
    super('import rejected');
  }
}

/**
 * Imports replies into the corp library: a reply with a known id (or, without an id, the one reply of that title)
 * is updated when it differs, any other is created; replies not in the file stay. A dry run reports what would
 * change and writes nothing; a real import writes all of it in one transaction, or nothing when any row is wrong.
 * Importing the same file again changes nothing.
 */
export async function importCorpReplies(
  rows: ImportRow[],
  options: { dryRun: boolean },
  deps: QuickReplyDeps,
): Promise<ImportReport> {
  const { db, corpId } = await resolve(deps);
  if (options.dryRun) {
    return (await planImport(db, corpId, await listQuickReplies(deps), rows, true)).report;
  }
  try {
    return await locked(deps, async (trx, at) => {
      const current = (await corpRows(trx, corpId)).map((r) => fromRow(r));
      const plan = await planImport(trx, corpId, current, rows, false);
      if (plan.report.errors.length > 0) throw new ImportRejected(plan.report);
      const categoryIds = new Map(
        (
          await trx
            .selectFrom('reply_categories')
            .select(['id', 'name'])
            .where('corp_id', '=', corpId)
            .execute()
        ).map((c) => [c.name, c.id]),
      );
      const last = await trx
        .selectFrom('reply_categories')
        .where('corp_id', '=', corpId)
        .select((eb) => eb.fn.max('position').as('last'))
        .executeTakeFirst();
      let categoryPosition = Number(last?.last ?? 0);
      for (const name of plan.categories) {
        const id = newId('cat');
        await trx
          .insertInto('reply_categories')
          .values({ corp_id: corpId, id, name, position: ++categoryPosition, created_at: at, updated_at: at })
          .execute();
        categoryIds.set(name, id);
      }
      const categoryOf = (name: string | null) => (name ? (categoryIds.get(name) ?? null) : null);
      if (plan.creates.length > 0) {
        await trx
          .insertInto('quick_replies')
          .values(
            plan.creates.map((c) => toRow(corpId, { ...c.reply, categoryId: categoryOf(c.category) }, at)),
          )
          .execute();
      }
      for (const u of plan.updates) {
        await trx
          .updateTable('quick_replies')
          .set({
            kind: u.body.kind,
            title: u.title,
            body: bodyColumn(u.body),
            scope: JSON.stringify(u.scope),
            category_id: categoryOf(u.category),
            search_text: searchTextOf(u.title, u.body),
            updated_at: at,
          })
          .where('corp_id', '=', corpId)
          .where('id', '=', u.id)
          .execute();
      }
      return plan.report;
    });
  } catch (err) {
    if (err instanceof ImportRejected) return err.report;
    throw err;
  }
}
