/** The pair of JS-SDK signatures for one page URL; one server request always serves both. */
export interface SignatureData {
  timestamp: number | string;
  nonceStr: string;
  signature: string;
}

export interface SignaturePair {
  corpId: string;
  agentId: string | number;
  config: SignatureData;
  agentConfig: SignatureData;
}

export class SignatureFetchError extends Error {
  override name = 'SignatureFetchError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type FetchPair = (url: string, refresh: boolean) => Promise<SignaturePair>;

/**
 * What the server rendered for the page's own URL: the pair, or the answer it got instead (WeCom too slow or
 * failing), so that the page shows that state at once rather than asking again.
 */
export type InitialSignatures =
  { url: string; pair: SignaturePair } | { url: string; error: { status: number; message: string } };

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
        const { status, message } = initialError.error;
        initialError = undefined;
        return Promise.reject(new SignatureFetchError(status, message));
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

/** Fetches a pair from our signature endpoint (same origin, session cookie included). */
export function httpFetchPair(endpoint = '/api/jssdk/signature'): FetchPair {
  return async (url, refresh) => {
    const qs = new URLSearchParams({ url });
    if (refresh) qs.set('refresh', '1');
    const res = await fetch(`${endpoint}?${qs.toString()}`, {
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const body = (await res.json().catch(() => null)) as
      (SignaturePair & { error?: undefined }) | { error?: { message?: string } } | null;
    if (!res.ok || !body || body.error) {
      const message = body?.error?.message ?? `HTTP ${res.status}`;
      throw new SignatureFetchError(res.status, message);
    }
    return body as SignaturePair;
  };
}
