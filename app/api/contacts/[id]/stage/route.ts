import { z } from 'zod';
import { setStage } from '@/lib/crm/pipeline';
import { crmDeps, viewerOf } from '@/lib/crm/server';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });
const Body = z.object({ stageId: z.string().min(1).max(128).nullable() });

/** Moves the customer to a pipeline stage (or clears it with null). */
export const PUT = route({ auth: 'user', params: Params, body: Body }, async ({ corp, user, params, body }) =>
  setStage(await crmDeps(corp), viewerOf(user), params.id, body.stageId),
);
