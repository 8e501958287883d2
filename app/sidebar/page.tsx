import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Suspense } from 'react';
import { preload } from 'react-dom';
import sdkPackage from '@wecom/jssdk/package.json';
import { messages } from '@/components/sidebar/i18n';
import type { Lang } from '@/lib/bilingual';
import { NotInWeComState } from '@/components/sidebar/States';
import { SidebarApp } from '@/components/sidebar/SidebarApp';
import styles from '@/components/sidebar/sidebar.module.css';
import { Skeleton } from '@/components/ui/Skeleton';
import { requirePageUser } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { pickLang, publicError } from '@/lib/http';
import { BOOT_SCRIPT_PATH, bootData, bootVersion } from '@/lib/jssdk-client/boot';
import type { InitialSignatures } from '@/lib/jssdk-client/signatures';
import type { JssdkSignatures } from '@/lib/wecom/jssdk';
import { isWecomClient } from '@/lib/wecom/oauth';
import { getWecomFor, signaturesForCorp } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

const BOOT_SRC = `${BOOT_SCRIPT_PATH}?v=${bootVersion(sdkPackage.version)}`;

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
 * or when its URL differs from the one signed here). An inline boot script walks the critical path (register →
 * context → profile fetch) while the page's JavaScript loads; the page takes its results over.
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
  const nonce = h.get('x-nonce') ?? undefined;
  // The boot script's download starts with the shell, not when the signed part streams in (it is cached for a
  // year, so a page that ends up without signatures loses nothing).
  preload(BOOT_SRC, { as: 'script', fetchPriority: 'high', nonce });

  // The shell and a skeleton go out at once; what needs WeCom (the signatures) streams in when it is ready.
  return (
    <Suspense
      fallback={
        <main className={styles.shell} data-phase="signing">
          <Skeleton label={messages(lang).connecting} />
        </main>
      }
    >
      <SignedSidebar
        corpId={user.corpId}
        url={`${config.appBaseUrl}${path}`}
        lang={lang}
        demo={demo}
        nonce={nonce}
      />
    </Suspense>
  );
}

/**
 * The part that waits for WeCom: both signatures within one budget. With them, the boot script starts
 * registration, the context calls and the profile fetch before the page's JavaScript loads; without them, the
 * page shows what went wrong (with a way to retry) instead of waiting any longer.
 */
async function SignedSidebar({
  corpId,
  url,
  lang,
  demo,
  nonce,
}: {
  corpId: string;
  url: string;
  lang: Lang;
  demo: boolean;
  /** This request's CSP nonce (set by the production server), for the boot script. */
  nonce?: string;
}) {
  let initial: InitialSignatures;
  let pair: JssdkSignatures | undefined;
  // The signed-in member's corp and the app's agentid in that corp (a third-party app's differs per corp).
  let app = { corpId, agentId: '' };
  try {
    pair = await signaturesForCorp(corpId, url);
    initial = { url, pair };
    app = { corpId: pair.corpId, agentId: pair.agentId };
  } catch (err) {
    const pub = publicError(err);
    initial = { url, error: { status: pub.status, code: pub.code, message: pub.userMessage } };
    const wecom = await getWecomFor(corpId).catch(() => null);
    if (wecom) app = { corpId: wecom.corpId, agentId: wecom.agentId };
  }

  return (
    <>
      <SidebarApp
        corpId={app.corpId}
        agentId={app.agentId}
        lang={lang}
        demo={demo}
        initialSignatures={initial}
      />
      {pair ? (
        // Async: React puts it in <head>, and it runs as soon as it has downloaded.
        <script
          async
          fetchPriority="high"
          nonce={nonce}
          src={BOOT_SRC}
          data-boot={bootData({ ...app, url, pair })}
        />
      ) : null}
    </>
  );
}
