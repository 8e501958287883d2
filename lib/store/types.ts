/** A small key-value store with TTL and a lock; the memory, SQLite and Redis drivers all implement it. */
export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  /** Whether data survives a restart of this process. */
  readonly durable: boolean;
  get(key: string): Promise<string | null>;
  /** ttlMs undefined = no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Try once to take an exclusive lock that expires by itself after ttlMs.
   * Returns a release function, or null when someone else holds it.
   */
  tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
  /**
   * Adds one to a counter and returns the new count, atomically for every instance. A new counter expires after
   * ttlMs; incrementing does not extend it (fixed windows, e.g. rate limits).
   */
  increment(key: string, ttlMs: number): Promise<number>;
  close(): Promise<void>;
}
