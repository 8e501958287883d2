import { HttpError } from '../http';
import type { Store } from './types';

/**
 * The one lock-and-wait helper over the store's lock (memory, SQLite or Redis): take the lock, run, release.
 * When someone else holds it, poll until it is free or `waitMs` has passed; `whileWaiting` may end the wait early
 * with the other holder's result (e.g. the token it just fetched). The work never runs without the lock: after
 * the wait it fails with LockTimeoutError (a 503 that says to retry). Locks expire after `ttlMs`, so a crashed
 * holder blocks the others for at most that long; keep waitMs above ttlMs where that must not fail a caller.
 */

export interface LockOptions<T> {
  /** How long the lock lasts if its holder never releases it (crash). Default 10 s. */
  ttlMs?: number;
  /** How long to wait for it. Default 5 s. */
  waitMs?: number;
  /** Pause between attempts (jittered ±50 %). Default 50 ms. */
  pollMs?: number;
  /** Checked after each failed attempt: a value ends the wait with that value instead of running `fn`. */
  whileWaiting?: () => Promise<T | undefined>;
  sleep?: (ms: number) => Promise<void>;
}

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
  constructor(readonly key: string) {
    super(`lock ${key} was held by someone else for too long`);
  }
  toPublic(): HttpError {
    return new HttpError(503, 'busy', {
      zh: '同一数据正在被另一请求修改，请稍后重试',
      en: 'The same data is being changed by another request; try again shortly',
    });
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withLock<T>(
  store: Store,
  key: string,
  fn: () => Promise<T>,
  options: LockOptions<T> = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 10_000;
  const waitMs = options.waitMs ?? 5_000;
  const pollMs = options.pollMs ?? 50;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const release = await store.tryLock(key, ttlMs);
    if (release) {
      try {
        return await fn();
      } finally {
        await release().catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(key);
    await sleep(pollMs * (0.5 + Math.random()));
    const early = await options.whileWaiting?.();
    if (early !== undefined) return early;
  }
}
