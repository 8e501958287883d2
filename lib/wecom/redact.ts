import 'server-only';

/** Names of query parameters and JSON fields whose values must never reach a log line or an error message. */
export const SENSITIVE_KEYS = [
  'access_token',
  'suite_access_token',
  'provider_access_token',
  'corpsecret',
  'secret',
  'suite_secret',
  'provider_secret',
  'ticket',
  'jsapi_ticket',
  'suite_ticket',
  'user_ticket',
  'code',
  'auth_code',
  'pre_auth_code',
  'permanent_code',
  'encoding_aes_key',
  'session_secret',
] as const;

const MASK = '***';
const keyAlternation = SENSITIVE_KEYS.join('|');
// access_token=abc (query strings, form bodies, log text)
const QUERY_RE = new RegExp(`(^|[?&\\s;,("'])(${keyAlternation})=([^&#\\s"',;)]*)`, 'gi');
// "access_token":"abc" and 'access_token': 'abc' (JSON and object dumps)
const JSON_RE = new RegExp(
  `(?<![\\w-])(["']?)(${keyAlternation})\\1(\\s*:\\s*)(["'])((?:\\\\.|(?!\\4).)*)\\4`,
  'gi',
);

/**
 * Masks sensitive query parameters and JSON fields, plus any of the given exact values (tokens and secrets the
 * caller knows), wherever they appear in the text.
 */
export function redact(text: string, known: Iterable<string> = []): string {
  let out = text.replace(QUERY_RE, (_m, pre: string, key: string) => `${pre}${key}=${MASK}`);
  out = out.replace(
    JSON_RE,
    (_m, q: string, key: string, sep: string, quote: string) => `${q}${key}${q}${sep}${quote}${MASK}${quote}`,
  );
  for (const value of known) {
    // Short values would mask ordinary words; real tokens and secrets are long.
    if (value && value.length >= 8) out = out.split(value).join(MASK);
  }
  return out;
}

/** A copy of a URL with sensitive query parameters masked (for logs). */
export function redactUrl(url: string | URL): string {
  const u = new URL(url.toString());
  for (const key of [...u.searchParams.keys()]) {
    if ((SENSITIVE_KEYS as readonly string[]).includes(key.toLowerCase())) u.searchParams.set(key, MASK);
  }
  return u.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/** A deep copy of a value with sensitive fields masked (for structured logs). */
export function redactValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = (SENSITIVE_KEYS as readonly string[]).includes(k.toLowerCase()) ? MASK : redactValue(v);
    }
    return out as T;
  }
  return value;
}
