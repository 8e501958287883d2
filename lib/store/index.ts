import 'server-only';
import { getConfig } from '../config';
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

const globalStore = globalThis as typeof globalThis & { __wecomStore?: Store };

/** The store of this process, opened once from STORE_URL (kept across dev-server reloads). */
export function getStore(): Store {
  globalStore.__wecomStore ??= createStore(getConfig().storeUrl);
  return globalStore.__wecomStore;
}
