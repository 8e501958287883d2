import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Store } from './types';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/** In-process store: fast and fine for tests and a single dev server, but nothing is shared or kept. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly durable = false;
  private readonly data = new Map<string, Entry>();
  private readonly locks = new Map<string, { owner: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | null> {
    const entry = this.data.get(key);
    if (!entry) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.data.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.data.set(key, { value, expiresAt: ttlMs === undefined ? null : this.now() + Math.max(1, ttlMs) });
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }

  async tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const held = this.locks.get(key);
    if (held && held.expiresAt > this.now()) return null;
    const owner = randomUUID();
    this.locks.set(key, { owner, expiresAt: this.now() + Math.max(1, ttlMs) });
    return async () => {
      if (this.locks.get(key)?.owner === owner) this.locks.delete(key);
    };
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    // No await before the write: concurrent callers in this process never read the same count.
    const entry = this.data.get(key);
    const live = entry && (entry.expiresAt === null || entry.expiresAt > this.now());
    const count = live ? (Number(entry.value) || 0) + 1 : 1;
    this.data.set(key, {
      value: String(count),
      expiresAt: live ? entry.expiresAt : this.now() + Math.max(1, ttlMs),
    });
    return count;
  }

  async close(): Promise<void> {
    this.data.clear();
    this.locks.clear();
  }
}
