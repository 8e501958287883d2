import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { NotInWeComState } from '@/components/sidebar/States';
import { SidebarApp } from '@/components/sidebar/SidebarApp';
import styles from '@/components/sidebar/sidebar.module.css';
import { requirePageUser } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { pickLang } from '@/lib/http';
import type { JssdkSignatures } from '@/lib/wecom/jssdk';
import { isWecomClient } from '@/lib/wecom/oauth';
import { getWecomFor, signaturesForCorp } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '客户侧边栏 · Customer sidebar' };

type SearchParams = Record<string, string | string[] | undefined>;

function queryString(params: SearchParams): string {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) qs.append(key, v);
  }
  return qs.toString();
}

/**
 * The chat-toolbar page. The server signs its own URL and puts both JS-SDK signatures into the HTML, so after the
 * HTML the customer profile is the only request (the browser asks for signatures only after `invalid signature`
 * or when its URL differs from the one signed here).
 */
export default async function SidebarPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const config = getConfig();
  const h = await headers();
  const lang = pickLang(h.get('accept-language'));
  const demo = config.mode === 'demo';
  const userAgent = h.get('user-agent') ?? '';

  // A desktop browser opening the page directly (not the WeCom client, not an embedding frame such as the demo
  // simulator): signing in would only bounce through OAuth pages that cannot work there.
  if (!isWecomClient(userAgent) && h.get('sec-fetch-dest') === 'document') {
    return (
      <main className={styles.shell}>
        <NotInWeComState lang={lang} demo={demo} />
      </main>
    );
  }

  const params = await searchParams;
  const qs = queryString(params);
  const path = `/sidebar${qs ? `?${qs}` : ''}`;
  const corpid = typeof params.corpid === 'string' ? params.corpid : null;
  const user = await requirePageUser(path, { inClient: true, corpId: corpid });

  const url = `${config.appBaseUrl}${path}`;
  let initialSignatures: { url: string; pair: JssdkSignatures } | null = null;
  // Third-party mode: the signed-in member's corp and the app's agentid in that corp.
  let app = { corpId: config.corpId, agentId: config.agentId };
  try {
    initialSignatures = { url, pair: await signaturesForCorp(user.corpId, url) };
    app = { corpId: initialSignatures.pair.corpId, agentId: initialSignatures.pair.agentId };
  } catch {
    // The browser asks the signature endpoint itself and shows that error if it persists.
    if (config.suite)
      app = {
        corpId: user.corpId,
        agentId: (await getWecomFor(user.corpId).catch(() => null))?.agentId ?? '',
      };
  }

  return (
    <SidebarApp
      corpId={app.corpId}
      agentId={app.agentId}
      lang={lang}
      demo={demo}
      initialSignatures={initialSignatures}
    />
  );
}
