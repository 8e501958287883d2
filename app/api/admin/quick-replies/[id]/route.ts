import { z } from 'zod';
import { deleteQuickReply, updateQuickReply } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(64) });

/** The change is validated by lib/quick-replies (its messages name each field). */
export const PATCH = route(
  { auth: 'admin-change', params: Params, body: z.unknown() },
  async ({ corp, params, body }) => ({ item: await updateQuickReply(params.id, body, { corpId: corp.id }) }),
);

export const DELETE = route({ auth: 'admin-change', params: Params }, async ({ corp, params }) => {
  await deleteQuickReply(params.id, { corpId: corp.id });
});
