/**
 * `npm run db:migrate`: applies the database migrations this code has and the database (DATABASE_URL, default
 * sqlite:.data/app.db) has not; running it again changes nothing. Reads .env.local like the app; environment
 * variables win. Live mode refuses to start until this has run; demo mode runs it by itself.
 */
import { databaseUrlFromEnv } from '../lib/config';
import { openDb, parseDatabaseUrl } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import { loadEnv } from './env';

function describe(url: string): string {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') return `sqlite ${target.file}`;
  const u = new URL(target.connectionString);
  return `postgres ${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

async function main(): Promise<number> {
  const { env } = loadEnv();
  const url = databaseUrlFromEnv(env);
  const db = openDb(url, { poolSize: 1 });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length === 0) console.log(`数据库已是最新 / database is up to date (${describe(url)})`);
    else console.log(`已执行迁移 / applied (${describe(url)}): ${applied.join(', ')}`);
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

process.exitCode = await main();
