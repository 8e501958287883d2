import 'server-only';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, Db } from '../db';
import { badRequest } from '../http';
import { readJson } from '../json';
import { nowOf, type CrmDeps, type Viewer } from './context';
import { personOf } from './followers';
import type { Bilingual } from './limits';
import type { Note, Person, TimelineItem, TimelineKind, TimelinePage } from './types';

/**
 * A customer's timeline: newest first, paged by an opaque cursor (time, id). Entries are written in the same
 * transaction as what they describe (a note) or only after WeCom accepted the change (tags, stage, remark), so a
 * failed WeCom call leaves nothing behind; WeCom events carry a dedup key so a replayed event lands once.
 */

export const TIMELINE_PAGE = 20;

export interface NewEntry {
  externalUserId: string;
  kind: TimelineKind;
  at: number;
  actor?: { userId: string; name?: string } | null;
  data?: Record<string, unknown>;
  noteId?: string | null;
  source: 'app' | 'wecom';
  dedupKey?: string | null;
}

/** Adds an entry; with a dedup key that exists already, nothing happens (returns false). */
export async function addEntry(
  db: Db | Transaction<Database>,
  corpId: string,
  e: NewEntry,
): Promise<boolean> {
  const res = await db
    .insertInto('crm_timeline')
    .values({
      corp_id: corpId,
      external_userid: e.externalUserId,
      at: e.at,
      kind: e.kind,
      actor_userid: e.actor?.userId ?? null,
      actor_name: e.actor?.name ?? null,
      data: JSON.stringify(e.data ?? {}),
      note_id: e.noteId ?? null,
      source: e.source,
      dedup_key: e.dedupKey ?? null,
    })
    .onConflict((oc) => oc.columns(['corp_id', 'dedup_key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export function encodeCursor(at: number, id: number): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: number; id: number } {
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badRequest('invalid_cursor', { zh: '分页游标无效', en: 'Invalid paging cursor' });
  return { at: Number(m[1]), id: Number(m[2]) };
}

const Data = z.record(z.string(), z.unknown());
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const names = (v: unknown) =>
  Array.isArray(v)
    ? v.map((x) => str((x as { name?: unknown })?.name) || str((x as { id?: unknown })?.id))
    : [];

const REMARK_FIELDS: Record<string, Bilingual> = {
  remark: { zh: '备注', en: 'remark' },
  description: { zh: '描述', en: 'description' },
  remarkCompany: { zh: '备注企业', en: 'remark company' },
  remarkMobiles: { zh: '备注手机号', en: 'remark mobiles' },
};

/** The one-line text of an entry (notes show their text separately). */
export function summaryOf(kind: string, data: Record<string, unknown>, actor: string): Bilingual {
  switch (kind) {
    case 'note':
      return { zh: `${actor} 添加了跟进记录`, en: `${actor} added a note` };
    case 'stage': {
      const to = str(data.toName);
      const from = str(data.fromName);
      if (!to)
        return {
          zh: `${actor} 清除了客户阶段（原为 ${from || '无'}）`,
          en: `${actor} cleared the stage (was ${from || 'none'})`,
        };
      return from
        ? { zh: `${actor} 将阶段从 ${from} 改为 ${to}`, en: `${actor} moved the stage from ${from} to ${to}` }
        : { zh: `${actor} 将阶段设为 ${to}`, en: `${actor} set the stage to ${to}` };
    }
    case 'tags': {
      const add = names(data.add);
      const remove = names(data.remove);
      const zh = [
        add.length ? `添加标签 ${add.join('、')}` : '',
        remove.length ? `移除标签 ${remove.join('、')}` : '',
      ]
        .filter(Boolean)
        .join('，');
      const en = [
        add.length ? `added tags ${add.join(', ')}` : '',
        remove.length ? `removed tags ${remove.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return { zh: `${actor} ${zh}`, en: `${actor} ${en}` };
    }
    case 'remark': {
      const fields = (Array.isArray(data.fields) ? data.fields : []).map(
        (f) => REMARK_FIELDS[str(f)] ?? { zh: str(f), en: str(f) },
      );
      return {
        zh: `${actor} 修改了${fields.map((f) => f.zh).join('、')}`,
        en: `${actor} edited the ${fields.map((f) => f.en).join(', ')}`,
      };
    }
    case 'customer_added':
      return { zh: `${actor} 添加了该客户`, en: `${actor} added this customer` };
    case 'customer_deleted':
      return { zh: `${actor} 删除了该客户`, en: `${actor} deleted this customer` };
    case 'member_deleted':
      return { zh: `客户删除了 ${actor}`, en: `The customer deleted ${actor}` };
    case 'customer_edited':
      return {
        zh: `${actor} 在企业微信中修改了客户资料或标签`,
        en: `${actor} edited the customer's details or tags in WeCom`,
      };
    case 'group_joined':
      return {
        zh: `客户加入了群聊 ${str(data.chatName) || str(data.chatId)}`,
        en: `The customer joined the group chat ${str(data.chatName) || str(data.chatId)}`,
      };
    case 'group_left':
      return {
        zh: `客户退出了群聊 ${str(data.chatName) || str(data.chatId)}`,
        en: `The customer left the group chat ${str(data.chatName) || str(data.chatId)}`,
      };
    default:
      return { zh: kind, en: kind };
  }
}

/** One page of a customer's timeline (access was checked by the caller). */
export async function timelinePage(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  cursor: string | null,
  limit = TIMELINE_PAGE,
): Promise<TimelinePage> {
  let q = deps.db
    .selectFrom('crm_timeline as t')
    .leftJoin('crm_notes as n', (j) => j.onRef('n.corp_id', '=', 't.corp_id').onRef('n.id', '=', 't.note_id'))
    .select([
      't.id',
      't.at',
      't.kind',
      't.actor_userid',
      't.actor_name',
      't.data',
      't.source',
      'n.id as note_id',
      'n.text as note_text',
      'n.follow_up_at as note_follow_up_at',
      'n.created_at as note_created_at',
      'n.updated_at as note_updated_at',
      'n.author_userid as note_author',
      'n.author_name as note_author_name',
    ])
    .where('t.corp_id', '=', deps.corpId)
    .where('t.external_userid', '=', externalUserId);
  if (cursor) {
    const c = decodeCursor(cursor);
    q = q.where((eb) =>
      eb.or([eb('t.at', '<', c.at), eb.and([eb('t.at', '=', c.at), eb('t.id', '<', c.id)])]),
    );
  }
  const rows = await q
    .orderBy('t.at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const people = new Map<string, Promise<Person>>();
  const person = (userId: string, name: string | null) => {
    if (!people.has(userId)) people.set(userId, personOf(deps, userId, name ?? undefined));
    return people.get(userId)!;
  };
  const items: TimelineItem[] = [];
  for (const r of page) {
    // A deleted note leaves no entry behind (its entry is deleted with it; this guards a race).
    if (r.kind === 'note' && !r.note_id) continue;
    const actor = r.actor_userid ? await person(r.actor_userid, r.actor_name) : null;
    const data = readJson(r.data, Data) ?? {};
    const item: TimelineItem = {
      id: String(r.id),
      kind: r.kind as TimelineKind,
      at: new Date(Number(r.at)).toISOString(),
      actor,
      summary: summaryOf(r.kind, data, actor?.name ?? ''),
      source: r.source === 'wecom' ? 'wecom' : 'app',
    };
    if (r.kind === 'note' && r.note_id) {
      const note: Note = {
        id: r.note_id,
        externalUserId,
        text: r.note_text ?? '',
        followUpAt: r.note_follow_up_at !== null ? new Date(Number(r.note_follow_up_at)).toISOString() : null,
        author: await person(r.note_author ?? '', r.note_author_name),
        createdAt: new Date(Number(r.note_created_at)).toISOString(),
        updatedAt: new Date(Number(r.note_updated_at)).toISOString(),
        mine: r.note_author === viewer.userId,
      };
      item.note = note;
    }
    items.push(item);
  }
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(Number(last.at), Number(last.id)) : null,
  };
}

export { nowOf };
