import type { Bilingual } from './bilingual';

/**
 * The one browser client for our own JSON routes (and the demo emulator's control API on the same origin):
 * same-origin cookies, never cached, JSON in and out. Every failure is an ApiError with the status (0 = the
 * network failed), the route's stable code and its message in both languages (lib/http.ts `errorBody`).
 *
 * @example
 * const { items } = await api.get<{ items: QuickReply[] }>('/api/quick-replies', { query: { entry: 'single' } });
 * await api.patch(`/api/admin/quick-replies/${id}`, { title });
 * useSWR<CustomerProfile, ApiError>(`/api/contacts/${id}`, api.get);
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: Bilingual,
  ) {
    super(`${userMessage.zh} / ${userMessage.en}`);
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Appended to the path; null and undefined values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** A response already on its way for this request (the sidebar's boot script fetched it): read it instead. */
  pending?: Promise<Response>;
}

interface ErrorBody {
  error?: string | { code?: string; message?: string; messageZh?: string; messageEn?: string };
}

const NETWORK: Bilingual = {
  zh: '网络连接失败，请检查网络后重试',
  en: 'Network error, please check your connection and retry',
};

function withQuery(path: string, query: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

function failure(status: number, body: ErrorBody | null): ApiError {
  const e = body?.error;
  if (typeof e === 'object' && e !== null) {
    const zh = e.messageZh ?? e.message ?? `HTTP ${status}`;
    return new ApiError(status, e.code ?? `http_${status}`, { zh, en: e.messageEn ?? e.message ?? zh });
  }
  const detail = typeof e === 'string' && e ? `：${e}` : '';
  return new ApiError(status, `http_${status}`, {
    zh: `请求失败（HTTP ${status}）${detail}`,
    en: `Request failed (HTTP ${status})${detail ? `: ${e as string}` : ''}`,
  });
}

async function send(
  method: string,
  path: string,
  body: unknown,
  opts: RequestOptions,
  accept = 'application/json',
): Promise<Response> {
  let res: Response;
  try {
    res = await (opts.pending ??
      fetch(withQuery(path, opts.query), {
        method,
        cache: 'no-store',
        credentials: 'same-origin',
        // A FormData body (a file upload) goes as multipart, with the boundary the browser sets.
        headers:
          body === undefined || body instanceof FormData
            ? { accept }
            : { accept, 'content-type': 'application/json' },
        body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
        signal: opts.signal,
      }));
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, 'network', NETWORK);
  }
  if (!res.ok) throw failure(res.status, (await res.json().catch(() => null)) as ErrorBody | null);
  return res;
}

async function request<T>(
  method: string,
  path: string,
  body: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  const res = await send(method, path, body, opts);
  if (res.status === 204) return undefined as T;
  const parsed = (await res.json().catch(() => null)) as T | null;
  if (parsed === null) throw failure(res.status, null);
  return parsed;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, body, opts),
  put: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PUT', path, body, opts),
  patch: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PATCH', path, body, opts),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  /** POSTs JSON and answers the streamed response (Server-Sent Events) for the caller to read; failures as above. */
  stream: (path: string, body: unknown, opts: RequestOptions = {}) =>
    send('POST', path, body, opts, 'text/event-stream'),
};
