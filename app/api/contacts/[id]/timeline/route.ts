import { z } from 'zod';
import { requireAccess } from '@/lib/crm/followers';
import { crmDeps, viewerOf } from '@/lib/crm/server';
import { timelinePage } from '@/lib/crm/timeline';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });
const Query = z.object({ cursor: z.string().max(64).optional() });

/** The customer's timeline, newest first: `{ items, nextCursor }` (followers and admins). */
export const GET = route(
  { auth: 'user', params: Params, query: Query },
  async ({ corp, user, params, query }) => {
    const deps = await crmDeps(corp);
    const viewer = viewerOf(user);
    await requireAccess(deps, viewer, params.id, { write: false });
    return timelinePage(deps, viewer, params.id, query.cursor || null);
  },
);
