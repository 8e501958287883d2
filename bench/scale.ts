/**
 * Third-party scale: one app process serving many installed corps. Sessions are sealed here with the app's session
 * secret (what a sign-in would have stored), so that thousands of members of thousands of corps can call the
 * signature endpoint without thousands of OAuth round trips. The app's heap is read through the inspector after a
 * full garbage collection.
 */
import { performance } from 'node:perf_hooks';
import { sealData } from 'iron-session';

export const SESSION_COOKIE = 'wecom_sidebar_session';

/** A session cookie for `userId` of `corpId`, as /api/auth/callback stores it. */
export async function sessionCookie(secret: string, corpId: string, userId: string): Promise<string> {
  const seal = await sealData({ user: { corpId, userId } }, { password: secret, ttl: 7 * 24 * 3600 });
  return `${SESSION_COOKIE}=${seal}`;
}

export interface LatencyResult {
  requests: number;
  failed: number;
  statuses: Record<string, number>;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * `connections` workers request `url` for `seconds`, each request with the next cookie of `cookies` (round
 * robin), and record every latency. Bounded in time; loopback only.
 */
export async function spread(
  url: string,
  cookies: string[],
  opts: { connections: number; seconds: number },
): Promise<LatencyResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const until = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (performance.now() < until) {
        const cookie = cookies[next++ % cookies.length]!;
        const t = performance.now();
        let status = 'error';
        try {
          const res = await fetch(url, { headers: { cookie } });
          await res.arrayBuffer();
          status = String(res.status);
        } catch {
          // counted as an error
        }
        times.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = times.sort((a, b) => a - b);
  return {
    requests: times.length,
    failed: times.length - (statuses['200'] ?? 0),
    statuses,
    reqPerSec: times.length / elapsed,
    p50Ms: pct(sorted, 50),
    p99Ms: pct(sorted, 99),
  };
}

/** One request per cookie, `connections` at a time. */
export async function visitEach(
  url: string,
  cookies: string[],
  connections: number,
): Promise<{ failed: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < cookies.length) {
        const cookie = cookies[next++]!;
        const status = await fetch(url, { headers: { cookie } }).then(
          async (res) => (await res.arrayBuffer(), String(res.status)),
          () => 'error',
        );
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { failed: cookies.length - (statuses['200'] ?? 0), statuses };
}

/** Pools the results of several rounds (for the ratio, the rounds' p99s are averaged). */
export function combine(rounds: LatencyResult[]): LatencyResult {
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  const statuses: Record<string, number> = {};
  for (const r of rounds)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const avg = (f: (r: LatencyResult) => number) => rounds.reduce((a, r) => a + f(r), 0) / rounds.length;
  return {
    requests,
    failed: rounds.reduce((a, r) => a + r.failed, 0),
    statuses,
    reqPerSec: avg((r) => r.reqPerSec),
    p50Ms: avg((r) => r.p50Ms),
    p99Ms: avg((r) => r.p99Ms),
  };
}

/** The app's JavaScript heap in use after a full garbage collection, through its inspector port. */
export async function heapUsedAfterGc(inspectPort: number): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const { ws: WebSocket } = await import('playwright-core/lib/utilsBundle');
  const sock = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  const waiting = new Map<number, (result: unknown) => void>();
  await new Promise<void>((resolve, reject) => {
    sock.on('open', () => resolve());
    sock.on('error', (e) => reject(e as Error));
  });
  sock.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  let id = 0;
  const send = (method: string) =>
    new Promise<unknown>((resolve) => {
      waiting.set(++id, resolve);
      sock.send(JSON.stringify({ id, method }));
    });
  try {
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  } finally {
    sock.close();
  }
}
