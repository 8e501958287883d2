import 'server-only';
import { randomBytes } from 'node:crypto';
import { cookies } from 'next/headers';
import { getIronSession, type IronSession, type SessionOptions } from 'iron-session';
import { getConfig } from './config';
import { noteSignedIn } from './ops/request-context';
import { getStore } from './store';

export interface SessionUser {
  corpId: string;
  userId: string;
  name?: string;
  avatar?: string;
}

export interface SessionData {
  user?: SessionUser;
  /** This sign-in's id: logout revokes it on every instance (through the store). */
  sid?: string;
  /** When it was signed in (ms): an admin's "sign out everywhere" revokes every session of a member before then. */
  iat?: number;
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
interface Opened {
  user: SessionUser | null;
  sid?: string;
  iat?: number;
  until: number;
}
const opened = new Map<string, Opened>();

const revokedKey = (sid: string) => `session:revoked:${sid}`;
const revokedBeforeKey = (corpId: string, userId: string) => `session:revoked-before:${corpId}:${userId}`;

/** Signs a member in: a new session id, remembered in the sealed cookie. */
export async function startSession(session: IronSession<SessionData>, user: SessionUser): Promise<void> {
  session.user = user;
  session.sid = randomBytes(16).toString('base64url');
  session.iat = Date.now();
  await session.save();
}

/** Signs out: the session id is revoked for every instance until the cookie would have expired anyway. */
export async function endSession(session: IronSession<SessionData>): Promise<void> {
  if (session.sid) await getStore().set(revokedKey(session.sid), '1', SESSION_TTL_SECONDS * 1000);
  session.destroy();
}

/** An admin's action: every session of this member that exists now stops working on every instance. */
export async function revokeMemberSessions(corpId: string, userId: string): Promise<void> {
  await getStore().set(revokedBeforeKey(corpId, userId), String(Date.now()), SESSION_TTL_SECONDS * 1000);
}

/** Whether a session still counts: it has an id, was not signed out, and no admin revoked it since. */
async function stillValid(o: Opened): Promise<boolean> {
  if (!o.user || !o.sid || typeof o.iat !== 'number') return false;
  const store = getStore();
  const [revoked, before] = await Promise.all([
    store.get(revokedKey(o.sid)),
    store.get(revokedBeforeKey(o.user.corpId, o.user.userId)),
  ]);
  return revoked === null && !(before !== null && Number(before) >= o.iat);
}

/** The seal's expiry in ms (iron's 6th field), or undefined when the cookie is not a seal. */
function sealExpiry(seal: string): number | undefined {
  const expiration = Number(seal.split('~', 1)[0]?.split('*')[5]);
  return Number.isFinite(expiration) && expiration > 0 ? expiration : undefined;
}

/**
 * The signed-in user, or null. Pages redirect to login; route handlers answer 401. Every call asks the store
 * whether the session was revoked (logout, an admin), so a copied cookie stops working on every instance at once.
 * A rotated SESSION_SECRET makes every older cookie unreadable.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const seal = (await cookies()).get(sessionOptions().cookieName)?.value;
  const now = Date.now();
  let entry = seal ? opened.get(seal) : undefined;
  if (!entry || entry.until <= now) {
    const session = await getSession();
    entry = { user: session.user ?? null, sid: session.sid, iat: session.iat, until: 0 };
    const expiry = seal ? sealExpiry(seal) : undefined;
    if (seal && entry.user && expiry) {
      entry.until = Math.min(expiry, now + OPENED_TTL_MS);
      if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
      opened.set(seal, entry);
    }
  }
  if (!entry.user || !(await stillValid(entry))) return null;
  noteSignedIn(entry.user);
  return entry.user;
}
