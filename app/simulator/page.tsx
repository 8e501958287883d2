import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import Simulator from '@/components/simulator/Simulator';
import { getConfig } from '@/lib/config';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '企业微信模拟器 · WeCom simulator' };

/** Only same-origin paths may be shown in the toolbar slot. */
function panelPath(value: string | string[] | undefined): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/sidebar';
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
      thirdParty={!!config.suite}
    />
  );
}
