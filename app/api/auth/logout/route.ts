import { getConfig } from '@/lib/config';
import { forbidden, handle } from '@/lib/http';
import { getSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Another site must not be able to sign our users out (a cross-site form post still receives Set-Cookie). */
function isSameOrigin(req: Request): boolean {
  if (req.headers.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.headers.get('origin');
  if (origin === null) return true;
  return origin === new URL(getConfig().appBaseUrl).origin || origin === new URL(req.url).origin;
}

/** Clears the session; JSON for fetch callers, otherwise 303 to the home page. */
export const POST = handle(async (req) => {
  if (!isSameOrigin(req)) {
    throw forbidden({
      zh: '拒绝来自其他站点的退出请求',
      en: 'Sign-out requests from other sites are refused',
    });
  }
  const session = await getSession();
  session.destroy();
  const accept = req.headers.get('accept') ?? '';
  if (accept.includes('application/json')) {
    return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  }
  return new Response(null, { status: 303, headers: { location: '/', 'cache-control': 'no-store' } });
});
