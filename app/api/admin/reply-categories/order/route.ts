import { z } from 'zod';
import { CategoryOrderSchema, orderCategories } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** `{ ids: [...] }` (or the array itself) — the new order; categories not listed follow. → `{ items }`. */
const Body = z.union([
  z.object({ ids: CategoryOrderSchema }),
  CategoryOrderSchema.transform((ids) => ({ ids })),
]);

export const PUT = route({ auth: 'admin-change', body: Body }, async ({ corp, body }) => ({
  items: await orderCategories(body.ids, { corpId: corp.id }),
}));
