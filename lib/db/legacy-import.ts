import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readJson } from '../json';
import { legacyRow, LegacyStoredSchema, legacyStoreKey } from '../quick-replies';
import type { Store } from '../store/types';
import { recordEvent } from '../wecom/callback';
import { StoredAuthSchema, suiteCorpRow } from '../wecom/suite';
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
      const auth = readJson(await store.get(`${prefix}:corp:${id}`), StoredAuthSchema);
      if (!auth) continue;
      corpIds.add(auth.corpId);
      const inserted = await db
        .insertInto('suite_corps')
        .values(suiteCorpRow(scope.suiteId, auth))
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
            .values(items.map((item, i) => legacyRow(corpId, { ...item, order: i + 1 }, now())))
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
      const { inserted } = await recordEvent(db, {
        corpId,
        source: f.InfoType ? 'suite' : corpId === scope.corpId ? 'app' : 'suite-data',
        message: f,
        plaintext: '',
        dedupKey: `legacy:${createHash('sha256')
          .update(`${corpId}\n${e.at}\n${JSON.stringify(f)}`)
          .digest('hex')}`,
        now: e.at,
      });
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
