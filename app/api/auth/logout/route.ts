import { route, redirect } from '@/lib/route';
import { endSession, getSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

/**
 * Ends the session on every instance (its id is revoked in the store, so a copied cookie stops working too);
 * JSON for fetch callers, otherwise 303 to the home page. Another site must not be able to
 * sign our users out (a cross-site form post still receives Set-Cookie), hence `sameOrigin`.
 */
export const POST = route({ auth: 'none', sameOrigin: true }, async ({ req }) => {
  await endSession(await getSession());
  const accept = req.headers.get('accept') ?? '';
  return accept.includes('application/json') ? { ok: true } : redirect('/', 303);
});
