import type { Kysely } from 'kysely';
import { dbKind } from '../connect';

/** Knowledge base: documents, passages (with index terms), per-corp version and synonyms, assistant questions. */

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dbKind(db) === 'postgres';
  const id = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    t.addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    );

  await id(db.schema.createTable('kb_documents'))
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('passage_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_documents_corp').on('kb_documents').columns(['corp_id', 'id']).execute();

  await id(db.schema.createTable('kb_passages'))
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'bigint', (c) => c.notNull().references('kb_documents.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('question', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('heading_terms', 'text', (c) => c.notNull())
    .addColumn('question_terms', 'text', (c) => c.notNull())
    .addColumn('text_terms', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kb_passages_document')
    .on('kb_passages')
    .columns(['corp_id', 'document_id', 'position'])
    .execute();

  await db.schema
    .createTable('kb_state')
    .addColumn('corp_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('synonyms', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('kb_queries'))
    .addColumn('corp_id', 'text', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answerable', 'integer', (c) => c.notNull())
    .addColumn('top_passage_id', 'bigint')
    .addColumn('feedback', 'integer')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kb_queries_member')
    .on('kb_queries')
    .columns(['corp_id', 'userid', 'created_at'])
    .execute();
  await db.schema
    .createIndex('kb_queries_corp')
    .on('kb_queries')
    .columns(['corp_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['kb_queries', 'kb_state', 'kb_passages', 'kb_documents'])
    await db.schema.dropTable(t).execute();
}
