import 'server-only';
import { HttpError } from '../http';
import { getStore } from '../store';

/**
 * Rate limits per signed-in member and per client IP, counted in the store so that they hold across instances
 * (fixed windows). Over the limit: 429 with Retry-After (seconds until the window ends).
 */
export type LimitName = 'sign-in' | 'signature-refresh' | 'assistant';

interface Limit {
  windowMs: number;
  perUser: number;
  perIp: number;
}

export const LIMITS: Record<LimitName, Limit> = {
  // Sign-in has no user yet: per IP only (a NAT'd office shares one, hence the generous number).
  'sign-in': { windowMs: 60_000, perUser: 0, perIp: 240 },
  // A page asks for fresh signatures after `invalid signature` only; the server itself refreshes the tickets at most
  // once a minute per app, so this only bounds the requests (a member switching quickly between chats stays under).
  'signature-refresh': { windowMs: 60_000, perUser: 30, perIp: 300 },
  // Every assistant answer may cost a model call.
  assistant: { windowMs: 60_000, perUser: 30, perIp: 300 },
};

export class RateLimitedError extends HttpError {
  constructor(readonly retryAfterS: number) {
    super(
      429,
      'rate_limited',
      {
        zh: `请求过于频繁，请 ${retryAfterS} 秒后重试`,
        en: `Too many requests; try again in ${retryAfterS} s`,
      },
      { 'retry-after': String(retryAfterS) },
    );
    this.name = 'RateLimitedError';
  }
}

/** The caller's IP as the production server saw it (x-wecom-client-ip, which it sets itself), or `unknown`. */
export function clientIp(req: Request): string {
  return req.headers.get('x-wecom-client-ip') ?? 'unknown';
}

/** Counts one request against `name`'s limits; throws RateLimitedError when a limit is exceeded. */
export async function enforceLimit(
  name: LimitName,
  who: { ip: string; user?: { corpId: string; userId: string } },
  now = Date.now(),
): Promise<void> {
  const limit = LIMITS[name];
  const window = Math.floor(now / limit.windowMs);
  const retryAfterS = Math.max(1, Math.ceil(((window + 1) * limit.windowMs - now) / 1000));
  const store = getStore();
  const checks: Promise<boolean>[] = [];
  if (limit.perIp > 0)
    checks.push(
      store
        .increment(`ratelimit:${name}:ip:${who.ip}:${window}`, limit.windowMs)
        .then((n) => n > limit.perIp),
    );
  if (limit.perUser > 0 && who.user)
    checks.push(
      store
        .increment(`ratelimit:${name}:user:${who.user.corpId}:${who.user.userId}:${window}`, limit.windowMs)
        .then((n) => n > limit.perUser),
    );
  if ((await Promise.all(checks)).some(Boolean)) throw new RateLimitedError(retryAfterS);
}
