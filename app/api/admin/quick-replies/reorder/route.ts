import { z } from 'zod';
import { reorderQuickReplies, ReorderSchema } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** `{ ids: [...] }` (or the array itself) — the new order, first to last; ids not listed follow. */
const Body = z.union([z.object({ ids: ReorderSchema }), ReorderSchema.transform((ids) => ({ ids }))]);

export const PUT = route({ auth: 'admin-change', body: Body }, async ({ corp, body }) => ({
  items: await reorderQuickReplies(body.ids, { corpId: corp.id }),
}));

export const POST = PUT;
