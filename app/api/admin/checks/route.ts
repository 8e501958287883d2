import path from 'node:path';
import { checkDepsFor, runChecks } from '@/lib/checks';
import { getConfig } from '@/lib/config';
import { handle } from '@/lib/http';
import { getWecomFor } from '@/lib/wecom/tenant';
import { NO_STORE, requireAdmin } from '../_guard';

export const dynamic = 'force-dynamic';

/** Runs every configuration check live (same as `npm run doctor`). */
export const GET = handle(async () => {
  const { corpId } = await requireAdmin();
  const wecom = await getWecomFor(corpId);
  const report = await runChecks(checkDepsFor(getConfig(), wecom, path.join(process.cwd(), 'public')));
  return Response.json(report, { headers: NO_STORE });
});
