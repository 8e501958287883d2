import { deleteQuickReply, updateQuickReply } from '@/lib/quick-replies';
import { handle } from '@/lib/http';
import { adminJson, NO_STORE, requireAdminChange } from '../../_guard';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = handle<Ctx>(async (req, { params }) => {
  const body = await adminJson(req);
  const { corpId } = await requireAdminChange(req);
  const { id } = await params;
  return Response.json({ item: await updateQuickReply(id, body, { corpId }) }, { headers: NO_STORE });
});

export const DELETE = handle<Ctx>(async (req, { params }) => {
  const { corpId } = await requireAdminChange(req);
  const { id } = await params;
  await deleteQuickReply(id, { corpId });
  return new Response(null, { status: 204, headers: NO_STORE });
});
