import 'server-only';
import { getConfig } from '../config';
import { getStore } from '../store';
import { getWecom } from '../wecom';
import { getSuite } from '../wecom/suite';
import { ensureDemoSuite } from '../wecom/tenant';
import { isShuttingDown } from './shutdown';

/** The parts that must work before this instance takes traffic. Names only; never a configuration value. */
export type ReadinessPart = 'shutdown' | 'store' | 'database' | 'schema' | 'wecom';

export interface Readiness {
  ready: boolean;
  checks: Partial<Record<ReadinessPart, 'ok' | 'failed'>>;
  failing: ReadinessPart[];
}

const CHECK_TIMEOUT_MS = 3000;

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** WeCom credentials usable: a self-built app's access token (from the cache, or fetched once); a suite's ticket. */
async function wecomUsable(): Promise<void> {
  const suite = getSuite();
  if (!suite) {
    await getWecom().tokens.getAccessToken();
    return;
  }
  if (getConfig().mode === 'demo') await ensureDemoSuite();
  if (!(await suite.suiteTicket())) throw new Error('no suite_ticket yet');
}

const extraChecks: { part: ReadinessPart; run: () => Promise<void> }[] = [];

/** Lets the data layer add its checks (database reachable, schema current) without this module knowing it. */
export function addReadinessCheck(part: ReadinessPart, run: () => Promise<void>): void {
  const i = extraChecks.findIndex((c) => c.part === part);
  if (i >= 0) extraChecks.splice(i, 1);
  extraChecks.push({ part, run });
}

export async function readiness(): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  if (isShuttingDown()) {
    checks.shutdown = 'failed';
    return { ready: false, checks, failing: ['shutdown'] };
  }
  const all: { part: ReadinessPart; run: () => Promise<unknown> }[] = [
    { part: 'store', run: () => getStore().get('wecom:ready:probe') },
    ...extraChecks,
  ];
  await Promise.all(
    all.map(async ({ part, run }) => {
      checks[part] = await within(CHECK_TIMEOUT_MS, run()).then(
        () => 'ok' as const,
        () => 'failed' as const,
      );
    }),
  );
  // Credentials come from the store: check them only when it answers.
  checks.wecom =
    checks.store === 'ok'
      ? await within(CHECK_TIMEOUT_MS, wecomUsable()).then(
          () => 'ok' as const,
          () => 'failed' as const,
        )
      : 'failed';
  const failing = (Object.keys(checks) as ReadinessPart[]).filter((p) => checks[p] === 'failed');
  return { ready: failing.length === 0, checks, failing };
}
