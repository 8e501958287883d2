import { takeBootFetch } from '@/lib/jssdk-client';
import type { Lang } from './i18n';

/** An error answer of our own API: `{error:{code,message,messageZh,messageEn}}` with its status (0 = network). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; messageZh?: string; messageEn?: string };
}

/**
 * SWR fetcher for our JSON routes; the browser's Accept-Language picks the message language on the server. The
 * first read of a URL the page's boot script already fetched takes that response.
 */
export function jsonFetcher(lang: Lang) {
  return async <T>(url: string): Promise<T> => {
    let res: Response;
    try {
      res = await (takeBootFetch(url) ??
        fetch(url, {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
          cache: 'no-store',
        }));
    } catch {
      throw new ApiError(
        0,
        'network',
        lang === 'en'
          ? 'Network error, please check your connection and retry'
          : '网络连接失败，请检查网络后重试',
      );
    }
    const body = (await res.json().catch(() => null)) as (T & ErrorBody) | null;
    if (!res.ok || body === null) {
      const err = body?.error;
      const message =
        (lang === 'en' ? err?.messageEn : err?.messageZh) ?? err?.message ?? `HTTP ${res.status}`;
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, message);
    }
    return body;
  };
}

export function reloginHref(): string {
  const here = typeof window === 'undefined' ? '/sidebar' : `${location.pathname}${location.search}`;
  return `/api/auth/login?${new URLSearchParams({ returnTo: here, client: '1' }).toString()}`;
}
