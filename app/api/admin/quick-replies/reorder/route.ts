import { z } from 'zod';
import { reorderQuickReplies, ReorderSchema } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** `{ ids: [...] }` — the new order, first to last. */
export const POST = route(
  { auth: 'admin-change', body: z.object({ ids: ReorderSchema }) },
  async ({ corp, body }) => ({ items: await reorderQuickReplies(body.ids, { corpId: corp.id }) }),
);
