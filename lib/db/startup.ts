import 'server-only';
import { ConfigError, getConfig } from '../config';
import { getDb, SchemaBehindError } from './index';

/**
 * Server start (instrumentation.ts): demo mode migrates the database now rather than on the first request;
 * live mode stops with a message naming `npm run db:migrate` when the schema is behind this code.
 */
export async function prepareDatabaseAtStart(): Promise<void> {
  try {
    getConfig();
  } catch (err) {
    if (err instanceof ConfigError) return; // reported to the operator where configuration errors always are
    throw err;
  }
  try {
    await getDb();
    // Work a previous process left unfinished (third-party mode: installs interrupted by a crash or restart).
    const { getTenancy } = await import('../wecom/tenant');
    void getTenancy()
      .afterStart()
      .catch(() => undefined);
  } catch (err) {
    if (err instanceof SchemaBehindError) {
      console.error(`[db] ${err.message}`);
      process.exit(1);
    }
    // Unreachable now may be reachable in a moment: requests answer 503 until it is.
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    console.error(`[db] 数据库暂时不可用 / database unavailable (DATABASE_URL)${cause}`);
  }
}
