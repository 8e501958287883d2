import { z } from 'zod';
import { deleteCategory, updateCategory } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(64) });

/** `{ name }` → `{ item }`. */
export const PATCH = route(
  { auth: 'admin-change', params: Params, body: z.unknown() },
  async ({ corp, params, body }) => ({ item: await updateCategory(params.id, body, { corpId: corp.id }) }),
);

/** Its replies stay, without a category. */
export const DELETE = route({ auth: 'admin-change', params: Params }, async ({ corp, params }) => {
  await deleteCategory(params.id, { corpId: corp.id });
});
