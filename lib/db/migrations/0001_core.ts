import type { Kysely } from 'kysely';
import { dbKind } from '../connect';

/** Core data: quick replies, third-party suite (ticket, authorized corps), callback event log, legacy imports. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quick_replies')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('quick_replies_pk', ['corp_id', 'id'])
    .execute();
  await db.schema
    .createIndex('quick_replies_corp_position')
    .on('quick_replies')
    .columns(['corp_id', 'position'])
    .execute();

  await db.schema
    .createTable('quick_reply_lists')
    .addColumn('corp_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('suite_tickets')
    .addColumn('suite_id', 'text', (c) => c.primaryKey())
    .addColumn('ticket', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('suite_corps')
    .addColumn('suite_id', 'text', (c) => c.notNull())
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('corp_name', 'text', (c) => c.notNull())
    .addColumn('corp_full_name', 'text')
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('permanent_code', 'text', (c) => c.notNull())
    .addColumn('auth_user_id', 'text')
    .addColumn('auth_open_user_id', 'text')
    .addColumn('state', 'text')
    .addColumn('auth_info', 'text')
    .addColumn('installed_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('suite_corps_pk', ['suite_id', 'corp_id'])
    .execute();

  await db.schema
    .createTable('callback_events')
    .addColumn('id', dbKind(db) === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dbKind(db) === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text')
    .addColumn('external_userid', 'text')
    .addColumn('userid', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('tag_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('locked_until', 'bigint')
    .execute();
  await db.schema
    .createIndex('callback_events_corp_received')
    .on('callback_events')
    .columns(['corp_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('callback_events_corp_customer')
    .on('callback_events')
    .columns(['corp_id', 'external_userid', 'received_at'])
    .execute();
  await db.schema
    .createIndex('callback_events_corp_chat')
    .on('callback_events')
    .columns(['corp_id', 'chat_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('callback_events_pending')
    .on('callback_events')
    .columns(['processed_at', 'received_at'])
    .execute();

  await db.schema
    .createTable('legacy_imports')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('done_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'legacy_imports',
    'callback_events',
    'suite_corps',
    'suite_tickets',
    'quick_reply_lists',
    'quick_replies',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
