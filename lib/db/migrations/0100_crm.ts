import type { Kysely } from 'kysely';
import { dbKind } from '../connect';

/** CRM: follow-up notes, customer timeline, pipeline stages, customer ↔ group chat index. */

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dbKind(db) === 'postgres';
  await db.schema
    .createTable('crm_notes')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('author_userid', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('follow_up_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_notes_pk', ['corp_id', 'id'])
    .execute();
  await db.schema
    .createIndex('crm_notes_follow_ups')
    .on('crm_notes')
    .columns(['corp_id', 'author_userid', 'follow_up_at'])
    .execute();

  await db.schema
    .createTable('crm_timeline')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_userid', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('note_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text')
    .execute();
  await db.schema
    .createIndex('crm_timeline_customer')
    .on('crm_timeline')
    .columns(['corp_id', 'external_userid', 'at', 'id'])
    .execute();
  await db.schema
    .createIndex('crm_timeline_dedup')
    .on('crm_timeline')
    .columns(['corp_id', 'dedup_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('crm_timeline_note')
    .on('crm_timeline')
    .columns(['corp_id', 'note_id'])
    .execute();

  await db.schema
    .createTable('crm_pipelines')
    .addColumn('corp_id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('crm_stages')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_stages_pk', ['corp_id', 'tag_id'])
    .execute();

  await db.schema
    .createTable('crm_group_chats')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_group_chats_pk', ['corp_id', 'chat_id'])
    .execute();
  await db.schema
    .createIndex('crm_group_chats_owner')
    .on('crm_group_chats')
    .columns(['corp_id', 'owner'])
    .execute();
  await db.schema
    .createTable('crm_group_members')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('external_userid', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint')
    .addPrimaryKeyConstraint('crm_group_members_pk', ['corp_id', 'chat_id', 'external_userid'])
    .execute();
  await db.schema
    .createIndex('crm_group_members_customer')
    .on('crm_group_members')
    .columns(['corp_id', 'external_userid'])
    .execute();
  await db.schema
    .createTable('crm_group_syncs')
    .addColumn('corp_id', 'text', (c) => c.primaryKey())
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'crm_group_syncs',
    'crm_group_members',
    'crm_group_chats',
    'crm_stages',
    'crm_pipelines',
    'crm_timeline',
    'crm_notes',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
