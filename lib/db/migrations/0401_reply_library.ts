import type { Kysely } from 'kysely';
import { ReplyBodySchema, searchTextOf } from '../../content/body';

/**
 * The reply library: categories, personal replies, favourites, usage and search. Existing quick replies stay
 * corp replies without a category; their search text is filled in from their title and body.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('quick_replies').addColumn('owner_id', 'text').execute();
  await db.schema.alterTable('quick_replies').addColumn('category_id', 'text').execute();
  await db.schema
    .alterTable('quick_replies')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('quick_replies')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('quick_replies').addColumn('last_used_at', 'bigint').execute();
  await db.schema
    .createIndex('quick_replies_corp_owner')
    .on('quick_replies')
    .columns(['corp_id', 'owner_id', 'position'])
    .execute();

  const rows: { corp_id: string; id: string; kind: string; title: string; body: string }[] = await db
    .selectFrom('quick_replies')
    .select(['corp_id', 'id', 'kind', 'title', 'body'])
    .execute();
  for (const row of rows) {
    let body: unknown = null;
    try {
      body = { kind: row.kind, ...JSON.parse(row.body) };
    } catch {
      body = null;
    }
    const parsed = ReplyBodySchema.safeParse(body);
    const text = parsed.success ? searchTextOf(row.title, parsed.data) : row.title.toLowerCase();
    await db
      .updateTable('quick_replies')
      .set({ search_text: text })
      .where('corp_id', '=', row.corp_id)
      .where('id', '=', row.id)
      .execute();
  }

  await db.schema
    .createTable('reply_categories')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reply_categories_pk', ['corp_id', 'id'])
    .execute();

  await db.schema
    .createTable('quick_reply_favourites')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('quick_reply_favourites_pk', ['corp_id', 'user_id', 'reply_id'])
    .execute();

  await db.schema
    .createTable('quick_reply_uses')
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('send_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('quick_reply_uses_pk', ['corp_id', 'reply_id', 'send_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quick_reply_uses').ifExists().execute();
  await db.schema.dropTable('quick_reply_favourites').ifExists().execute();
  await db.schema.dropTable('reply_categories').ifExists().execute();
  await db.schema.dropIndex('quick_replies_corp_owner').ifExists().execute();
  for (const column of ['last_used_at', 'use_count', 'search_text', 'category_id', 'owner_id']) {
    await db.schema.alterTable('quick_replies').dropColumn(column).execute();
  }
}
