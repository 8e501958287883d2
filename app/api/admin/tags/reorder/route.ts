import { z } from 'zod';
import { crmDeps } from '@/lib/crm/server';
import { reorder } from '@/lib/crm/tags';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Body = z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(200) });

/** Orders groups (or the tags of one group) as listed: the first comes first in WeCom. */
export const POST = route({ auth: 'admin-change', body: Body }, async ({ corp, body }) => {
  await reorder(await crmDeps(corp), body.ids);
});
