import 'server-only';
import { getConfig } from '../config';
import { HttpError } from '../http';
import { onShutdown } from '../ops/shutdown';
import { MemoryStore } from './memory';
import { RedisStore } from './redis';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export type { Store } from './types';

export interface CreateStoreOptions {
  /** Clock for TTLs and lock expiry (memory and SQLite; Redis keeps its own time). */
  now?: () => number;
  /** Redis only: prefix for every key. */
  keyPrefix?: string;
}

/**
 * Opens a store from a URL: `memory:`, `sqlite:<path>` (relative paths are from the working directory) or
 * `redis://[:password@]host:port/db` (`rediss://` for TLS).
 */
export function createStore(url: string, options: CreateStoreOptions = {}): Store {
  const trimmed = url.trim();
  if (trimmed === 'memory:' || trimmed === 'memory') return new MemoryStore(options.now);
  if (trimmed.startsWith('sqlite:')) {
    const file = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file)
      throw new Error('STORE_URL sqlite: 需要文件路径 / needs a file path, e.g. sqlite:.data/wecom.db');
    return new SqliteStore(file, options.now);
  }
  if (trimmed.startsWith('redis://') || trimmed.startsWith('rediss://')) {
    return new RedisStore(trimmed, { keyPrefix: options.keyPrefix });
  }
  throw new Error(
    'STORE_URL 无法识别，可用 memory:、sqlite:<文件路径> 或 redis://host:6379/0 / ' +
      'Unrecognised STORE_URL; use memory:, sqlite:<path> or redis://host:6379/0',
  );
}

/** The store could not be reached (Redis down, SQLite file unwritable): a 503 that says so, never a stack trace. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';

  toPublic(): HttpError {
    return new HttpError(503, 'store_unavailable', {
      zh: '数据存储暂时不可用（STORE_URL），请稍后重试；管理员可运行 npm run doctor 检查',
      en: 'The data store (STORE_URL) is unavailable; try again shortly. Admins can run npm run doctor to check it',
    });
  }
}

/** Wraps a driver so that its failures surface as StoreUnavailableError (the cause is kept for logs). */
export function guardStore(store: Store): Store {
  const guard =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        throw new StoreUnavailableError(`${store.kind} store ${op} failed`, { cause: err });
      }
    };
  return {
    kind: store.kind,
    durable: store.durable,
    get: guard('get', (key) => store.get(key)),
    set: guard('set', (key, value, ttlMs) => store.set(key, value, ttlMs)),
    delete: guard('delete', (key) => store.delete(key)),
    tryLock: guard('lock', (key, ttlMs) => store.tryLock(key, ttlMs)),
    increment: guard('increment', (key, ttlMs) => store.increment(key, ttlMs)),
    close: () => store.close(),
  };
}

const globalStore = globalThis as typeof globalThis & { __wecomStore?: Store };

/** The store of this process, opened once from STORE_URL (kept across dev-server reloads). */
export function getStore(): Store {
  if (!globalStore.__wecomStore) {
    const store = guardStore(createStore(getConfig().storeUrl));
    globalStore.__wecomStore = store;
    onShutdown('store', 'close', () => store.close());
  }
  return globalStore.__wecomStore;
}
