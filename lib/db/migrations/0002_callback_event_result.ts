import type { Kysely } from 'kysely';

/** What the work after an event's acknowledgement obtained (e.g. the permanent code's answer), kept before it is applied. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('callback_events').addColumn('result', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('callback_events').dropColumn('result').execute();
}
