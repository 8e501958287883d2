import 'server-only';
import { redirect } from 'next/navigation';
import { unauthorized } from './http';
import { getSessionUser, type SessionUser } from './session';
import { getTenancy } from './wecom/tenant';

const PLACEHOLDER_ORIGIN = 'http://return-to.invalid';
const MAX_RETURN_TO = 2048;

/**
 * Where to go after sign-in: a path on this origin, or `/`. Absolute and protocol-relative URLs (`//evil`,
 * `/\evil`), backslashes, control characters and anything that is not a path are refused, and so is the sign-in
 * flow itself (returning to it would loop).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_TO) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  // Browsers read `\` as `/` and drop tabs/newlines inside URLs, which turns `/\evil` or `/\t/evil` into `//evil`.
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can normalise into a protocol-relative path: `/.//evil` → `//evil`.
  if (!path.startsWith('/') || path.startsWith('//')) return '/';
  if (/^\/api\/auth(\/|$)/i.test(url.pathname)) return '/';
  return path;
}

export interface LoginOptions {
  /** The page only ever runs inside the WeCom client (chat toolbar): always use the in-client OAuth. */
  inClient?: boolean;
  /** Ask for consent (snsapi_privateinfo) to read the avatar. */
  privateInfo?: boolean;
  /**
   * Third-party mode: the corp the page was opened for (`?corpid=$CORPID$`). A session of another corp does not
   * count, so opening the app from corp B's workbench signs in again instead of showing corp A's data.
   */
  corpId?: string | null;
}

/** The sign-in entry for a page: `/api/auth/login?returnTo=<path>`. */
export function loginPath(returnTo: string, opts: LoginOptions = {}): string {
  const params = new URLSearchParams({ returnTo: safeReturnTo(returnTo) });
  if (opts.privateInfo) params.set('scope', 'privateinfo');
  if (opts.inClient) params.set('client', '1');
  return `/api/auth/login?${params.toString()}`;
}

function isSessionUser(value: unknown): value is SessionUser {
  const u = value as Partial<SessionUser> | null | undefined;
  return (
    typeof u === 'object' &&
    u !== null &&
    typeof u.corpId === 'string' &&
    typeof u.userId === 'string' &&
    u.userId.length > 0 &&
    (u.name === undefined || typeof u.name === 'string') &&
    (u.avatar === undefined || typeof u.avatar === 'string')
  );
}

/**
 * The signed-in member of a corp this app serves (the configured corp; in third-party mode any corp that has
 * installed the app), or null (no cookie, a cookie we cannot open, another corp).
 */
export async function currentUser(): Promise<SessionUser | null> {
  const user = await getSessionUser();
  if (!isSessionUser(user) || !(await getTenancy().serves(user.corpId))) return null;
  return { corpId: user.corpId, userId: user.userId, name: user.name, avatar: user.avatar };
}

/**
 * For server components: the user, or a redirect to sign-in that comes back to `currentPathWithQuery`.
 * Inside WeCom the sign-in is silent (snsapi_base), so the page simply reopens logged in.
 */
export async function requirePageUser(
  currentPathWithQuery: string,
  opts: LoginOptions = {},
): Promise<SessionUser> {
  const user = await currentUser();
  if (user && getTenancy().fitsPage(user, opts.corpId)) return user;
  redirect(loginPath(currentPathWithQuery, opts));
}

/** For route handlers: the user, or a 401 HttpError (`handle()` turns it into JSON). */
export async function requireApiUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw unauthorized();
  return user;
}

export function isAdmin(user: Pick<SessionUser, 'corpId' | 'userId'> | null | undefined): boolean {
  return !!user && getTenancy().isAdmin(user);
}
