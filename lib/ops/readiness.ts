import 'server-only';
import { sql } from 'kysely';
import { getDb, pendingMigrations, SchemaBehindError } from '../db';
import { getStore } from '../store';
import { getTenancy } from '../wecom/tenant';
import { isShuttingDown } from './shutdown';

/** The parts that must work before this instance takes traffic. Names only; never a configuration value. */
export type ReadinessPart = 'shutdown' | 'store' | 'database' | 'schema' | 'wecom';

export interface Readiness {
  ready: boolean;
  checks: Partial<Record<ReadinessPart, 'ok' | 'failed'>>;
  failing: ReadinessPart[];
}

const CHECK_TIMEOUT_MS = 3000;

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** WeCom credentials usable: a self-built app's access token (from the cache, or fetched once); a suite's ticket. */
async function wecomUsable(): Promise<void> {
  await getTenancy().credentialsUsable();
}

/** The database answers a query, and no migration of this code is pending. */
async function databaseChecks(checks: Readiness['checks']): Promise<void> {
  try {
    const db = await within(CHECK_TIMEOUT_MS, getDb());
    await within(CHECK_TIMEOUT_MS, sql`select 1`.execute(db));
    checks.database = 'ok';
    checks.schema = (await within(CHECK_TIMEOUT_MS, pendingMigrations(db))).length === 0 ? 'ok' : 'failed';
  } catch (err) {
    // getDb() refuses a live database whose schema is behind: it answers, its schema is not current.
    checks.database = err instanceof SchemaBehindError ? 'ok' : 'failed';
    checks.schema = 'failed';
  }
}

export async function readiness(): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  if (isShuttingDown()) {
    checks.shutdown = 'failed';
    return { ready: false, checks, failing: ['shutdown'] };
  }
  await Promise.all([
    within(CHECK_TIMEOUT_MS, getStore().get('wecom:ready:probe')).then(
      () => (checks.store = 'ok'),
      () => (checks.store = 'failed'),
    ),
    databaseChecks(checks),
  ]);
  // Credentials come from the store: check them only when it answers.
  checks.wecom =
    checks.store === 'ok'
      ? await within(CHECK_TIMEOUT_MS, wecomUsable()).then(
          () => 'ok' as const,
          () => 'failed' as const,
        )
      : 'failed';
  const failing = (Object.keys(checks) as ReadinessPart[]).filter((p) => checks[p] === 'failed');
  return { ready: failing.length === 0, checks, failing };
}
