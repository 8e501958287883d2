import path from 'node:path';
import { checkDepsFor, runChecks } from '@/lib/checks';
import { getConfig } from '@/lib/config';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** Runs every configuration check live (same as `npm run doctor`). */
export const GET = route({ auth: 'admin' }, ({ corp }) =>
  runChecks(checkDepsFor(getConfig(), corp.wecom, path.join(process.cwd(), 'public'))),
);
