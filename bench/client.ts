import { gzipSync } from 'node:zlib';
import { WECOM_UA } from './browser';

export const TOKEN_AND_TICKET_APIS = ['gettoken', 'get_jsapi_ticket', 'ticket/get'] as const;

export function sumOf(counters: Record<string, number>, keys?: readonly string[]): number {
  return Object.entries(counters)
    .filter(([k]) => !keys || keys.includes(k))
    .reduce((acc, [, v]) => acc + v, 0);
}

function cookiePairs(res: Response): [string, string][] {
  return res.headers.getSetCookie().map((c) => {
    const pair = c.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
  });
}

/**
 * Signs in the way the WeCom client does (in-client OAuth through the emulator, following every redirect) and
 * returns the app's Cookie header.
 */
export async function login(appUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  const appOrigin = new URL(appUrl).origin;
  let url = new URL('/api/auth/login?returnTo=/&client=1', appUrl);
  for (let hop = 0; hop < 10; hop++) {
    const sameOrigin = url.origin === appOrigin;
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { 'user-agent': WECOM_UA, ...(sameOrigin && cookie ? { cookie } : {}) },
    });
    await res.arrayBuffer();
    if (sameOrigin) for (const [k, v] of cookiePairs(res)) jar.set(k, v);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      if (url.origin === appOrigin && url.pathname === '/') break;
      continue;
    }
    if (res.status >= 400) throw new Error(`sign-in failed at ${url.pathname}: HTTP ${res.status}`);
    break;
  }
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const session = await fetch(new URL('/api/session', appUrl), { headers: { cookie } });
  const body = (await session.json().catch(() => ({}))) as { user?: { userId?: string } };
  if (!body.user?.userId) throw new Error(`sign-in did not produce a session (${session.status})`);
  return cookie;
}

export interface OpenResult {
  ok: boolean;
  htmlBytes: number;
  profile?: Record<string, unknown>;
}

/** One sidebar open as the client makes it: the server-rendered page, then the customer's profile. */
export async function sidebarOpen(
  appUrl: string,
  cookie: string,
  externalUserId: string,
): Promise<OpenResult> {
  const headers = { cookie, 'user-agent': WECOM_UA };
  const page = await fetch(`${appUrl}/sidebar`, { headers, redirect: 'manual' });
  const html = await page.text();
  const contact = await fetch(`${appUrl}/api/contacts/${externalUserId}`, { headers });
  const profile = contact.ok ? ((await contact.json()) as Record<string, unknown>) : undefined;
  if (!contact.ok) await contact.arrayBuffer();
  return { ok: page.status === 200 && contact.ok, htmlBytes: Buffer.byteLength(html), profile };
}

/** The JavaScript a page's HTML asks for (scripts and script preloads under /_next/): files and gzip bytes. */
export async function htmlScriptsGzip(
  pageUrl: string,
): Promise<{ files: number; rawBytes: number; gzipBytes: number }> {
  const html = await (await fetch(pageUrl)).text();
  const paths = new Set([...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+\.js)"/g)].map((m) => m[1]!));
  const bodies = await Promise.all(
    [...paths].map(async (p) => Buffer.from(await (await fetch(new URL(p, pageUrl))).arrayBuffer())),
  );
  return {
    files: bodies.length,
    rawBytes: bodies.reduce((a, b) => a + b.length, 0),
    gzipBytes: bodies.reduce((a, b) => a + gzipSync(b).length, 0),
  };
}
