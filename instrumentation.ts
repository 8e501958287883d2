/**
 * Runs once when a server process starts: a configuration error stops it at start-up (not at the first request),
 * then the database is prepared.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startUp } = await import('./lib/ops/startup');
  startUp();
  const { prepareDatabaseAtStart } = await import('./lib/db/startup');
  await prepareDatabaseAtStart();
  const { startSchedulerAtStart } = await import('./lib/content/scheduler-start');
  await startSchedulerAtStart().catch((err: unknown) => {
    console.error(`[scheduler] not started: ${err instanceof Error ? err.message : String(err)}`);
  });
}
