import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { beginInstall, finishInstall, getSuite, openBase, SuiteError } from '@/lib/wecom/suite';
import { ensureDemoSuite } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

function back(params: Record<string, string>) {
  const url = new URL('/install', getConfig().appBaseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return NextResponse.redirect(url, 303);
}

/**
 * Without auth_code: start an install (test authorization in demo mode) and send the admin to WeCom's install
 * page. With auth_code (WeCom's redirect back): store the permanent code, then show the result page.
 */
export async function GET(req: Request) {
  const suite = getSuite();
  if (!suite) return new Response('Not Found', { status: 404 });
  const config = getConfig();
  const query = new URL(req.url).searchParams;
  try {
    await ensureDemoSuite();
    if (query.has('auth_code')) {
      const auth = await finishInstall(suite, {
        state: query.get('state'),
        authCode: query.get('auth_code'),
      });
      return back({ installed: auth.corpId });
    }
    const target = await beginInstall(suite, {
      openBase: openBase(),
      redirectUri: `${config.appBaseUrl}/api/wecom/suite/install`,
      // Unpublished apps can only be installed with test authorization (always in demo mode).
      authType: config.mode === 'demo' || process.env.WECOM_SUITE_TEST_AUTH === '1' ? 1 : 0,
    });
    return NextResponse.redirect(target, 302);
  } catch (err) {
    const code = err instanceof SuiteError ? err.code : 'failed';
    if (!(err instanceof SuiteError)) {
      console.warn('[suite] install failed:', err instanceof Error ? err.message : 'unknown');
    }
    return back({ error: code });
  }
}
