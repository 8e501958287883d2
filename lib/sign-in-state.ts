import 'server-only';
import { cookies } from 'next/headers';
import { sealData, unsealData } from 'iron-session';
import { getConfig } from './config';
import { sessionOptions } from './session';
import { getStore } from './store';
import { newOAuthState, STATE_PATTERN } from './wecom/oauth';

/**
 * The one-time OAuth `state` of a sign-in lives in its own short-lived cookie, named after the state and sent
 * only to the sign-in routes. Several sign-ins of one browser at once (the toolbar and a workbench frame, two
 * tabs) therefore never overwrite each other, as a single "pending state" in the session cookie would. At most
 * MAX_PENDING are kept (a new sign-in drops the oldest), so abandoned sign-ins never fill the browser's cookie
 * budget. The server also remembers each state and spends it once (shared by every instance through the store),
 * so a client that keeps its cookie cannot replay a callback.
 */
const PREFIX = 'wecom_oauth_';
const COOKIE_PATH = '/api/auth';
const COOKIE_MAX_AGE_S = 10 * 60;
const MAX_PENDING = 4;
const stateKey = (state: string) => `signin:state:${state}`;

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
  const password = getConfig().sessionSecret;
  const seal = await sealData(pending, { password, ttl: 0 });
  const jar = await cookies();
  // Keep the newest MAX_PENDING - 1 pending sign-ins of this browser beside the new one.
  const others = jar.getAll().filter((c) => c.name.startsWith(PREFIX));
  if (others.length >= MAX_PENDING) {
    const aged = await Promise.all(
      others.map(async (c) => {
        const p = await unsealData<Partial<Pending>>(c.value, { password, ttl: 0 }).catch(
          (): Partial<Pending> => ({}),
        );
        return { name: c.name, createdAt: typeof p.createdAt === 'number' ? p.createdAt : 0 };
      }),
    );
    aged.sort((a, b) => a.createdAt - b.createdAt);
    for (const c of aged.slice(0, others.length - MAX_PENDING + 1))
      jar.delete({ name: c.name, path: COOKIE_PATH });
  }
  await getStore().set(stateKey(state), '1', COOKIE_MAX_AGE_S * 1000);
  jar.set(PREFIX + state, seal, {
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
  // Spent once on the server, whatever the browser still holds: the first claim wins on every instance.
  const store = getStore();
  const claimed = await store.tryLock(`${stateKey(state)}:spent`, COOKIE_MAX_AGE_S * 1000);
  if (!claimed || (await store.get(stateKey(state))) === null) return { status: 'unknown' };
  await store.delete(stateKey(state));
  const pending = await unsealData<Partial<Pending>>(seal, {
    password: getConfig().sessionSecret,
    ttl: 0,
  }).catch(() => ({}) as Partial<Pending>);
  if (typeof pending.returnTo !== 'string' || typeof pending.createdAt !== 'number')
    return { status: 'unknown' };
  return { status: 'ok', returnTo: pending.returnTo, createdAt: pending.createdAt };
}
