import autocannon from 'autocannon';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** Fixed-concurrency load for a fixed time (autocannon), after a short unmeasured warm-up. */
export async function load(
  url: string,
  opts: { connections: number; seconds: number; warmupSeconds?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const base = { url, connections: opts.connections, headers: opts.headers, timeout: 10 };
  if (opts.warmupSeconds) await autocannon({ ...base, duration: opts.warmupSeconds });
  const r = await autocannon({ ...base, duration: opts.seconds });
  return {
    reqPerSec: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Fires all requests at once (one connection each) and waits for every answer. */
export async function burst(urls: string[], headers: Record<string, string> = {}): Promise<{ ok: number; failed: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  const results = await Promise.all(
    urls.map(async (url) => {
      try {
        const res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        return String(res.status);
      } catch {
        return 'network-error';
      }
    }),
  );
  for (const s of results) statuses[s] = (statuses[s] ?? 0) + 1;
  const ok = statuses['200'] ?? 0;
  return { ok, failed: urls.length - ok, statuses };
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}
