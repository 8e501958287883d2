import { api, ApiError } from '../api-client';
import type { Bilingual } from '../bilingual';
import type { JssdkSignatures } from '../wecom/jssdk';

/** The pair of JS-SDK signatures for one page URL (the server's type); one server request always serves both. */
export type SignaturePair = JssdkSignatures;

export type FetchPair = (url: string, refresh: boolean) => Promise<SignaturePair>;

/**
 * What the server rendered for the page's own URL: the pair, or the answer it got instead (WeCom too slow or
 * failing), so that the page shows that state at once rather than asking again.
 */
export type InitialSignatures =
  | { url: string; pair: SignaturePair }
  | { url: string; error: { status: number; code: string; message: Bilingual } };

/**
 * Hands out signatures per URL: the pair the server rendered into the page for its own URL (or, once, the error it
 * got), otherwise one request per URL. After `refreshNext()` the next request for a URL asks the server to re-fetch its tickets (refresh=1).
 */
export function createSignatureSource(opts: { initial?: InitialSignatures; fetchPair: FetchPair }) {
  const cache = new Map<string, Promise<SignaturePair>>();
  // The server's failure is the answer of the first request for its URL; the next one asks again.
  let initialError: InitialSignatures | undefined;
  if (opts.initial && 'pair' in opts.initial) cache.set(opts.initial.url, Promise.resolve(opts.initial.pair));
  else initialError = opts.initial;
  let refreshPending = false;
  let refreshes = 0;

  return {
    get(url: string): Promise<SignaturePair> {
      if (initialError && 'error' in initialError && initialError.url === url && !refreshPending) {
        const { status, code, message } = initialError.error;
        initialError = undefined;
        return Promise.reject(new ApiError(status, code, message));
      }
      if (refreshPending) {
        refreshPending = false;
        refreshes += 1;
        cache.delete(url);
        return remember(url, opts.fetchPair(url, true));
      }
      return cache.get(url) ?? remember(url, opts.fetchPair(url, false));
    },
    refreshNext() {
      refreshPending = true;
    },
    get refreshes() {
      return refreshes;
    },
  };

  function remember(url: string, p: Promise<SignaturePair>) {
    cache.set(url, p);
    // A failed request is not cached: the next attempt asks again.
    p.catch(() => cache.delete(url));
    return p;
  }
}

/** Fetches a pair from our signature endpoint (same origin, session cookie included); fails with an ApiError. */
export function httpFetchPair(endpoint = '/api/jssdk/signature'): FetchPair {
  return (url, refresh) =>
    api.get<SignaturePair>(endpoint, { query: { url, refresh: refresh ? '1' : undefined } });
}
