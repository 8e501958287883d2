import 'server-only';
import { z } from 'zod';
import { readJson } from '../json';
import { withLock } from '../store/lock';
import { logger } from '../ops/log';
import { countCredential } from '../ops/metrics';
import type { Store } from '../store/types';
import type { CallOptions, CredentialProvider, RawRequest } from './client';
import { isWecomError, WecomError } from './errors';

export type CredentialKind = 'token' | 'corpTicket' | 'agentTicket';

export interface TokenManagerOptions {
  corpId: string;
  agentId: string;
  store: Store;
  credentials: CredentialProvider;
  /** Unauthenticated request (the provider uses it for gettoken and the like). */
  request: RawRequest;
  /** Authenticated call with token replay (used for the ticket endpoints). */
  call: (api: string, options?: CallOptions) => Promise<Record<string, unknown>>;
  now?: () => number;
  /** Refresh this long before expires_in runs out (default 5 min, at most half the lifetime). */
  safetyMarginMs?: number;
  /** Upper bound for how long one fetch may hold the cross-process lock (default 15 s). */
  lockTtlMs?: number;
  /**
   * How long to wait for another process's fetch (default: a little over lockTtlMs, so that the lock of a holder
   * that crashed has expired by then). Nobody fetches without the lock: after this the call fails (503, retry).
   */
  lockWaitMs?: number;
  pollMs?: number;
  /** How long this process trusts its in-memory copy before reading the store again (default 30 s). */
  memoryTtlMs?: number;
  /**
   * After a failed fetch, no instance fetches that credential again for this long (doubling per consecutive
   * failure up to backoffMaxMs); callers fail fast with the last failure instead. Defaults 2 s and 60 s.
   */
  backoffMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenManager {
  readonly keys: Record<CredentialKind, string>;
  getAccessToken(): Promise<string>;
  /** skipMemory: read the shared store instead of this process's short-lived copy. */
  getCorpTicket(options?: { skipMemory?: boolean }): Promise<string>;
  getAgentTicket(options?: { skipMemory?: boolean }): Promise<string>;
  /** Forget a token that WeCom rejected (only if it is still the cached one: another caller may have replaced it). */
  invalidateAccessToken(token: string): Promise<void>;
  /** Fetch both jsapi tickets anew even though the cached ones have not expired (one fetch each, shared). */
  refreshTickets(): Promise<{ corpTicket: string; agentTicket: string }>;
  /** Current token and ticket values, so that they can be masked in messages. */
  sensitiveValues(): string[];
}

interface Entry {
  value: string;
  /** When to stop using it (expires_in minus the safety margin), in the injected clock's milliseconds. */
  refreshAt: number;
}

const EntrySchema = z.object({ value: z.string(), refreshAt: z.number() });

/** The last failed fetch of a credential, shared through the store by every instance. */
interface Backoff {
  until: number;
  failures: number;
  api: string;
  errcode: number;
  transport?: WecomError['transport'];
  httpStatus?: number;
}

const BackoffSchema = z.object({
  until: z.number(),
  failures: z.number(),
  api: z.string(),
  errcode: z.number(),
  transport: z.string().optional(),
  httpStatus: z.number().optional(),
});

interface Fresh {
  value: string;
  expiresInSec: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const safetyMarginMs = opts.safetyMarginMs ?? 5 * 60_000;
  const lockTtlMs = opts.lockTtlMs ?? 15_000;
  const lockWaitMs = opts.lockWaitMs ?? lockTtlMs + 1_000;
  const pollMs = opts.pollMs ?? 50;
  const memoryTtlMs = opts.memoryTtlMs ?? 30_000;
  const backoffMs = opts.backoffMs ?? 2000;
  const backoffMaxMs = opts.backoffMaxMs ?? 60_000;
  const { store, corpId, agentId } = opts;

  const keys: Record<CredentialKind, string> = {
    token: `wecom:token:${corpId}:${agentId}`,
    corpTicket: `wecom:ticket:corp:${corpId}:${agentId}`,
    agentTicket: `wecom:ticket:agent:${corpId}:${agentId}`,
  };

  const memory = new Map<CredentialKind, Entry & { readAt: number }>();
  const inflight = new Map<string, Promise<string>>();

  const usable = (e: Entry | null | undefined, stale?: string): e is Entry =>
    !!e && e.refreshAt > now() && e.value !== stale;

  function remember(kind: CredentialKind, e: Entry): string {
    memory.set(kind, { ...e, readAt: now() });
    return e.value;
  }

  const backoffKey = (kind: CredentialKind) => `${keys[kind]}:backoff`;

  async function readBackoff(kind: CredentialKind): Promise<Backoff | null> {
    const b = readJson(await store.get(backoffKey(kind)), BackoffSchema);
    return b ? ({ ...b, transport: b.transport as Backoff['transport'] } satisfies Backoff) : null;
  }

  /** Fails fast while a recent fetch of this credential failed, with that failure (so the same clear state). */
  async function refuseDuringBackoff(kind: CredentialKind): Promise<void> {
    const b = await readBackoff(kind);
    if (!b || b.until <= now()) return;
    countCredential(kind, 'backoff');
    const waitS = Math.ceil((b.until - now()) / 1000);
    throw new WecomError({
      api: b.api,
      errcode: b.errcode,
      errmsg: `the last fetch failed; not retried for ${waitS} s`,
      transport: b.transport,
      httpStatus: b.httpStatus,
    });
  }

  /** Fetches, remembering a WeCom failure for every instance (doubling the wait per consecutive failure). */
  async function fetchRemembering(kind: CredentialKind): Promise<Entry> {
    try {
      const entry = await fetchFresh(kind);
      countCredential(kind, 'fetch');
      await store.delete(backoffKey(kind)).catch(() => undefined);
      return entry;
    } catch (err) {
      countCredential(kind, 'fetch_failed');
      if (isWecomError(err)) {
        const failures = ((await readBackoff(kind).catch(() => null))?.failures ?? 0) + 1;
        const waitMs = Math.min(backoffMaxMs, backoffMs * 2 ** (failures - 1));
        const b: Backoff = {
          until: now() + waitMs,
          failures,
          api: err.api,
          errcode: err.errcode,
          transport: err.transport,
          httpStatus: err.httpStatus,
        };
        // Kept a while past `until` so that consecutive failures keep doubling the wait.
        await store.set(backoffKey(kind), JSON.stringify(b), waitMs + 5 * 60_000).catch(() => undefined);
        logger().warn({
          msg: 'credential fetch failed',
          kind,
          errcode: err.errcode,
          backoffMs: waitMs,
          failures,
        });
      }
      throw err;
    }
  }

  async function read(kind: CredentialKind): Promise<Entry | null> {
    return readJson(await opts.store.get(keys[kind]), EntrySchema);
  }

  async function fetchFresh(kind: CredentialKind): Promise<Entry> {
    let fresh: Fresh;
    if (kind === 'token') {
      const { token, expiresIn } = await opts.credentials.getAccessToken({ request: opts.request });
      fresh = { value: token, expiresInSec: expiresIn };
    } else {
      const api = kind === 'corpTicket' ? 'get_jsapi_ticket' : 'ticket/get';
      const body = await opts.call(api, kind === 'agentTicket' ? { query: { type: 'agent_config' } } : {});
      const { token, expiresIn } = expiringCredential(api, body, 'ticket');
      fresh = { value: token, expiresInSec: expiresIn };
    }
    const lifetimeMs =
      (Number.isFinite(fresh.expiresInSec) && fresh.expiresInSec > 0 ? fresh.expiresInSec : 7200) * 1000;
    const entry: Entry = {
      value: fresh.value,
      refreshAt: now() + lifetimeMs - Math.min(safetyMarginMs, lifetimeMs / 2),
    };
    // The store keeps it for the whole lifetime; readers stop using it at refreshAt.
    await store.set(keys[kind], JSON.stringify(entry), lifetimeMs);
    return entry;
  }

  /**
   * One fetch per credential across processes: take the store lock, re-check (someone may have just finished),
   * fetch; everyone else polls the store until the value shows up (withLock's wait).
   */
  async function load(kind: CredentialKind, stale?: string): Promise<string> {
    const cached = await read(kind);
    if (usable(cached, stale)) {
      countCredential(kind, 'hit');
      return remember(kind, cached);
    }
    await refuseDuringBackoff(kind);
    const entry = await withLock(
      store,
      keys[kind],
      async () => {
        const again = await read(kind);
        if (usable(again, stale)) return again;
        await refuseDuringBackoff(kind);
        return fetchRemembering(kind);
      },
      {
        ttlMs: lockTtlMs,
        waitMs: lockWaitMs,
        pollMs,
        sleep,
        whileWaiting: async () => {
          const other = await read(kind);
          return usable(other, stale) ? other : undefined;
        },
      },
    );
    return remember(kind, entry);
  }

  function obtain(kind: CredentialKind, stale?: string, skipMemory = false): Promise<string> {
    const mem = memory.get(kind);
    if (!skipMemory && usable(mem, stale) && now() - mem.readAt < memoryTtlMs) {
      countCredential(kind, 'hit');
      return Promise.resolve(mem.value);
    }
    const flightKey = `${kind}\u0000${stale ?? ''}\u0000${skipMemory}`;
    let flight = inflight.get(flightKey);
    if (!flight) {
      // A failed fetch leaves nothing behind: the next caller starts a new one.
      flight = load(kind, stale).finally(() => inflight.delete(flightKey));
      inflight.set(flightKey, flight);
    }
    return flight;
  }

  async function current(kind: CredentialKind): Promise<string | undefined> {
    const mem = memory.get(kind);
    if (mem) return mem.value;
    return (await read(kind))?.value;
  }

  // While tickets are being refreshed, ticket readers wait for the new ones instead of signing with the old.
  let ticketRefresh: Promise<{ corpTicket: string; agentTicket: string }> | undefined;

  async function refreshTickets() {
    const [staleCorp, staleAgent] = await Promise.all([current('corpTicket'), current('agentTicket')]);
    const [corpTicket, agentTicket] = await Promise.all([
      obtain('corpTicket', staleCorp ?? ''),
      obtain('agentTicket', staleAgent ?? ''),
    ]);
    return { corpTicket, agentTicket };
  }

  async function ticket(kind: 'corpTicket' | 'agentTicket', skipMemory?: boolean): Promise<string> {
    if (ticketRefresh) await ticketRefresh.catch(() => {});
    return obtain(kind, undefined, skipMemory);
  }

  return {
    keys,
    getAccessToken: () => obtain('token'),
    getCorpTicket: (o) => ticket('corpTicket', o?.skipMemory),
    getAgentTicket: (o) => ticket('agentTicket', o?.skipMemory),
    async invalidateAccessToken(token) {
      if (memory.get('token')?.value === token) memory.delete('token');
      if ((await read('token'))?.value === token) await store.delete(keys.token);
    },
    refreshTickets() {
      ticketRefresh ??= refreshTickets().finally(() => (ticketRefresh = undefined));
      return ticketRefresh;
    },
    sensitiveValues() {
      return [...memory.values()].map((e) => e.value);
    },
  };
}

/** Reads `{<field>, expires_in}` from a credential answer (gettoken, tickets, suite and corp tokens). */
export function expiringCredential(
  api: string,
  body: Record<string, unknown>,
  field: string,
): { token: string; expiresIn: number } {
  const token = body[field];
  if (typeof token !== 'string' || !token) {
    throw new WecomError({
      api,
      errcode: -1,
      errmsg: `no ${field} in the answer`,
      transport: 'invalid-response',
    });
  }
  return { token, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 7200 };
}
