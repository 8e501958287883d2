import { route, redirect } from '@/lib/route';
import { getSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

/**
 * Clears the session; JSON for fetch callers, otherwise 303 to the home page. Another site must not be able to
 * sign our users out (a cross-site form post still receives Set-Cookie), hence `sameOrigin`.
 */
export const POST = route({ auth: 'none', sameOrigin: true }, async ({ req }) => {
  const session = await getSession();
  session.destroy();
  const accept = req.headers.get('accept') ?? '';
  return accept.includes('application/json') ? { ok: true } : redirect('/', 303);
});
