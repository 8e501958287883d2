import 'server-only';
import { forbidden, HttpError } from '../http';
import { conflict, invalidField, nowOf, type CrmDeps, type Viewer } from './context';
import { isoOrNull, personOf, requireAccess } from './followers';
import { checkNoteText } from './limits';
import { addEntry } from './timeline';
import type { FollowUp, Note } from './types';

/**
 * Follow-up notes: any follower adds one (≤ 2,000 characters, an optional follow-up time); the id comes from the
 * client, so a retried submit finds its note instead of writing a second one; only the author edits or deletes.
 * Notes are read by the customer's followers and admins (the caller checks access).
 */

const noteNotFound = () =>
  new HttpError(404, 'note_not_found', {
    zh: '跟进记录不存在或已删除',
    en: 'The note does not exist or was deleted',
  });

const toMs = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

type NoteRow = {
  id: string;
  external_userid: string;
  text: string;
  follow_up_at: number | null;
  author_userid: string;
  author_name: string;
  created_at: number;
  updated_at: number;
};

async function toNote(deps: CrmDeps, viewer: Viewer, r: NoteRow): Promise<Note> {
  return {
    id: r.id,
    externalUserId: r.external_userid,
    text: r.text,
    followUpAt: isoOrNull(r.follow_up_at === null ? null : Number(r.follow_up_at)),
    author: await personOf(deps, r.author_userid, r.author_name || undefined),
    createdAt: new Date(Number(r.created_at)).toISOString(),
    updatedAt: new Date(Number(r.updated_at)).toISOString(),
    mine: r.author_userid === viewer.userId,
  };
}

const NOTE_COLUMNS = [
  'id',
  'external_userid',
  'text',
  'follow_up_at',
  'author_userid',
  'author_name',
  'created_at',
  'updated_at',
] as const;

async function findNote(deps: CrmDeps, id: string): Promise<NoteRow | undefined> {
  return deps.db
    .selectFrom('crm_notes')
    .select(NOTE_COLUMNS)
    .where('corp_id', '=', deps.corpId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface NoteInput {
  id: string;
  text: string;
  followUpAt?: string | null;
}

/** Adds a note; the same id again answers the existing note (201 both times) when it is the same author's. */
export async function addNote(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  input: NoteInput,
): Promise<{ note: Note; created: boolean }> {
  const problem = checkNoteText(input.text);
  if (problem) throw invalidField(problem);
  const followers = await requireAccess(deps, viewer, externalUserId, { write: true });
  const existing = await findNote(deps, input.id);
  if (existing) {
    if (existing.author_userid !== viewer.userId || existing.external_userid !== externalUserId) {
      throw conflict('note_id_taken', { zh: '该记录 ID 已被使用', en: 'This note id is taken' });
    }
    return { note: await toNote(deps, viewer, existing), created: false };
  }
  const now = nowOf(deps);
  const row: NoteRow = {
    id: input.id,
    external_userid: externalUserId,
    text: input.text,
    follow_up_at: toMs(input.followUpAt),
    author_userid: viewer.userId,
    author_name: viewer.name ?? '',
    created_at: now,
    updated_at: now,
  };
  let created = true;
  await deps.db.transaction().execute(async (tx) => {
    const res = await tx
      .insertInto('crm_notes')
      .values({ ...row, corp_id: deps.corpId, customer_name: followers.name })
      .onConflict((oc) => oc.columns(['corp_id', 'id']).doNothing())
      .executeTakeFirst();
    // A concurrent retry inserted it first: that one wrote the timeline entry.
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) {
      created = false;
      return;
    }
    await addEntry(tx, deps.corpId, {
      externalUserId,
      kind: 'note',
      at: now,
      actor: { userId: viewer.userId, name: viewer.name },
      noteId: input.id,
      source: 'app',
    });
  });
  if (!created) {
    const again = await findNote(deps, input.id);
    if (!again || again.author_userid !== viewer.userId) {
      throw conflict('note_id_taken', { zh: '该记录 ID 已被使用', en: 'This note id is taken' });
    }
    return { note: await toNote(deps, viewer, again), created: false };
  }
  return { note: await toNote(deps, viewer, row), created: true };
}

async function ownNote(deps: CrmDeps, viewer: Viewer, externalUserId: string, id: string): Promise<NoteRow> {
  await requireAccess(deps, viewer, externalUserId, { write: true });
  const note = await findNote(deps, id);
  if (!note || note.external_userid !== externalUserId) throw noteNotFound();
  if (note.author_userid !== viewer.userId) {
    throw forbidden({ zh: '只能修改或删除自己的跟进记录', en: 'You may only edit or delete your own notes' });
  }
  return note;
}

export async function editNote(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  id: string,
  input: { text?: string; followUpAt?: string | null },
): Promise<Note> {
  if (input.text !== undefined) {
    const problem = checkNoteText(input.text);
    if (problem) throw invalidField(problem);
  }
  const note = await ownNote(deps, viewer, externalUserId, id);
  const next: NoteRow = {
    ...note,
    text: input.text ?? note.text,
    follow_up_at: input.followUpAt === undefined ? note.follow_up_at : toMs(input.followUpAt),
    updated_at: nowOf(deps),
  };
  await deps.db
    .updateTable('crm_notes')
    .set({ text: next.text, follow_up_at: next.follow_up_at, updated_at: next.updated_at })
    .where('corp_id', '=', deps.corpId)
    .where('id', '=', id)
    .execute();
  return toNote(deps, viewer, next);
}

export async function deleteNote(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  id: string,
): Promise<void> {
  await ownNote(deps, viewer, externalUserId, id);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('crm_timeline')
      .where('corp_id', '=', deps.corpId)
      .where('note_id', '=', id)
      .execute();
    await tx.deleteFrom('crm_notes').where('corp_id', '=', deps.corpId).where('id', '=', id).execute();
  });
}

/** The member's notes whose follow-up time has come, oldest first. */
export async function dueFollowUps(deps: CrmDeps, viewer: Viewer, limit = 100): Promise<FollowUp[]> {
  const rows = await deps.db
    .selectFrom('crm_notes')
    .select(['id', 'external_userid', 'customer_name', 'text', 'follow_up_at'])
    .where('corp_id', '=', deps.corpId)
    .where('author_userid', '=', viewer.userId)
    .where('follow_up_at', 'is not', null)
    .where('follow_up_at', '<=', nowOf(deps))
    .orderBy('follow_up_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    noteId: r.id,
    externalUserId: r.external_userid,
    customerName: r.customer_name,
    text: r.text,
    followUpAt: new Date(Number(r.follow_up_at)).toISOString(),
  }));
}
