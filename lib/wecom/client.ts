import 'server-only';
import { logger } from '../ops/log';
import { countUpstreamCall } from '../ops/metrics';
import type { Store } from '../store/types';
import { isWecomError, WecomError } from './errors';
import { redact } from './redact';
import {
  createTokenManager,
  expiringCredential,
  type TokenManager,
  type TokenManagerOptions,
} from './tokens';

export type QueryValue = string | number | boolean | undefined | null;

export interface CallOptions {
  /** Default: POST when there is a body, else GET. */
  method?: 'GET' | 'POST';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * Whether repeating the call is harmless; only idempotent calls are retried after -1, a network error, a
   * timeout or a 5xx. Default: true for GET, false for POST (pass true for read-only POSTs such as groupchat/get).
   */
  idempotent?: boolean;
  /** Per-attempt timeout; default the client's (5 s). Never longer than what is left of the deadline. */
  timeoutMs?: number;
  /**
   * One budget for the whole request, every attempt, backoff and (for `call`) the token included: default the
   * client's (5 s). A slow WeCom therefore costs at most this long, not attempts × timeout.
   */
  budgetMs?: number;
  /** An absolute deadline (Date.now() milliseconds) shared with other work; wins over budgetMs. */
  deadline?: number;
}

export interface RequestOptions extends CallOptions {
  /** Sent as `access_token` (or `tokenParam`) in the query string. */
  token?: string;
  tokenParam?: string;
}

/** One HTTP round trip (with retries) to `<apiBase>/cgi-bin/<api>`; no token handling. */
export type RawRequest = (api: string, options?: RequestOptions) => Promise<Record<string, unknown>>;

/**
 * Where access tokens come from. Self-built apps use gettoken with the app secret; the third-party mode can
 * plug in service/get_corp_token without touching the cache.
 */
export interface CredentialProvider {
  getAccessToken(ctx: { request: RawRequest }): Promise<{ token: string; expiresIn: number }>;
  /** Values that must be masked in every message (secrets). */
  readonly secrets?: readonly string[];
  /**
   * A third-party (服务商) app's credentials: WeCom checks the provider's IP allow-list and permissions, so the
   * client's errors name those (ErrcodeContext.thirdParty).
   */
  readonly thirdParty?: boolean;
}

export interface WecomClientOptions {
  apiBase: string;
  corpId: string;
  agentId: string;
  credentials: CredentialProvider;
  store: Store;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** Default overall budget of one request, retries included (default 5 s). */
  budgetMs?: number;
  /** Retries after a retryable failure of an idempotent call (default 2). */
  maxRetries?: number;
  /** First backoff step (default 200 ms); doubles per retry, with jitter, capped at 2 s. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Receives already-redacted log lines (default console.warn). */
  log?: (line: string) => void;
  tokens?: Pick<
    TokenManagerOptions,
    'safetyMarginMs' | 'lockTtlMs' | 'lockWaitMs' | 'pollMs' | 'memoryTtlMs' | 'backoffMs' | 'backoffMaxMs'
  >;
}

export interface WecomClient {
  readonly corpId: string;
  readonly agentId: string;
  readonly store: Store;
  /** Calls `/cgi-bin/<api>` with the app's access_token; returns the JSON of an errcode-0 answer or throws WecomError. */
  call<T = Record<string, unknown>>(api: string, options?: CallOptions): Promise<T>;
  /** Without a token (gettoken, service/get_suite_token, ...). */
  request: RawRequest;
  tokens: TokenManager;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A retry is not started with less than this left of the budget: it could not get an answer anyway. */
const MIN_ATTEMPT_MS = 250;

/** The WeCom-side timeout error: a request (or a piece of work made of several) ran out of its budget. */
export function deadlineError(api: string, budgetMs: number): WecomError {
  return new WecomError({
    api,
    errcode: -1,
    errmsg: `no answer within ${budgetMs} ms`,
    transport: 'timeout',
  });
}

/**
 * Settles like `work`, or rejects with a timeout WecomError at `deadline` (Date.now() milliseconds). The work itself
 * goes on (a shared credential fetch still fills the cache for the next caller).
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: number, api: string): Promise<T> {
  const left = deadline - Date.now();
  if (left <= 0) {
    work.catch(() => {});
    return Promise.reject(deadlineError(api, 0));
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineError(api, Math.round(left))), left);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Self-built app credentials: `gettoken?corpid=&corpsecret=`. */
export function corpSecretCredentials(corpId: string, secret: string): CredentialProvider {
  return {
    secrets: [secret],
    async getAccessToken({ request }) {
      const body = await request('gettoken', {
        query: { corpid: corpId, corpsecret: secret },
        idempotent: true,
      });
      return expiringCredential('gettoken', body, 'access_token');
    },
  };
}

export function createWecomClient(opts: WecomClientOptions): WecomClient {
  const fetchImpl = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const defaultTimeoutMs = opts.timeoutMs ?? 5000;
  const defaultBudgetMs = opts.budgetMs ?? 5000;
  const maxRetries = opts.maxRetries ?? 2;
  const backoffMs = opts.backoffMs ?? 200;
  const base = opts.apiBase.replace(/\/+$/, '');
  const known = () => [...(opts.credentials.secrets ?? []), ...tokens.sensitiveValues()];
  const log = (line: string) => (opts.log ?? ((l: string) => logger().warn(l)))(redact(line, known()));

  async function once(
    api: string,
    url: URL,
    init: RequestInit,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetchImpl(url, { ...init, signal: controller.signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (controller.signal.aborted) {
        throw new WecomError({
          api,
          errcode: -1,
          errmsg: `no answer within ${timeoutMs} ms`,
          transport: 'timeout',
        });
      }
      const reason =
        err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : 'fetch failed';
      throw new WecomError({ api, errcode: -1, errmsg: redact(reason, known()), transport: 'network' });
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status >= 300) {
      throw new WecomError({
        api,
        errcode: -1,
        errmsg: `HTTP ${status}`,
        transport: 'http',
        httpStatus: status,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new WecomError({
        api,
        errcode: -1,
        errmsg: 'the answer is not a JSON object',
        transport: 'invalid-response',
      });
    }
    const json = body as Record<string, unknown>;
    // A few endpoints leave errcode out on success.
    const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
    if (errcode !== 0) {
      throw new WecomError({
        api,
        errcode,
        errmsg: redact(String(json.errmsg ?? ''), known()),
        thirdParty: opts.credentials.thirdParty,
      });
    }
    return json;
  }

  const request: RawRequest = async (api, options = {}) => {
    const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
    const idempotent = options.idempotent ?? method === 'GET';
    const url = new URL(`${base}/cgi-bin/${api.replace(/^\/+/, '')}`);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
    if (options.token !== undefined)
      url.searchParams.set(options.tokenParam ?? 'access_token', options.token);
    // multipart uploads (media/upload) pass FormData, which sets its own content type and boundary.
    const form = options.body instanceof FormData ? options.body : undefined;
    const init: RequestInit = {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
      },
      body: form ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    };
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const budgetMs = options.budgetMs ?? defaultBudgetMs;
    const deadline = options.deadline ?? Date.now() + budgetMs;
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw deadlineError(api, budgetMs);
      const started = performance.now();
      // One line and one sample per attempt: the api path only (never the query, which carries tokens).
      const record = (errcode: number) => {
        const seconds = (performance.now() - started) / 1000;
        countUpstreamCall(api, errcode, seconds);
        logger().info({
          msg: 'wecom call',
          api,
          errcode,
          durationMs: Math.round(seconds * 10000) / 10,
          attempt: attempt + 1,
        });
      };
      try {
        const answer = await once(api, url, init, Math.min(timeoutMs, left));
        record(0);
        return answer;
      } catch (err) {
        record(isWecomError(err) ? err.errcode : -1);
        if (!isWecomError(err) || err.kind !== 'retryable' || !idempotent || attempt >= maxRetries)
          throw err;
        const delay = Math.round(Math.min(2000, backoffMs * 2 ** attempt) * (0.5 + random() / 2));
        // One budget for the request: no retry that could not finish inside it.
        if (Date.now() + delay + MIN_ATTEMPT_MS > deadline) throw err;
        log(`[wecom] ${api}: ${err.message}; retry ${attempt + 1}/${maxRetries} in ${delay} ms`);
        await sleep(delay);
      }
    }
  };

  async function call<T>(api: string, options: CallOptions = {}): Promise<T> {
    // The token (when it has to be fetched) and the call itself share the request's one budget.
    const deadline = options.deadline ?? Date.now() + (options.budgetMs ?? defaultBudgetMs);
    const token = await beforeDeadline(tokens.getAccessToken(), deadline, api);
    try {
      return (await request(api, { ...options, token, deadline })) as T;
    } catch (err) {
      if (!isWecomError(err) || err.kind !== 'token-invalid') throw err;
      // WeCom may revoke a token before expires_in: drop it and replay once with a fresh one.
      log(`[wecom] ${api}: errcode ${err.errcode}, refreshing the access token and replaying once`);
      await tokens.invalidateAccessToken(token);
      const fresh = await beforeDeadline(tokens.getAccessToken(), deadline, api);
      return (await request(api, { ...options, token: fresh, deadline })) as T;
    }
  }

  const tokens: TokenManager = createTokenManager({
    ...opts.tokens,
    corpId: opts.corpId,
    agentId: opts.agentId,
    store: opts.store,
    credentials: opts.credentials,
    request,
    call: (api, options) => call<Record<string, unknown>>(api, options),
    now: opts.now,
    sleep,
  });

  return { corpId: opts.corpId, agentId: opts.agentId, store: opts.store, call, request, tokens };
}
