import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  sql,
  SqliteAdapter,
  SqliteDialect,
  type DatabaseConnection,
  type DialectAdapter,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

/**
 * Opening the database named by DATABASE_URL. Kysely was chosen because one typed query, written once, runs on
 * both SQLite (better-sqlite3, the embedded default) and PostgreSQL (`pg`, for several hosts), it builds every
 * statement with bound parameters, and it needs no code generation step or schema DSL beside the migrations.
 */

export type Db = Kysely<Database>;
/** Any database, whatever tables it has (migrations and the migrator work below the typed schema). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
export type DbKind = 'sqlite' | 'postgres';

export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string };

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/** `sqlite:<path>` (relative to the working directory; `sqlite::memory:` for a private in-memory database) or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (trimmed.startsWith('sqlite:')) {
    const file = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file)
      throw new DatabaseUrlError(
        'DATABASE_URL sqlite: 需要文件路径 / needs a file path, e.g. sqlite:.data/app.db',
      );
    return { kind: 'sqlite', file };
  }
  if (trimmed.startsWith('postgres://') || trimmed.startsWith('postgresql://')) {
    return { kind: 'postgres', connectionString: trimmed };
  }
  throw new DatabaseUrlError(
    'DATABASE_URL 无法识别，可用 sqlite:<文件路径> 或 postgres://user:pass@host:5432/db / ' +
      'Unrecognised DATABASE_URL; use sqlite:<path> or postgres://user:pass@host:5432/db',
  );
}

/**
 * SQLite has one connection per process, but several processes may share the file. Migrations take SQLite's
 * write lock (BEGIN IMMEDIATE) for their whole run, so two processes starting together migrate once: the
 * second waits (busy_timeout), then finds nothing left to do.
 */
class SqliteMigrationLockAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: AnyDb): Promise<void> {
    await sql`begin immediate`.execute(db);
  }
  override async releaseMigrationLock(db: AnyDb): Promise<void> {
    try {
      await sql`commit`.execute(db);
    } catch {
      await sql`rollback`.execute(db).catch(() => undefined);
    }
  }
}

class AppSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new SqliteMigrationLockAdapter();
  }
}

function openSqliteFile(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  // WAL lets readers run beside the one writer; switching a new file to WAL can answer SQLITE_BUSY at once when
  // another process opens it at that moment, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 20);
    }
  }
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

// int8 (bigint, count(*)) arrives from pg as a string; our bigints are epoch milliseconds and counts, far below 2^53.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface OpenDbOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** Opens (without migrating) the database at `url`. Close it with `db.destroy()`. */
export function openDb(url: string, options: OpenDbOptions = {}): Db {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    return new Kysely<Database>({
      dialect: new AppSqliteDialect({ database: openSqliteFile(target.file) }),
    });
  }
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    types: pgTypes,
  });
  // An idle client losing its connection (database restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Which SQL dialect a Kysely instance speaks (migrations use it where SQLite and PostgreSQL differ). */
export function dbKind(db: AnyDb): DbKind {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error('unsupported database dialect');
}

export type { DatabaseConnection };
