import 'server-only';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Store } from './types';

// Deletes the lock only if we still own it, so a holder whose ttl ran out never frees someone else's lock.
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

// INCR, and a fresh counter (1) gets its expiry: one script, so no counter is ever left without one.
const INCREMENT_SCRIPT = `local v = redis.call('incr', KEYS[1]) if v == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return v`;

export interface RedisStoreOptions {
  /** Prepended to every key, e.g. to share one Redis database between deployments (or test runs). */
  keyPrefix?: string;
}

/** Shared by every app instance on every host; keys expire in Redis itself (SET PX). */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly durable = true;
  private readonly redis: Redis;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.redis = new Redis(url, {
      keyPrefix: options.keyPrefix,
      maxRetriesPerRequest: 2,
      connectTimeout: 5000,
      enableAutoPipelining: true,
      lazyConnect: false,
    });
    // Without a listener ioredis prints every reconnect error; commands still fail with a clear error.
    this.redis.on('error', () => {});
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const lockKey = `lock:${key}`;
    const owner = randomUUID();
    const ok = await this.redis.set(lockKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (ok !== 'OK') return null;
    return async () => {
      await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, owner);
    };
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    return Number(await this.redis.eval(INCREMENT_SCRIPT, 1, key, Math.max(1, Math.ceil(ttlMs))));
  }

  /** Round trip to check the connection (used by the admin checks and tests). */
  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
