import type { Kysely } from 'kysely';
import { dbKind } from '../connect';

/** Content library media and scheduled messages. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('media')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('data', dbKind(db) === 'postgres' ? 'bytea' : 'blob')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_pk', ['corp_id', 'id'])
    .execute();

  await db.schema
    .createTable('scheduled_messages')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('external_user_id', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('audience', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('msgid', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'bigint')
    .addColumn('submitted_at', 'bigint')
    .addColumn('result', 'text')
    .addColumn('checked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scheduled_messages_pk', ['corp_id', 'id'])
    .execute();
  await db.schema
    .createIndex('scheduled_messages_due')
    .on('scheduled_messages')
    .columns(['state', 'due_at'])
    .execute();
  await db.schema
    .createIndex('scheduled_messages_creator')
    .on('scheduled_messages')
    .columns(['corp_id', 'created_by', 'due_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_messages').ifExists().execute();
  await db.schema.dropTable('media').ifExists().execute();
}
