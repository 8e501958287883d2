import { z } from 'zod';
import { crmPanel } from '@/lib/crm/panel';
import { crmDeps, viewerOf } from '@/lib/crm/server';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });

/** The sidebar's CRM section: the member's tags and stage, the tag library, the pipeline, followers, groups. */
export const GET = route({ auth: 'user', params: Params }, async ({ corp, user, params }) =>
  crmPanel(await crmDeps(corp), viewerOf(user), params.id),
);
