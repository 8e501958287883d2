import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import Simulator from '@/components/simulator/Simulator';
import { safeReturnTo } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { getTenancy } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '企业微信模拟器 · WeCom simulator' };

/**
 * Only paths of this origin may be shown in the toolbar slot: the same check as a sign-in's returnTo (no
 * `//host`, backslashes, tabs or newlines that browsers drop, dot segments that normalise into `//host`).
 */
function panelPath(value: string | string[] | undefined): string {
  const path = safeReturnTo(value);
  return path === '/' ? '/sidebar' : path;
}

export default async function SimulatorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const config = getConfig();
  if (config.mode !== 'demo') notFound();
  const params = await searchParams;
  return (
    <Simulator
      sidebarPath={panelPath(params.panel)}
      initialPhone={params.view === 'phone'}
      thirdParty={getTenancy().servesManyCorps}
    />
  );
}
