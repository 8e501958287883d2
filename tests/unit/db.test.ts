import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb, parseDatabaseUrl, type Db } from '@/lib/db/connect';
import { MIGRATION_NAMES, migrateToLatest, pendingMigrations } from '@/lib/db/migrate';
import { prepareSchema, SchemaBehindError } from '@/lib/db';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

const kinds = await databaseKinds();

/** `npm run db:migrate` as its own process. */
function runMigrate(url: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/db-migrate.ts'],
      { env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
    );
  });
}
const open: TestDatabase[] = [];
const extra: Db[] = [];
afterAll(async () => {
  await Promise.all(extra.map((d) => d.destroy().catch(() => undefined)));
  await Promise.all(open.map((d) => d.drop()));
});
async function fresh(kind: (typeof kinds)[number], migrate = true) {
  const t = await createTestDatabase(kind, { migrate });
  open.push(t);
  return t;
}
const connect = (url: string) => {
  const db = openDb(url);
  extra.push(db);
  return db;
};

describe('DATABASE_URL', () => {
  it('accepts sqlite: paths and postgres:// URLs and names both forms when it refuses one', () => {
    expect(parseDatabaseUrl('sqlite:.data/app.db')).toEqual({ kind: 'sqlite', file: '.data/app.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/app.db')).toEqual({ kind: 'sqlite', file: '/var/lib/app.db' });
    expect(parseDatabaseUrl('postgres://u:p@db:5432/app')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@db:5432/app',
    });
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/sqlite:.*postgres:\/\//);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/file path/);
  });
});

describe.each(kinds)('data layer contract on %s', (kind) => {
  it('migrates a new database to the latest version, and a second run changes nothing', async () => {
    const t = await fresh(kind, false);
    expect(await pendingMigrations(t.db)).toEqual(MIGRATION_NAMES);
    expect(await migrateToLatest(t.db)).toEqual(MIGRATION_NAMES);
    expect(await pendingMigrations(t.db)).toEqual([]);
    expect(await migrateToLatest(t.db)).toEqual([]);
    const tables = (await t.db.introspection.getTables()).map((x) => x.name);
    expect(tables).toEqual(expect.arrayContaining(['quick_replies', 'suite_corps', 'callback_events']));
  });

  it('lets two processes that start together migrate the same new database once (npm run db:migrate)', async () => {
    const t = await fresh(kind, false);
    const outputs = await Promise.all([runMigrate(t.url), runMigrate(t.url)]);
    expect(outputs.map((o) => o.code)).toEqual([0, 0]);
    const applied = outputs.filter((o) => /applied/.test(o.stdout));
    expect(applied).toHaveLength(1);
    expect(applied[0]!.stdout).toContain(MIGRATION_NAMES.join(', '));
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('refuses to start live mode on a schema that is behind, naming npm run db:migrate; demo mode migrates', async () => {
    const t = await fresh(kind, false);
    const err = await prepareSchema(t.db, 'live').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaBehindError);
    expect((err as Error).message).toContain('npm run db:migrate');
    expect((err as SchemaBehindError).pending).toEqual(MIGRATION_NAMES);
    await prepareSchema(t.db, 'demo');
    await expect(prepareSchema(t.db, 'live')).resolves.toBeUndefined();
  });

  it('reads back what it wrote with the same types on both drivers (bigint as number, null as null)', async () => {
    const t = await fresh(kind);
    const at = 1_764_000_000_123;
    const inserted = await t.db
      .insertInto('callback_events')
      .values({
        corp_id: 'wwcorp',
        source: 'app',
        event_type: 'change_external_contact',
        change_type: 'add_external_contact',
        external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAA',
        userid: 'zhangsan',
        chat_id: null,
        tag_id: null,
        payload: JSON.stringify({ Event: 'change_external_contact' }),
        dedup_key: 'k1',
        received_at: at,
        processed_at: null,
        attempts: 0,
        last_error: null,
        locked_until: null,
        result: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(typeof inserted.id).toBe('number');
    const row = await t.db
      .selectFrom('callback_events')
      .selectAll()
      .where('id', '=', inserted.id)
      .executeTakeFirstOrThrow();
    expect(row.received_at).toBe(at);
    expect(row.chat_id).toBeNull();
    expect(row.external_userid).toBe('woAJ2GCAAAXtWyujaWJHDDGi0mACAAA');
    const { n } = await t.db
      .selectFrom('callback_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBe(1);
  });

  it('stores a row with a taken unique key once (insert … on conflict do nothing)', async () => {
    const t = await fresh(kind);
    const row = {
      corp_id: 'wwcorp',
      source: 'app',
      event_type: 'change_external_chat',
      change_type: 'create',
      external_userid: null,
      userid: null,
      chat_id: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
      tag_id: null,
      payload: '{}',
      dedup_key: 'same',
      received_at: 1,
      processed_at: null,
      attempts: 0,
      last_error: null,
      locked_until: null,
      result: null,
    };
    const first = await t.db
      .insertInto('callback_events')
      .values(row)
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returning('id')
      .execute();
    const second = await t.db
      .insertInto('callback_events')
      .values(row)
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returning('id')
      .execute();
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
    await expect(t.db.insertInto('callback_events').values(row).execute()).rejects.toThrow();
  });

  it('rolls a failed transaction back entirely', async () => {
    const t = await fresh(kind);
    const reply = (id: string) => ({
      corp_id: 'wwcorp',
      id,
      kind: 'text' as const,
      title: 't',
      body: '{"text":"x"}',
      scope: '{"type":"all"}',
      position: 1,
      created_at: 1,
      updated_at: 1,
    });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('quick_replies').values(reply('a')).execute();
        await trx.insertInto('quick_replies').values(reply('a')).execute();
      }),
    ).rejects.toThrow();
    expect(await t.db.selectFrom('quick_replies').selectAll().execute()).toEqual([]);
  });

  it('shows what one connection wrote to another connection (another process) at once', async () => {
    const t = await fresh(kind);
    const other = connect(t.url);
    await t.db
      .insertInto('suite_tickets')
      .values({ suite_id: 's', ticket: 'T1', timestamp: 10, received_at: 20 })
      .execute();
    const seen = await other.selectFrom('suite_tickets').select(['ticket', 'timestamp']).executeTakeFirst();
    expect(seen).toEqual({ ticket: 'T1', timestamp: 10 });
    const r = await sql<{ v: number }>`select 1 as v`.execute(other);
    expect(Number(r.rows[0]?.v)).toBe(1);
  });
});
