import { audienceMemberIds } from '@/lib/content/audience';
import { personOf } from '@/lib/crm/followers';
import { crmDeps } from '@/lib/crm/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** Members an admin may schedule a mass message for (visible range, 客户联系 on), with names where the API has them. */
export const GET = route({ auth: 'admin' }, async ({ corp }) => {
  const deps = await crmDeps(corp);
  const ids = await audienceMemberIds(corp.wecom);
  return {
    members: await Promise.all(ids.slice(0, 500).map((id) => personOf(deps, id))),
    truncated: ids.length > 500,
  };
});
