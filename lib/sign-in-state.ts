import 'server-only';
import { cookies } from 'next/headers';
import { sealData, unsealData } from 'iron-session';
import { getConfig } from './config';
import { sessionOptions } from './session';
import { newOAuthState, STATE_PATTERN } from './wecom/oauth';

/**
 * The one-time OAuth `state` of a sign-in lives in its own short-lived cookie, named after the state and sent
 * only to the callback. Several sign-ins of one browser at once (the toolbar and a workbench frame, two tabs)
 * therefore never overwrite each other, as a single "pending state" in the session cookie would.
 */
const PREFIX = 'wecom_oauth_';
const COOKIE_PATH = '/api/auth/callback';
const COOKIE_MAX_AGE_S = 10 * 60;

interface Pending {
  returnTo: string;
  createdAt: number;
}

export type SpentState =
  | { status: 'ok'; returnTo: string; createdAt: number }
  /** No sign-in is pending in this browser (already used, expired, or cookies lost). */
  | { status: 'unknown' }
  /** Sign-ins are pending, but none with this state. */
  | { status: 'mismatch' };

/** Starts a sign-in: a new random state, remembered (with where to return) for this browser only. */
export async function beginSignIn(returnTo: string): Promise<string> {
  const state = newOAuthState();
  const pending: Pending = { returnTo, createdAt: Date.now() };
  const seal = await sealData(pending, { password: getConfig().sessionSecret, ttl: 0 });
  (await cookies()).set(PREFIX + state, seal, {
    httpOnly: true,
    sameSite: 'lax',
    secure: sessionOptions().cookieOptions?.secure ?? false,
    path: COOKIE_PATH,
    maxAge: COOKIE_MAX_AGE_S,
  });
  return state;
}

/** Spends the state a callback carries: it works once, and only in the browser that started the sign-in. */
export async function spendSignIn(state: string): Promise<SpentState> {
  const jar = await cookies();
  const name = PREFIX + state;
  const seal = STATE_PATTERN.test(state) ? jar.get(name)?.value : undefined;
  if (!seal) {
    const othersPending = jar.getAll().some((c) => c.name.startsWith(PREFIX));
    return { status: othersPending ? 'mismatch' : 'unknown' };
  }
  jar.delete({ name, path: COOKIE_PATH });
  const pending = await unsealData<Partial<Pending>>(seal, {
    password: getConfig().sessionSecret,
    ttl: 0,
  }).catch(() => ({}) as Partial<Pending>);
  if (typeof pending.returnTo !== 'string' || typeof pending.createdAt !== 'number')
    return { status: 'unknown' };
  return { status: 'ok', returnTo: pending.returnTo, createdAt: pending.createdAt };
}
