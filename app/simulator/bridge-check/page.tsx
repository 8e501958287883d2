import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import BridgeCheck from '@/components/simulator/BridgeCheck';
import { requirePageUser } from '@/lib/auth';
import { getConfig } from '@/lib/config';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'JS-SDK 自检 · Bridge check' };

/** Demo-only diagnostics: the unmodified @wecom/jssdk against the emulated client, step by step. */
export default async function BridgeCheckPage() {
  if (getConfig().mode !== 'demo') notFound();
  const user = await requirePageUser('/simulator/bridge-check', { inClient: true });
  return <BridgeCheck userId={user.userId} />;
}
