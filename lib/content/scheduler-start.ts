import 'server-only';
import { getConfig } from '../config';
import { logger } from '../ops/log';
import { countSchedulerJob } from '../ops/metrics';
import { onShutdown } from '../ops/shutdown';
import { getDb } from '../db';
import { getStore } from '../store';
import { getWecomFor } from '../wecom/tenant';
import { startScheduler, type RunningScheduler } from './scheduler';

const holder = globalThis as typeof globalThis & { __wecomScheduler?: RunningScheduler };

/** Every server instance runs the scheduler; the claims in the database keep each message to one submission. */
export async function startSchedulerAtStart(): Promise<void> {
  if (holder.__wecomScheduler) return;
  const config = getConfig();
  const db = await getDb();
  holder.__wecomScheduler = startScheduler({
    db,
    store: getStore(),
    clientFor: (corpId) => getWecomFor(corpId),
    missedAfterMs: config.scheduleMissedAfterMs,
    dataDir: config.dataDir,
    log: (line) => logger().warn(line),
    count: countSchedulerJob,
  });
  // SIGTERM (the production server): stop claiming right away; the pass in progress finishes.
  onShutdown('scheduler', 'stop', stopScheduler);
}

/** Graceful shutdown: stop claiming and let the pass in progress finish. */
export async function stopScheduler(): Promise<void> {
  const running = holder.__wecomScheduler;
  holder.__wecomScheduler = undefined;
  await running?.stop();
}
