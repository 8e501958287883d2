import type { Kysely } from 'kysely';

/** Knowledge base: an optional embedding per passage (base64 of float32, from LLM_EMBEDDING_MODEL). */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('kb_passages').addColumn('embedding', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('kb_passages').dropColumn('embedding').execute();
}
