import { z } from 'zod';
import { createCategory, listCategories } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The corp's reply categories, in order → `{ items: ReplyCategory[] }`. */
export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  items: await listCategories({ corpId: corp.id }),
}));

/** `{ name }` → 201 `{ item }` (last in the order). */
export const POST = route(
  { auth: 'admin-change', body: z.unknown(), status: 201 },
  async ({ corp, body }) => ({ item: await createCategory(body, { corpId: corp.id }) }),
);
