import 'server-only';
import { cookies } from 'next/headers';
import { getIronSession, type IronSession, type SessionOptions } from 'iron-session';
import { getConfig } from './config';

export interface SessionUser {
  corpId: string;
  userId: string;
  name?: string;
  avatar?: string;
}

export interface SessionData {
  user?: SessionUser;
  /** One-time OAuth state and where to go after login; cleared by the callback. */
  oauth?: { state: string; returnTo: string; createdAt: number };
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

/** The signed-in user, or null. Pages redirect to login; route handlers answer 401. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getSession();
  return session.user ?? null;
}
