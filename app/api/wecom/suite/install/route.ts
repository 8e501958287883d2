import { sealData } from 'iron-session';
import { z } from 'zod';
import { currentUser, isAdmin } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { redirect, route } from '@/lib/route';
import { beginInstall, finishInstall, openBase, SuiteError } from '@/lib/wecom/suite';
import { ensureDemoSuite, requireSuite } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

function back(params: Record<string, string>): Response {
  const url = new URL('/install', getConfig().appBaseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return redirect(url, 303);
}

const INSTALL_RESULT_TTL_S = 10 * 60;

const Query = z.object({ auth_code: z.string().optional(), state: z.string().optional() });

/**
 * Without auth_code: start an install (test authorization in demo mode) and send the admin to WeCom's install
 * page. With auth_code (WeCom's redirect back): store the permanent code, then show the result page. The admin
 * is a browser on a navigation: failures go back to /install, which explains them (SuiteError codes).
 */
export const GET = route(
  {
    auth: 'none',
    query: Query,
    errors: (err) => back({ error: err.code.replace(/^suite_/, '').replaceAll('_', '-') }),
  },
  async ({ query }) => {
    const suite = requireSuite();
    const config = getConfig();
    // Each start costs WeCom calls and a stored state: only a signed-in admin may start one.
    if (query.auth_code === undefined && !isAdmin(await currentUser()))
      throw new SuiteError('install-admin-required');
    await ensureDemoSuite();
    if (query.auth_code !== undefined) {
      const auth = await finishInstall(suite, { state: query.state ?? null, authCode: query.auth_code });
      // The outcome travels sealed: only this redirect's holder sees which corp installed (never ?installed=<id>).
      const result = await sealData(
        { corpName: auth.corpName },
        { password: config.sessionSecret, ttl: INSTALL_RESULT_TTL_S },
      );
      return back({ result });
    }
    const target = await beginInstall(suite, {
      openBase: openBase(),
      redirectUri: `${config.appBaseUrl}/api/wecom/suite/install`,
      // Unpublished apps can only be installed with test authorization (always in demo mode).
      authType: config.mode === 'demo' || process.env.WECOM_SUITE_TEST_AUTH === '1' ? 1 : 0,
    });
    return redirect(target, 302);
  },
);
