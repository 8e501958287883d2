import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Histogram, register } from 'prom-client';

/**
 * Prometheus metrics, in prom-client's default registry (shared with the production server, which counts requests
 * by route in `http_requests_total` and `http_request_duration_seconds`). Defined once per process.
 */
function define() {
  collectDefaultMetrics();
  return {
    upstreamCalls: new Counter({
      name: 'wecom_upstream_calls_total',
      help: 'Calls to the WeCom server API, by api and errcode (-1: network error, timeout or HTTP error)',
      labelNames: ['api', 'errcode'] as const,
    }),
    upstreamDuration: new Histogram({
      name: 'wecom_upstream_call_duration_seconds',
      help: 'Duration of one attempt of a WeCom server API call, by api',
      labelNames: ['api'] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    credentials: new Counter({
      name: 'wecom_credential_cache_total',
      help: 'Token and ticket lookups by credential kind and outcome (hit, fetch, fetch_failed, backoff)',
      labelNames: ['kind', 'outcome'] as const,
    }),
    schedulerJobs: new Counter({
      name: 'scheduler_jobs_total',
      help: 'Scheduled messages that reached a state (claimed, submitted, sent, failed, missed, cancelled)',
      labelNames: ['state'] as const,
    }),
    kbSearches: new Counter({
      name: 'knowledge_base_searches_total',
      help: 'Knowledge-base searches by outcome (hit, empty, error)',
      labelNames: ['outcome'] as const,
    }),
    kbSearchDuration: new Histogram({
      name: 'knowledge_base_search_duration_seconds',
      help: 'Duration of a knowledge-base search',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    }),
  };
}

type Metrics = ReturnType<typeof define>;
const KEY = Symbol.for('wecom-sidebar.app-metrics');

export function metrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  holder[KEY] ??= define();
  return holder[KEY];
}

export type CredentialOutcome = 'hit' | 'fetch' | 'fetch_failed' | 'backoff';
/** The states of a scheduled message (lib/content/scheduled.ts), plus `claimed` when an instance takes one. */
export type SchedulerJobState = 'claimed' | 'submitted' | 'sent' | 'failed' | 'missed' | 'cancelled';
export type KnowledgeSearchOutcome = 'hit' | 'empty' | 'error';

export function countUpstreamCall(api: string, errcode: number, seconds: number): void {
  const m = metrics();
  m.upstreamCalls.inc({ api, errcode: String(errcode) });
  m.upstreamDuration.observe({ api }, seconds);
}

export function countCredential(kind: string, outcome: CredentialOutcome): void {
  metrics().credentials.inc({ kind, outcome });
}

/** For the scheduler: call when a job reaches a state. */
export function countSchedulerJob(state: SchedulerJobState): void {
  metrics().schedulerJobs.inc({ state });
}

/** For the knowledge base: call once per search with its outcome and duration. */
export function countKnowledgeSearch(outcome: KnowledgeSearchOutcome, seconds: number): void {
  const m = metrics();
  m.kbSearches.inc({ outcome });
  m.kbSearchDuration.observe(seconds);
}

/** The exposition text, after making sure every metric is defined (so a fresh process still lists them). */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  metrics();
  return { contentType: register.contentType, body: await register.metrics() };
}

/** Whether an `Authorization: Bearer <token>` header carries the expected token (constant-time compare). */
export function bearerMatches(header: string | null, expected: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}
