import { createQuickReply, listQuickReplies } from '@/lib/quick-replies';
import { handle } from '@/lib/http';
import { adminJson, NO_STORE, requireAdmin } from '../_guard';

export const dynamic = 'force-dynamic';

export const GET = handle(async () => {
  const { corpId } = await requireAdmin();
  return Response.json({ items: await listQuickReplies({ corpId }) }, { headers: NO_STORE });
});

export const POST = handle(async (req) => {
  const body = await adminJson(req);
  const { corpId } = await requireAdmin();
  return Response.json(
    { item: await createQuickReply(body, { corpId }) },
    { status: 201, headers: NO_STORE },
  );
});
