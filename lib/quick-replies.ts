import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getConfig } from './config';
import { badRequest, HttpError } from './http';
import { ChatIdSchema } from './ids';
import type { Selectable, Transaction } from 'kysely';
import { getDb, type Database, type Db } from './db';
import type { QuickRepliesTable } from './db/tables/core';
import { NewsBodySchema } from './content/body';
import { readJson } from './json';

/**
 * Quick replies: snippets a salesperson sends into the current chat from the sidebar. Each reply is scoped to all
 * chats, single (one-to-one) chats only, or a list of group chats, so different groups can see different replies.
 */

export const MAX_REPLIES = 200;

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
const TextSchema = z.string().trim().min(1).max(2000);

/** What an admin submits to create a reply (id and order are assigned). */
export const QuickReplyInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), title: TitleSchema, text: TextSchema, scope: ScopeSchema }),
  z.object({ kind: z.literal('news'), title: TitleSchema, news: NewsSchema, scope: ScopeSchema }),
]);

/** A partial change; switching kind requires the matching body (text or news). */
export const QuickReplyPatchSchema = z
  .object({
    kind: z.enum(['text', 'news']).optional(),
    title: TitleSchema.optional(),
    text: TextSchema.optional(),
    news: NewsSchema.optional(),
    scope: ScopeSchema.optional(),
  })
  .strict();

export const ReorderSchema = z.array(z.string().min(1).max(64)).max(MAX_REPLIES);

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

/** A row's `body` column. */
const BodySchema = z.union([z.object({ text: z.string() }), z.object({ news: NewsSchema })]);

export type QuickReplyScope = z.infer<typeof ScopeSchema>;
export type QuickReplyNews = z.infer<typeof NewsSchema>;
export type QuickReplyInput = z.input<typeof QuickReplyInputSchema>;
export type QuickReplyPatch = z.input<typeof QuickReplyPatchSchema>;

export interface QuickReply {
  id: string;
  title: string;
  kind: 'text' | 'news';
  text?: string;
  news?: QuickReplyNews;
  scope: QuickReplyScope;
  order: number;
}

/** Where the sidebar is open: a one-to-one customer chat or a customer group chat. */
export type ReplyContext = { entry: 'single' } | { entry: 'group'; chatId: string };

export interface QuickReplyDeps {
  db?: Db;
  /** The corp whose replies these are (every corp has its own). */
  corpId: string;
  /** Show demo replies until the admin saves their own (default: demo mode). */
  seed?: boolean;
  now?: () => number;
}

const notFound = () =>
  new HttpError(404, 'quick_reply_not_found', { zh: '快捷回复不存在', en: 'Quick reply not found' });

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

async function resolve(deps: QuickReplyDeps) {
  const db = deps.db ?? (await getDb());
  const corpId = deps.corpId;
  const seed = deps.seed ?? getConfig().mode === 'demo';
  return { db, corpId, seed, now: deps.now ?? Date.now };
}

function sorted(items: QuickReply[]): QuickReply[] {
  return [...items].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

const corrupt = () =>
  new HttpError(500, 'quick_replies_corrupt', {
    zh: '快捷回复数据已损坏，请在管理后台重新保存',
    en: 'The stored quick replies are corrupt; save them again in the admin page',
  });

type Row = Selectable<QuickRepliesTable>;

function fromRow(row: Row): QuickReply {
  const body = readJson(row.body, BodySchema);
  const scope = readJson(row.scope, ScopeSchema);
  if (!body || !scope || (row.kind !== 'text' && row.kind !== 'news')) throw corrupt();
  const base = { id: row.id, title: row.title, scope, order: row.position };
  if (row.kind === 'text' && 'text' in body) return { ...base, kind: 'text', text: body.text };
  if (row.kind === 'news' && 'news' in body) return { ...base, kind: 'news', news: body.news };
  throw corrupt();
}

export function toRow(corpId: string, reply: QuickReply, createdAt: number, updatedAt: number): Row {
  return {
    corp_id: corpId,
    id: reply.id,
    kind: reply.kind,
    title: reply.title,
    body: JSON.stringify(reply.kind === 'text' ? { text: reply.text ?? '' } : { news: reply.news }),
    scope: JSON.stringify(reply.scope),
    position: reply.order,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

/** One query in the usual case: the rows; only an empty answer asks whether the admin ever saved any. */
async function load(db: Db | Transaction<Database>, corpId: string, seed: boolean): Promise<Row[] | null> {
  const rows = await db
    .selectFrom('quick_replies')
    .selectAll()
    .where('corp_id', '=', corpId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  if (rows.length > 0 || !seed) return rows;
  const saved = await db
    .selectFrom('quick_reply_lists')
    .select('version')
    .where('corp_id', '=', corpId)
    .executeTakeFirst();
  return saved ? rows : null;
}

/**
 * One change of a corp's replies in one transaction. Bumping the corp's list version first takes that row's
 * write lock (PostgreSQL) or the database's (SQLite), so concurrent changes, from any process on any host, apply
 * one after the other and each sees the previous one.
 */
async function mutate<T>(
  deps: QuickReplyDeps,
  fn: (items: QuickReply[]) => { items: QuickReply[]; result: (saved: QuickReply[]) => T },
): Promise<T> {
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
    const rows = await load(trx, corpId, false);
    // The first save of a demo corp starts from the demo replies it was showing.
    const current =
      version === 1 && rows?.length === 0 && seed ? demoQuickReplies() : (rows ?? []).map(fromRow);
    const createdAt = new Map((rows ?? []).map((r) => [r.id, r.created_at]));
    const { items, result } = fn(sorted(current));
    const saved = sorted(items).map((item, index) => ({ ...item, order: index + 1 }));
    await trx.deleteFrom('quick_replies').where('corp_id', '=', corpId).execute();
    if (saved.length > 0) {
      await trx
        .insertInto('quick_replies')
        .values(saved.map((r) => toRow(corpId, r, createdAt.get(r.id) ?? at, at)))
        .execute();
    }
    return result(saved);
  });
}

function newId(): string {
  return `qr_${randomBytes(9).toString('base64url')}`;
}

function toReply(input: z.output<typeof QuickReplyInputSchema>, id: string, order: number): QuickReply {
  return input.kind === 'text'
    ? { id, title: input.title, kind: 'text', text: input.text, scope: input.scope, order }
    : { id, title: input.title, kind: 'news', news: input.news, scope: input.scope, order };
}

export async function listQuickReplies(deps: QuickReplyDeps): Promise<QuickReply[]> {
  const { db, corpId, seed } = await resolve(deps);
  const rows = await load(db, corpId, seed);
  return rows === null ? demoQuickReplies() : rows.map(fromRow);
}

export function matchesContext(reply: QuickReply, context: ReplyContext): boolean {
  switch (reply.scope.type) {
    case 'all':
      return true;
    case 'single':
      return context.entry === 'single';
    case 'groups':
      return context.entry === 'group' && reply.scope.chatIds.includes(context.chatId);
  }
}

/** The replies offered in one chat, in the admin's order. */
export async function repliesFor(context: ReplyContext, deps: QuickReplyDeps): Promise<QuickReply[]> {
  return (await listQuickReplies(deps)).filter((r) => matchesContext(r, context));
}

export async function createQuickReply(input: unknown, deps: QuickReplyDeps): Promise<QuickReply> {
  const data = parse(QuickReplyInputSchema, input);
  const id = newId();
  return mutate(deps, (items) => {
    if (items.length >= MAX_REPLIES) {
      throw badRequest('too_many_quick_replies', {
        zh: `快捷回复最多 ${MAX_REPLIES} 条`,
        en: `At most ${MAX_REPLIES} quick replies`,
      });
    }
    const order = Math.max(0, ...items.map((i) => i.order)) + 1;
    return {
      items: [...items, toReply(data, id, order)],
      result: (saved) => saved.find((r) => r.id === id)!,
    };
  });
}

export async function updateQuickReply(
  id: string,
  patch: unknown,
  deps: QuickReplyDeps,
): Promise<QuickReply> {
  const change = parse(QuickReplyPatchSchema, patch);
  return mutate(deps, (items) => {
    const existing = items.find((r) => r.id === id);
    if (!existing) throw notFound();
    const merged = parse(QuickReplyInputSchema, {
      kind: change.kind ?? existing.kind,
      title: change.title ?? existing.title,
      text: change.text ?? existing.text,
      news: change.news ?? existing.news,
      scope: change.scope ?? existing.scope,
    });
    const next = toReply(merged, id, existing.order);
    return {
      items: items.map((r) => (r.id === id ? next : r)),
      result: (saved) => saved.find((r) => r.id === id)!,
    };
  });
}

export async function deleteQuickReply(id: string, deps: QuickReplyDeps): Promise<void> {
  await mutate(deps, (items) => {
    if (!items.some((r) => r.id === id)) throw notFound();
    return { items: items.filter((r) => r.id !== id), result: () => undefined };
  });
}

/** Puts the listed ids first, in that order; replies not listed keep their relative order after them. */
export async function reorderQuickReplies(ids: unknown, deps: QuickReplyDeps): Promise<QuickReply[]> {
  const order = parse(ReorderSchema, ids);
  return mutate(deps, (items) => {
    const known = new Set(items.map((r) => r.id));
    const unknown = order.filter((id) => !known.has(id));
    if (unknown.length > 0) throw notFound();
    if (new Set(order).size !== order.length) {
      throw badRequest('invalid_quick_reply', {
        zh: '排序中有重复的 ID',
        en: 'Duplicate ids in the new order',
      });
    }
    const rank = new Map(order.map((id, i) => [id, i]));
    const next = [...items]
      .sort((a, b) => (rank.get(a.id) ?? order.length + a.order) - (rank.get(b.id) ?? order.length + b.order))
      .map((r, i) => ({ ...r, order: i + 1 }));
    return { items: next, result: (saved) => saved };
  });
}

/** Demo replies, shown until the admin saves their own; two groups get different replies. */
export function demoQuickReplies(): QuickReply[] {
  const vipGroup = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
  const channelGroup = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';
  const items: Omit<QuickReply, 'order'>[] = [
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
  return items.map((item, i) => ({ ...item, order: i + 1 }));
}
