import 'server-only';
import { getConfig, type AppConfig, type AppMode } from '../config';
import { HttpError } from '../http';
import { tenancyProfile } from '../wecom/tenancy-profile';
import { openDb, type Db } from './connect';
import { migrateToLatest, pendingMigrations } from './migrate';

export { dbKind, openDb, parseDatabaseUrl, type Db, type DbKind } from './connect';
export { migrateToLatest, pendingMigrations } from './migrate';
export type { Database } from './schema';

/** Live mode found migrations the database has not applied: the operator must run `npm run db:migrate`. */
export class SchemaBehindError extends Error {
  override name = 'SchemaBehindError';
  constructor(readonly pending: string[]) {
    super(
      `数据库结构版本落后（待执行迁移：${pending.join(', ')}），请先运行 npm run db:migrate 再启动 / ` +
        `The database schema is behind (pending migrations: ${pending.join(', ')}); run \`npm run db:migrate\` before starting`,
    );
  }
  toPublic(): HttpError {
    return new HttpError(503, 'database_schema_behind', {
      zh: '数据库结构版本落后，管理员需运行 npm run db:migrate',
      en: 'The database schema is behind; an administrator must run npm run db:migrate',
    });
  }
}

/** The database could not be reached or opened (DATABASE_URL): a 503 that says so, never a stack trace. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  toPublic(): HttpError {
    return new HttpError(503, 'database_unavailable', {
      zh: '数据库暂时不可用，请稍后重试；管理员请检查 DATABASE_URL 指向的数据库是否可连接',
      en: 'The database is unavailable; try again shortly. Admins: check that the database DATABASE_URL names is reachable',
    });
  }
}

/**
 * Brings a database's schema to where this code needs it: demo mode migrates by itself; live mode only checks,
 * because several hosts should not race to change a production schema (`npm run db:migrate` does that).
 */
export async function prepareSchema(db: Db, mode: AppMode): Promise<void> {
  if (mode === 'demo') {
    await migrateToLatest(db);
    return;
  }
  const pending = await pendingMigrations(db);
  if (pending.length > 0) throw new SchemaBehindError(pending);
}

const globalDb = globalThis as typeof globalThis & { __wecomDb?: Promise<Db> };

/**
 * The database of this process, opened once from DATABASE_URL and ready to use (kept across dev-server reloads).
 * Library functions take a `db` in their deps for tests and fall back to this.
 */
export function getDb(): Promise<Db> {
  globalDb.__wecomDb ??= (async () => {
    const config = getConfig();
    const db = openDb(config.databaseUrl);
    try {
      await prepareSchema(db, config.mode);
    } catch (err) {
      await db.destroy().catch(() => undefined);
      if (err instanceof SchemaBehindError) throw err;
      throw new DatabaseUnavailableError(`database at DATABASE_URL could not be prepared`, { cause: err });
    }
    await importLegacyOnce(db, config);
    return db;
  })().catch((err: unknown) => {
    globalDb.__wecomDb = undefined;
    throw err;
  });
  return globalDb.__wecomDb;
}

/** Copies durable data that older versions kept in STORE_URL, once per database; a failure is retried next start. */
async function importLegacyOnce(db: Db, config: AppConfig): Promise<void> {
  try {
    const { importLegacyStore } = await import('./legacy-import');
    const { getStore } = await import('../store');
    const result = await importLegacyStore(db, getStore(), tenancyProfile(config).legacyScope);
    if (result.corps + result.quickReplyCorps + result.events > 0) {
      console.warn(
        `[db] copied from STORE_URL: ${result.corps} corps, quick replies of ${result.quickReplyCorps} corps, ${result.events} events`,
      );
    }
  } catch (err) {
    console.error(
      `[db] copying data from STORE_URL failed; retried at the next start: ${err instanceof Error ? err.message : ''}`,
    );
  }
}

/** Closes the process's database (graceful shutdown, tests). */
export async function closeDb(): Promise<void> {
  const pending = globalDb.__wecomDb;
  globalDb.__wecomDb = undefined;
  if (pending) await (await pending.catch(() => null))?.destroy();
}
