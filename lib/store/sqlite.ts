import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from './types';

/**
 * A durable store in one SQLite file. WAL lets readers run beside the writer, busy_timeout makes concurrent
 * writers from several processes on this host wait instead of failing, and locks are rows with an expiry so a
 * crashed holder never blocks the others for longer than its ttl.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly durable = true;
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<SqliteStore['prepare']>;
  private writes = 0;

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { timeout: 5000 });
    this.enableWal();
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS locks (
        key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
    this.stmts = this.prepare();
  }

  /**
   * Switching a new file to WAL answers SQLITE_BUSY at once, without waiting for busy_timeout, when other processes
   * open the same file at that moment (several instances starting together); retry briefly.
   */
  private enableWal(): void {
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.pragma('journal_mode = WAL');
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 20);
      }
    }
  }

  private prepare() {
    return {
      get: this.db.prepare<[string, number], { value: string }>(
        'SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
      ),
      set: this.db.prepare<[string, string, number | null]>(
        'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      ),
      delete: this.db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
      // Takes the lock when it is free or its holder's ttl has run out; one statement, so it is atomic.
      lock: this.db.prepare<[string, string, number, number]>(
        'INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at ' +
          'WHERE locks.expires_at <= ?',
      ),
      // A live counter goes up by one; a missing or expired one starts again at 1 with a new expiry.
      increment: this.db.prepare<[{ key: string; expiresAt: number; now: number }], { value: string }>(
        "INSERT INTO kv (key, value, expires_at) VALUES (@key, '1', @expiresAt) " +
          'ON CONFLICT(key) DO UPDATE SET ' +
          "value = CASE WHEN kv.expires_at IS NOT NULL AND kv.expires_at <= @now THEN '1' " +
          'ELSE CAST(CAST(kv.value AS INTEGER) + 1 AS TEXT) END, ' +
          'expires_at = CASE WHEN kv.expires_at IS NOT NULL AND kv.expires_at <= @now THEN excluded.expires_at ' +
          'ELSE kv.expires_at END ' +
          'RETURNING value',
      ),
      unlock: this.db.prepare<[string, string]>('DELETE FROM locks WHERE key = ? AND owner = ?'),
      purge: this.db.prepare<[number]>('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      purgeLocks: this.db.prepare<[number]>('DELETE FROM locks WHERE expires_at <= ?'),
    };
  }

  async get(key: string): Promise<string | null> {
    return this.stmts.get.get(key, this.now())?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const now = this.now();
    this.stmts.set.run(key, value, ttlMs === undefined ? null : now + Math.max(1, ttlMs));
    // Expired rows are invisible to get(); sweep them now and then so the file does not grow forever.
    if (++this.writes % 500 === 0) {
      this.stmts.purge.run(now);
      this.stmts.purgeLocks.run(now);
    }
  }

  async delete(key: string): Promise<void> {
    this.stmts.delete.run(key);
  }

  async tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const owner = randomUUID();
    const now = this.now();
    const { changes } = this.stmts.lock.run(key, owner, now + Math.max(1, ttlMs), now);
    if (changes !== 1) return null;
    return async () => {
      this.stmts.unlock.run(key, owner);
    };
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const now = this.now();
    const row = this.stmts.increment.get({ key, expiresAt: now + Math.max(1, ttlMs), now });
    return Number(row?.value ?? 1);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
