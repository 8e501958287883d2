import { z } from 'zod';
import { reorderQuickReplies } from '@/lib/quick-replies';
import { badRequest, handle } from '@/lib/http';
import { adminJson, NO_STORE, requireAdminChange } from '../../_guard';

export const dynamic = 'force-dynamic';

const Body = z.object({ ids: z.array(z.string()) });

/** `{ ids: [...] }` — the new order, first to last. */
export const POST = handle(async (req) => {
  const parsed = Body.safeParse(await adminJson(req));
  const { corpId } = await requireAdminChange(req);
  if (!parsed.success) {
    throw badRequest('invalid_order', { zh: '需要 { ids: string[] }', en: 'Expected { ids: string[] }' });
  }
  return Response.json(
    { items: await reorderQuickReplies(parsed.data.ids, { corpId }) },
    { headers: NO_STORE },
  );
});
