import 'server-only';
import { cookies } from 'next/headers';
import { getIronSession, type IronSession, type SessionOptions } from 'iron-session';
import { getConfig } from './config';
import { noteSignedIn } from './ops/request-context';

export interface SessionUser {
  corpId: string;
  userId: string;
  name?: string;
  avatar?: string;
}

export interface SessionData {
  user?: SessionUser;
}

export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export function sessionOptions(): SessionOptions {
  const config = getConfig();
  return {
    cookieName: 'wecom_sidebar_session',
    password: config.sessionSecret,
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: {
      httpOnly: true,
      secure: config.production && config.appBaseUrl.startsWith('https:'),
      sameSite: 'lax',
      path: '/',
    },
  };
}

export async function getSession(): Promise<IronSession<SessionData>> {
  const store = await cookies();
  const options = sessionOptions();
  try {
    return await getIronSession<SessionData>(store, options);
  } catch {
    // Some tampered seals make iron-session throw instead of returning an empty session. A cookie we cannot
    // open is simply no session (never a 500); the next save() overwrites it.
    const withoutSeal = {
      get: (name: string) => (name === options.cookieName ? undefined : store.get(name)),
      set: store.set.bind(store),
    } as typeof store;
    return getIronSession<SessionData>(withoutSeal, options);
  }
}

// Opening a seal costs two key derivations, a decryption and an HMAC. A seal never changes what it holds, so the
// user read from it is remembered briefly (bounded, and never past the seal's own expiry).
const OPENED_MAX = 1000;
const OPENED_TTL_MS = 60_000;
const opened = new Map<string, { user: SessionUser | null; until: number }>();

/** The seal's expiry in ms (iron's 6th field), or undefined when the cookie is not a seal. */
function sealExpiry(seal: string): number | undefined {
  const expiration = Number(seal.split('~', 1)[0]?.split('*')[5]);
  return Number.isFinite(expiration) && expiration > 0 ? expiration : undefined;
}

/** The signed-in user, or null. Pages redirect to login; route handlers answer 401. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const seal = (await cookies()).get(sessionOptions().cookieName)?.value;
  const now = Date.now();
  const hit = seal ? opened.get(seal) : undefined;
  if (hit && hit.until > now) {
    if (hit.user) noteSignedIn(hit.user);
    return hit.user;
  }
  const session = await getSession();
  const user = session.user ?? null;
  if (user) noteSignedIn(user);
  const expiry = seal ? sealExpiry(seal) : undefined;
  if (seal && user && expiry) {
    if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
    opened.set(seal, { user, until: Math.min(expiry, now + OPENED_TTL_MS) });
  }
  return user;
}
