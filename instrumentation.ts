/** Runs once when a server process starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { prepareDatabaseAtStart } = await import('./lib/db/startup');
  await prepareDatabaseAtStart();
  const { startSchedulerAtStart } = await import('./lib/content/scheduler-start');
  await startSchedulerAtStart().catch((err: unknown) => {
    console.error(`[scheduler] not started: ${err instanceof Error ? err.message : String(err)}`);
  });
}
