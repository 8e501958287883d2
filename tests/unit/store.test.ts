import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '@/lib/store';
import type { Store } from '@/lib/store/types';
import { REDIS_URL, mustRunRedis, uniquePrefix } from './fixtures/redis';

interface Driver {
  name: string;
  durable: boolean;
  /**
   * Milliseconds per tick of the TTL tests: fake clocks need 1; Redis keeps real time, so its ticks are long enough
   * that a loaded machine's scheduling delays stay well inside a window.
   */
  tick: number;
  /** A store plus a way to let time pass for its TTLs. */
  open(): { store: Store; peer: () => Store; advance: (ms: number) => Promise<void> };
}

function fakeClock() {
  let t = 1_700_000_000_000;
  return { now: () => t, advance: async (ms: number) => void (t += ms) };
}

const toClose: Store[] = [];
const track = (s: Store) => (toClose.push(s), s);
afterAll(async () => {
  await Promise.all(toClose.map((s) => s.close()));
});

const runRedis = await mustRunRedis();

const drivers: Driver[] = [
  {
    name: 'memory',
    durable: false,
    tick: 1,
    open() {
      const clock = fakeClock();
      const store = track(createStore('memory:', { now: clock.now }));
      // One process, one memory: the "peer" is the same store.
      return { store, peer: () => store, advance: clock.advance };
    },
  },
  {
    name: 'sqlite',
    durable: true,
    tick: 1,
    open() {
      const clock = fakeClock();
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'store-')), 'nested', 'wecom.db');
      const store = track(createStore(`sqlite:${file}`, { now: clock.now }));
      // A second connection to the same file behaves like another process on this host.
      return {
        store,
        peer: () => track(createStore(`sqlite:${file}`, { now: clock.now })),
        advance: clock.advance,
      };
    },
  },
  {
    name: 'redis',
    durable: true,
    tick: 20,
    open() {
      const keyPrefix = uniquePrefix('store');
      const store = track(createStore(REDIS_URL, { keyPrefix }));
      return {
        store,
        peer: () => track(createStore(REDIS_URL, { keyPrefix })),
        // Redis keeps its own clock: let real time pass, then make sure the expiry is visible.
        advance: (ms) => new Promise((r) => setTimeout(r, ms + 20)),
      };
    },
  },
];

for (const driver of drivers) {
  describe.runIf(driver.name !== 'redis' || runRedis)(`store contract: ${driver.name}`, () => {
    const t = driver.tick;
    it('reports its kind and durability', () => {
      const { store } = driver.open();
      expect(store.kind).toBe(driver.name);
      expect(store.durable).toBe(driver.durable);
    });

    it('gets, overwrites and deletes values (unicode safe)', async () => {
      const { store } = driver.open();
      expect(await store.get('a')).toBeNull();
      await store.set('a', '1');
      expect(await store.get('a')).toBe('1');
      await store.set('a', '星河科技 ✓ {"x":1}');
      expect(await store.get('a')).toBe('星河科技 ✓ {"x":1}');
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
      await store.delete('never-set');
    });

    it('expires values after their ttl and keeps values without ttl', async () => {
      const { store, advance } = driver.open();
      await store.set('short', 'x', 50 * t);
      await store.set('long', 'y', 60_000);
      await store.set('forever', 'z');
      expect(await store.get('short')).toBe('x');
      await advance(80 * t);
      expect(await store.get('short')).toBeNull();
      expect(await store.get('long')).toBe('y');
      expect(await store.get('forever')).toBe('z');
    });

    it('a new set replaces the ttl (set without ttl clears it)', async () => {
      const { store, advance } = driver.open();
      await store.set('k', 'a', 50 * t);
      await store.set('k', 'b');
      await advance(80 * t);
      expect(await store.get('k')).toBe('b');
    });

    it('counts atomically across connections, in a window that incrementing does not extend', async () => {
      const { store, peer, advance } = driver.open();
      const other = peer();
      const counts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).increment('hits', 100 * t)),
      );
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await advance(50 * t);
      expect(await store.increment('hits', 100 * t)).toBe(21);
      await advance(80 * t);
      expect(await other.increment('hits', 100 * t)).toBe(1);
    });

    it('shares values with another connection', async () => {
      const { store, peer } = driver.open();
      await store.set('shared', 'v', 60_000);
      expect(await peer().get('shared')).toBe('v');
    });

    it('gives a lock to exactly one of many concurrent callers', async () => {
      const { store, peer } = driver.open();
      const other = peer();
      const attempts = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).tryLock('L', 10_000)),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
    });

    it('frees the lock on release and lets another take it', async () => {
      const { store, peer } = driver.open();
      const release = await store.tryLock('L', 10_000);
      expect(release).toBeTypeOf('function');
      expect(await peer().tryLock('L', 10_000)).toBeNull();
      await release!();
      const again = await peer().tryLock('L', 10_000);
      expect(again).toBeTypeOf('function');
      await again!();
    });

    it('lets a lock expire, and a late release does not free the next holder', async () => {
      const { store, peer, advance } = driver.open();
      const stale = await store.tryLock('L', 50 * t);
      expect(stale).not.toBeNull();
      await advance(80 * t);
      const fresh = await peer().tryLock('L', 10_000);
      expect(fresh).not.toBeNull();
      await stale!();
      expect(await store.tryLock('L', 10_000)).toBeNull();
      await fresh!();
    });

    it('keeps locks and values apart', async () => {
      const { store } = driver.open();
      await store.set('same', 'value');
      const release = await store.tryLock('same', 10_000);
      expect(release).not.toBeNull();
      expect(await store.get('same')).toBe('value');
      await release!();
      expect(await store.get('same')).toBe('value');
    });
  });
}

describe('createStore', () => {
  it('rejects an unknown STORE_URL with a bilingual message', () => {
    expect(() => createStore('mongodb://x')).toThrow(/STORE_URL.*Unrecognised STORE_URL/);
    expect(() => createStore('sqlite:')).toThrow(/sqlite/);
  });
});

describe.runIf(runRedis)('redis reachability', () => {
  it(`answers at REDIS_URL (required when CI=true)`, async () => {
    const store = track(createStore(REDIS_URL, { keyPrefix: uniquePrefix('ping') })) as Store & {
      ping(): Promise<boolean>;
    };
    expect(await store.ping()).toBe(true);
  });
});
