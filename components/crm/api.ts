import type { Bilingual } from '@/lib/crm/limits';

/**
 * JSON calls of the CRM section (same-origin cookies, never cached). Every failure is an ApiError with the
 * route's stable code and its message in both languages.
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

interface ErrorBody {
  error?: { code?: string; message?: string; messageZh?: string; messageEn?: string };
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', {
      zh: '网络连接失败，请检查网络后重试',
      en: 'Network error, please check your connection and retry',
    });
  }
  if (res.status === 204) return undefined as T;
  const parsed = (await res.json().catch(() => null)) as (T & ErrorBody) | null;
  if (!res.ok || parsed === null) {
    const e = parsed?.error;
    const zh = e?.messageZh ?? e?.message ?? `请求失败（HTTP ${res.status}）`;
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, {
      zh,
      en: e?.messageEn ?? e?.message ?? `Request failed (HTTP ${res.status})`,
    });
  }
  return parsed;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T = unknown>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T = unknown>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};
