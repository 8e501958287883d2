import { Migrator, type MigrationResult } from 'kysely';
import type { AnyDb } from './connect';
import { migrations } from './migrations';

/** Versioned migrations (lib/db/migrations/NNNN_name.ts), applied in name order, each once. */
function migrator(db: AnyDb): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Features number their migrations in separate ranges and land in any order.
    allowUnorderedMigrations: true,
  });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies every migration not applied yet; idempotent. Returns the names it applied. */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      `数据库迁移失败${failed ? `（${failed}）` : ''} / Database migration failed${failed ? ` (${failed})` : ''}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this code has that the database has not applied yet. */
export async function pendingMigrations(db: AnyDb): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export const MIGRATION_NAMES = Object.keys(migrations).sort();
