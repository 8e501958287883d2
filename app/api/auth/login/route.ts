import { z } from 'zod';
import { safeReturnTo } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { pickLang, type HttpError } from '@/lib/http';
import { redirect, route } from '@/lib/route';
import { beginSignIn } from '@/lib/sign-in-state';
import { isWecomClient } from '@/lib/wecom/oauth';
import { getTenancy } from '@/lib/wecom/tenant';
import { authPageResponse } from '../auth-page';

export const dynamic = 'force-dynamic';

const Query = z.object({
  returnTo: z.string().optional().transform(safeReturnTo),
  scope: z.enum(['base', 'privateinfo']).catch('base').default('base'),
  client: z.string().optional(),
});

/**
 * Starts sign-in: a one-time state in the session, then WeCom. Inside the client (user agent `wxwork/`, or
 * `client=1` from pages that only run there) the in-client OAuth signs in silently; a PC browser gets the web login.
 */
export const GET = route(
  { auth: 'none', query: Query, errors: unavailable, limit: 'sign-in' },
  async ({ req, query }) => {
    const config = getConfig();
    const state = await beginSignIn(query.returnTo);

    const target = await getTenancy().signInUrl({
      inClient: query.client === '1' || isWecomClient(req.headers.get('user-agent')),
      redirectUri: `${config.appBaseUrl}/api/auth/callback`,
      state,
      lang: pickLang(req.headers.get('accept-language')),
      privateInfo: query.scope === 'privateinfo',
    });
    return redirect(target, 302);
  },
);

function unavailable(err: HttpError): Response {
  if (err.status === 429) {
    const res = authPageResponse({
      status: 429,
      code: 'rate-limited',
      title: { zh: '登录尝试过于频繁', en: 'Too many sign-in attempts' },
      detail: err.userMessage,
      retryHref: '/api/auth/login',
    });
    for (const [name, value] of Object.entries(err.headers ?? {})) res.headers.set(name, value);
    return res;
  }
  return authPageResponse({
    status: 500,
    code: 'login-unavailable',
    title: { zh: '暂时无法登录', en: 'Sign-in is unavailable' },
    detail: {
      zh: '服务器未能发起企业微信登录，请稍后重试；如持续出现，请联系管理员检查应用配置。',
      en: 'The server could not start the WeCom sign-in. Try again later; if it persists, ask your admin to check the app configuration.',
    },
    retryHref: '/api/auth/login',
  });
}
