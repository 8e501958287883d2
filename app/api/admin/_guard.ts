import 'server-only';
import { isAdmin, requireApiUser } from '@/lib/auth';
import type { SessionUser } from '@/lib/session';
import { badRequest, forbidden, HttpError } from '@/lib/http';

export const NO_STORE = { 'cache-control': 'no-store, private' };

/** The signed-in admin (401 when signed out, 403 when not in ADMIN_USERIDS). */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireApiUser();
  if (!isAdmin(user)) {
    throw forbidden({
      zh: '仅管理员（ADMIN_USERIDS）可以访问',
      en: 'Only admins (ADMIN_USERIDS) may do this',
    });
  }
  return user;
}

/**
 * For changes: a JSON body from our own pages. Cross-site requests cannot send `application/json` without a
 * preflight we never answer, and browsers mark them with Sec-Fetch-Site, so admin cookies cannot be ridden.
 */
export async function requireAdminChange(req: Request): Promise<SessionUser> {
  const user = await requireAdmin();
  if (req.headers.get('sec-fetch-site') === 'cross-site') {
    throw forbidden({ zh: '拒绝跨站请求', en: 'Cross-site request refused' });
  }
  return user;
}

/** requireAdminChange + the parsed JSON body. */
export async function adminJson(req: Request): Promise<unknown> {
  await requireAdminChange(req);
  if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', {
      zh: '请求体必须是 JSON',
      en: 'The request body must be JSON',
    });
  }
  try {
    return await req.json();
  } catch {
    throw badRequest('invalid_json', {
      zh: '请求体不是有效的 JSON',
      en: 'The request body is not valid JSON',
    });
  }
}
