import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readJson } from '../json';
import { LegacyStoredSchema, legacyStoreKey, toRow } from '../quick-replies';
import type { Store } from '../store/types';
import type { Db } from './connect';

/**
 * The one-time copy of durable data that older versions kept in the key-value store (STORE_URL) into the
 * database: quick replies, the suite_ticket, authorized corps, and the recent callback events. The old keys are
 * left in place (a rollback still finds them); rows the database already has win. Runs once per database.
 */

export const LEGACY_IMPORT = 'kv-store-v1';

const LegacyTicketSchema = z.object({
  ticket: z.string(),
  timestamp: z.number(),
  receivedAt: z.number().optional(),
});
const LegacyAuthSchema = z.object({
  corpId: z.string(),
  corpName: z.string(),
  corpFullName: z.string().optional(),
  agentId: z.string(),
  permanentCode: z.string(),
  authUserId: z.string().optional(),
  authOpenUserId: z.string().optional(),
  state: z.string().optional(),
  installedAt: z.number(),
  updatedAt: z.number(),
});
const LegacyEventsSchema = z.array(
  z.object({
    at: z.number(),
    event: z.string(),
    changeType: z.string().optional(),
    fields: z.record(z.string(), z.string()),
  }),
);

export interface LegacyImportScope {
  /** The self-built app's corp (empty in third-party mode without one). */
  corpId?: string;
  suiteId?: string;
  now?: () => number;
}

export interface LegacyImportResult {
  imported: boolean;
  corps: number;
  quickReplyCorps: number;
  events: number;
}

export async function importLegacyStore(
  db: Db,
  store: Store,
  scope: LegacyImportScope,
): Promise<LegacyImportResult> {
  const result: LegacyImportResult = { imported: false, corps: 0, quickReplyCorps: 0, events: 0 };
  const done = await db
    .selectFrom('legacy_imports')
    .select('name')
    .where('name', '=', LEGACY_IMPORT)
    .executeTakeFirst();
  if (done) return result;
  const now = scope.now ?? Date.now;
  const corpIds = new Set<string>(scope.corpId ? [scope.corpId] : []);

  if (scope.suiteId) {
    const prefix = `wecom:suite:${scope.suiteId}`;
    const ticket = readJson(await store.get(`${prefix}:ticket`), LegacyTicketSchema);
    if (ticket) {
      await db
        .insertInto('suite_tickets')
        .values({
          suite_id: scope.suiteId,
          ticket: ticket.ticket,
          timestamp: ticket.timestamp,
          received_at: ticket.receivedAt ?? now(),
        })
        .onConflict((oc) => oc.column('suite_id').doNothing())
        .execute();
    }
    for (const id of readJson(await store.get(`${prefix}:corps`), z.array(z.string())) ?? []) {
      const auth = readJson(await store.get(`${prefix}:corp:${id}`), LegacyAuthSchema);
      if (!auth) continue;
      corpIds.add(auth.corpId);
      const inserted = await db
        .insertInto('suite_corps')
        .values({
          suite_id: scope.suiteId,
          corp_id: auth.corpId,
          corp_name: auth.corpName,
          corp_full_name: auth.corpFullName ?? null,
          agent_id: auth.agentId,
          permanent_code: auth.permanentCode,
          auth_user_id: auth.authUserId ?? null,
          auth_open_user_id: auth.authOpenUserId ?? null,
          state: auth.state ?? null,
          auth_info: null,
          installed_at: auth.installedAt,
          updated_at: auth.updatedAt,
        })
        .onConflict((oc) => oc.columns(['suite_id', 'corp_id']).doNothing())
        .returning('corp_id')
        .executeTakeFirst();
      if (inserted) result.corps++;
    }
  }

  for (const corpId of corpIds) {
    const replies = readJson(await store.get(legacyStoreKey(corpId)), LegacyStoredSchema);
    if (replies) {
      const copied = await db.transaction().execute(async (trx) => {
        const listed = await trx
          .insertInto('quick_reply_lists')
          .values({ corp_id: corpId, version: 1, updated_at: now() })
          .onConflict((oc) => oc.column('corp_id').doNothing())
          .returning('corp_id')
          .executeTakeFirst();
        if (!listed) return false; // the database has this corp's replies already
        const items = [...replies.items].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
        if (items.length > 0) {
          await trx
            .insertInto('quick_replies')
            .values(items.map((item, i) => toRow(corpId, { ...item, order: i + 1 }, now(), now())))
            .onConflict((oc) => oc.columns(['corp_id', 'id']).doNothing())
            .execute();
        }
        return true;
      });
      if (copied) result.quickReplyCorps++;
    }

    const events = readJson(await store.get(`wecom:events:${corpId}`), LegacyEventsSchema) ?? [];
    for (const e of [...events].reverse()) {
      const f = e.fields;
      const inserted = await db
        .insertInto('callback_events')
        .values({
          corp_id: corpId,
          source: f.InfoType ? 'suite' : corpId === scope.corpId ? 'app' : 'suite-data',
          event_type: e.event,
          change_type: e.changeType ?? null,
          external_userid: f.ExternalUserID || null,
          userid: f.UserID || null,
          chat_id: f.ChatId || null,
          tag_id: e.event === 'change_external_tag' ? f.Id || null : null,
          payload: JSON.stringify(f),
          dedup_key: `legacy:${createHash('sha256')
            .update(`${corpId}\n${e.at}\n${JSON.stringify(f)}`)
            .digest('hex')}`,
          received_at: e.at,
          processed_at: e.at,
          attempts: 0,
          last_error: null,
          locked_until: null,
          result: null,
        })
        .onConflict((oc) => oc.column('dedup_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) result.events++;
    }
  }

  await db
    .insertInto('legacy_imports')
    .values({ name: LEGACY_IMPORT, done_at: now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  result.imported = true;
  return result;
}
