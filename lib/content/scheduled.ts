import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { HttpError, type Bilingual } from '../http';
import { ChatIdSchema, ExternalUserIdSchema, TagIdSchema, UserIdSchema } from '../ids';
import { readJson } from '../json';
import { countSchedulerJob } from '../ops/metrics';
import type { ScheduledMessagesTable } from '../db/tables/content';
import { mediaIdsOf, ReplyBodySchema, type ReplyBody } from './body';
import { missingMedia } from './media';
import { checkScheduleVariables, type TargetKind } from './schedule-variables';

/**
 * Scheduled messages (定时发送). WeCom has no scheduled send: at the due time the scheduler creates the customer
 * mass-message task (add_msg_template) for the sender, who confirms it in WeCom. Until then a schedule can be
 * edited or cancelled; afterwards it shows WeCom's result.
 */

/** Up to a year ahead. */
export const MAX_AHEAD_MS = 366 * 86400_000;

const AtSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), '时间格式无效 / invalid date-time')
    .transform((v) => Date.parse(v)),
]);

export const TargetSchema = z.union([
  z.object({ externalUserId: ExternalUserIdSchema }).strict(),
  z.object({ chatId: ChatIdSchema }).strict(),
  z
    .object({
      audience: z
        .object({
          /** The member whose customers receive it (admins only; default the signed-in member). */
          userId: UserIdSchema.optional(),
          tagIds: z.array(TagIdSchema).min(1).max(100),
        })
        .strict(),
    })
    .strict(),
]);

export const ScheduleInputSchema = z
  .object({
    /** Client-generated id: a retried submit creates nothing new. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .optional(),
    target: TargetSchema,
    at: AtSchema,
    content: z.union([ReplyBodySchema, z.object({ replyId: z.string().min(1).max(64) }).strict()]),
  })
  .strict();

export const SchedulePatchSchema = z
  .object({ at: AtSchema.optional(), content: ReplyBodySchema.optional() })
  .strict()
  .refine((p) => p.at !== undefined || p.content !== undefined, '至少修改一项 / change at least one field');

export type ScheduleInput = z.input<typeof ScheduleInputSchema>;
export type ScheduleState = ScheduledMessagesTable['state'];

export interface ScheduledMessage {
  id: string;
  createdBy: string;
  sender: string;
  target:
    { externalUserId: string } | { chatId: string } | { audience: { userId: string; tagIds: string[] } };
  at: number;
  content: ReplyBody;
  state: ScheduleState;
  msgid: string | null;
  error: Bilingual | null;
  result: { sent: number; failed: number; pending: number } | null;
  createdAt: number;
  updatedAt: number;
}

export interface Viewer {
  corpId: string;
  userId: string;
  isAdmin: boolean;
}

export interface ScheduleDeps {
  db: Db;
  now?: () => number;
  /**
   * Checks that the viewer may send to the target and answers who WeCom asks to send it: the member for a
   * customer they follow, the group's owner for a group they belong to. Throws 403 otherwise.
   */
  authorizeTarget(viewer: Viewer, target: z.infer<typeof TargetSchema>): Promise<{ sender: string }>;
  /** The body of a library reply the viewer may use (404/403 otherwise). */
  resolveReply?(viewer: Viewer, replyId: string, target: z.infer<typeof TargetSchema>): Promise<ReplyBody>;
  dataDir?: string;
}

const notFound = () =>
  new HttpError(404, 'schedule_not_found', { zh: '定时消息不存在', en: 'Scheduled message not found' });

const alreadyFired = (state: string) =>
  new HttpError(409, 'schedule_not_editable', {
    zh: `该定时消息已${STATE_ZH[state as ScheduleState] ?? '处理'}，不能再修改或取消`,
    en: `This scheduled message is already ${state}; it can no longer be changed or cancelled`,
  });

export const STATE_ZH: Record<ScheduleState, string> = {
  scheduled: '待发送',
  submitting: '提交中',
  submitted: '已提交，待成员确认',
  sent: '已发送',
  failed: '失败',
  cancelled: '已取消',
  missed: '已错过',
};

function checkTime(at: number, now: number): void {
  if (at <= now)
    throw new HttpError(400, 'schedule_in_past', {
      zh: '发送时间必须晚于现在',
      en: 'The send time must be in the future',
    });
  if (at - now > MAX_AHEAD_MS)
    throw new HttpError(400, 'schedule_too_far', {
      zh: '发送时间最多一年以内',
      en: 'The send time may be at most a year ahead',
    });
}

async function checkMedia(viewer: Viewer, content: ReplyBody, deps: ScheduleDeps): Promise<void> {
  const missing = await missingMedia(viewer.corpId, mediaIdsOf(content), deps);
  if (missing.length > 0)
    throw new HttpError(409, 'media_not_found', {
      zh: `素材不存在：${missing.join(', ')}`,
      en: `No such media: ${missing.join(', ')}`,
    });
}

export function toScheduledMessage(row: ScheduledMessagesTable): ScheduledMessage {
  const audience = readJson<{ userId: string; tagIds: string[] }>(row.audience);
  const target: ScheduledMessage['target'] =
    row.target_kind === 'customer'
      ? { externalUserId: row.external_user_id ?? '' }
      : row.target_kind === 'group'
        ? { chatId: row.chat_id ?? '' }
        : { audience: audience ?? { userId: row.sender, tagIds: [] } };
  return {
    id: row.id,
    createdBy: row.created_by,
    sender: row.sender,
    target,
    at: row.due_at,
    content: readJson(row.content, ReplyBodySchema) ?? { kind: 'text', text: '' },
    state: row.state,
    msgid: row.msgid,
    error: readJson<Bilingual>(row.error),
    result: readJson(row.result),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createSchedule(
  viewer: Viewer,
  raw: unknown,
  deps: ScheduleDeps,
): Promise<{ schedule: ScheduledMessage; created: boolean }> {
  const input = ScheduleInputSchema.parse(raw);
  const now = (deps.now ?? Date.now)();
  if (input.id) {
    const existing = await deps.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('corp_id', '=', viewer.corpId)
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (existing) {
      if (existing.created_by !== viewer.userId) throw notFound();
      return { schedule: toScheduledMessage(existing), created: false };
    }
  }
  checkTime(input.at, now);
  if ('audience' in input.target) {
    if (input.target.audience.userId && input.target.audience.userId !== viewer.userId && !viewer.isAdmin)
      throw new HttpError(403, 'audience_admin_only', {
        zh: '只有管理员可以给其他成员的客户安排群发',
        en: 'Only admins may schedule messages to another member’s customers',
      });
  }
  const { sender } = await deps.authorizeTarget(viewer, input.target);
  let content: ReplyBody;
  if ('replyId' in input.content) {
    if (!deps.resolveReply) throw notFound();
    content = await deps.resolveReply(viewer, input.content.replyId, input.target);
  } else content = input.content;
  const t = input.target;
  const kind: TargetKind = 'externalUserId' in t ? 'customer' : 'chatId' in t ? 'group' : 'audience';
  checkScheduleVariables(kind, content);
  await checkMedia(viewer, content, deps);
  const row: ScheduledMessagesTable = {
    corp_id: viewer.corpId,
    id: input.id ?? randomUUID(),
    created_by: viewer.userId,
    sender,
    target_kind: kind,
    external_user_id: 'externalUserId' in t ? t.externalUserId : null,
    chat_id: 'chatId' in t ? t.chatId : null,
    audience:
      'audience' in t
        ? JSON.stringify({ userId: t.audience.userId ?? viewer.userId, tagIds: t.audience.tagIds })
        : null,
    content: JSON.stringify(content),
    due_at: input.at,
    state: 'scheduled',
    msgid: null,
    error: null,
    attempts: 0,
    claimed_until: null,
    submitted_at: null,
    result: null,
    checked_at: null,
    created_at: now,
    updated_at: now,
  };
  // A concurrent retry with the same id inserts nothing and reads the first.
  const inserted = await deps.db
    .insertInto('scheduled_messages')
    .values(row)
    .onConflict((oc) => oc.columns(['corp_id', 'id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const first = await getRow(viewer, row.id, deps);
    return { schedule: toScheduledMessage(first), created: false };
  }
  return { schedule: toScheduledMessage(row), created: true };
}

async function getRow(viewer: Viewer, id: string, deps: ScheduleDeps): Promise<ScheduledMessagesTable> {
  const row = await deps.db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where('corp_id', '=', viewer.corpId)
    .where('id', '=', id)
    .executeTakeFirst();
  // Someone else's schedule reads as missing: its existence is not the viewer's business.
  if (!row || (row.created_by !== viewer.userId && !viewer.isAdmin)) throw notFound();
  return row;
}

export async function listSchedules(
  viewer: Viewer,
  filter: { externalUserId?: string; chatId?: string; all?: boolean; audience?: boolean },
  deps: ScheduleDeps,
): Promise<{ upcoming: ScheduledMessage[]; past: ScheduledMessage[] }> {
  let q = deps.db.selectFrom('scheduled_messages').selectAll().where('corp_id', '=', viewer.corpId);
  if (!(filter.all && viewer.isAdmin)) q = q.where('created_by', '=', viewer.userId);
  if (filter.externalUserId) q = q.where('external_user_id', '=', filter.externalUserId);
  if (filter.chatId) q = q.where('chat_id', '=', filter.chatId);
  if (filter.audience) q = q.where('target_kind', '=', 'audience');
  const rows = await q.orderBy('due_at', 'desc').limit(200).execute();
  const items = rows.map(toScheduledMessage);
  return {
    upcoming: items.filter((s) => s.state === 'scheduled').sort((a, b) => a.at - b.at),
    past: items.filter((s) => s.state !== 'scheduled'),
  };
}

export async function updateSchedule(
  viewer: Viewer,
  id: string,
  raw: unknown,
  deps: ScheduleDeps,
): Promise<ScheduledMessage> {
  const patch = SchedulePatchSchema.parse(raw);
  const row = await getRow(viewer, id, deps);
  if (row.state !== 'scheduled') throw alreadyFired(row.state);
  const now = (deps.now ?? Date.now)();
  if (patch.at !== undefined) checkTime(patch.at, now);
  if (patch.content) {
    checkScheduleVariables(row.target_kind, patch.content);
    await checkMedia(viewer, patch.content, deps);
  }
  const changes = {
    ...(patch.at !== undefined ? { due_at: patch.at } : {}),
    ...(patch.content ? { content: JSON.stringify(patch.content) } : {}),
    updated_at: now,
  };
  // Only while still scheduled: the scheduler may claim it at this very moment.
  const res = await deps.db
    .updateTable('scheduled_messages')
    .set(changes)
    .where('corp_id', '=', viewer.corpId)
    .where('id', '=', id)
    .where('state', '=', 'scheduled')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw alreadyFired((await getRow(viewer, id, deps)).state);
  return toScheduledMessage(await getRow(viewer, id, deps));
}

export async function cancelSchedule(
  viewer: Viewer,
  id: string,
  deps: ScheduleDeps,
): Promise<ScheduledMessage> {
  const row = await getRow(viewer, id, deps);
  if (row.state === 'cancelled') return toScheduledMessage(row);
  const now = (deps.now ?? Date.now)();
  const res = await deps.db
    .updateTable('scheduled_messages')
    .set({ state: 'cancelled', updated_at: now })
    .where('corp_id', '=', viewer.corpId)
    .where('id', '=', id)
    .where('state', '=', 'scheduled')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw alreadyFired((await getRow(viewer, id, deps)).state);
  countSchedulerJob('cancelled');
  return toScheduledMessage(await getRow(viewer, id, deps));
}
