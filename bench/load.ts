import autocannon from 'autocannon';

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface Target {
  url: string;
  headers?: Record<string, string>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Fixed-concurrency load (autocannon) on several targets, interleaved in rounds (A B C A B C …) after an unmeasured
 * warm-up of each, so that a change in the machine's background load hits every target alike. Each target gets
 * `seconds` in total; throughput counts 2xx answers; percentiles are over every measured request.
 */
export async function compare(
  targets: Target[],
  opts: { connections: number; seconds: number; rounds: number; warmupSeconds: number },
): Promise<LoadResult[]> {
  const base = { connections: opts.connections, timeout: 10 };
  for (const t of targets)
    await autocannon({ ...base, url: t.url, headers: t.headers, duration: opts.warmupSeconds });
  const acc = targets.map(() => ({
    latencies: [] as number[],
    ok: 0,
    requests: 0,
    errors: 0,
    non2xx: 0,
    seconds: 0,
  }));
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, t] of targets.entries()) {
      const a = acc[i]!;
      const instance = autocannon({
        ...base,
        url: t.url,
        headers: t.headers,
        duration: opts.seconds / opts.rounds,
      });
      instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
        a.latencies.push(ms),
      );
      const r = await instance;
      a.ok += r['2xx'];
      a.requests += r.requests.total;
      a.errors += r.errors + r.timeouts;
      a.non2xx += r.non2xx;
      a.seconds += r.duration;
    }
  }
  return acc.map((a) => {
    const sorted = a.latencies.sort((x, y) => x - y);
    return {
      reqPerSec: a.ok / a.seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      requests: a.requests,
      errors: a.errors,
      non2xx: a.non2xx,
    };
  });
}

/** Fires all requests at once (one connection each) and waits for every answer. */
export async function burst(
  urls: string[],
  headers: Record<string, string> = {},
): Promise<{ ok: number; failed: number; statuses: Record<string, number> }> {
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
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
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
