import 'server-only';

/**
 * Shutdown hooks, run by the production server (scripts/server.mjs) on SIGTERM:
 * - `stop` right away, after the server stops accepting connections: stop starting new work (e.g. a scheduler
 *   stops claiming jobs). Requests in flight are still being answered.
 * - `close` after the requests in flight finished (or SHUTDOWN_TIMEOUT_MS passed): release locks, close
 *   connections to the store and the database.
 * Hooks of one phase run one after another in registration order; a failing hook is logged and skipped.
 */
export type ShutdownPhase = 'stop' | 'close';

interface Registry {
  stopping: boolean;
  hooks: { name: string; phase: ShutdownPhase; fn: () => unknown }[];
}

const KEY = Symbol.for('wecom-sidebar.shutdown');

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  holder[KEY] ??= { stopping: false, hooks: [] };
  return holder[KEY];
}

/** Registers a hook once per name (module reloads in development register again without duplicates). */
export function onShutdown(name: string, phase: ShutdownPhase, fn: () => unknown): void {
  const hooks = registry().hooks;
  const existing = hooks.findIndex((h) => h.name === name);
  if (existing >= 0) hooks.splice(existing, 1);
  hooks.push({ name, phase, fn });
}

/** True once SIGTERM arrived: readiness answers 503 and schedulers stop claiming work. */
export function isShuttingDown(): boolean {
  return registry().stopping;
}
