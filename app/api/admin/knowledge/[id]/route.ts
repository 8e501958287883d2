import { z } from 'zod';
import { kbDeps, writeDocument } from '@/lib/kb/server';
import { deleteDocument, getDocument } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.coerce.number().int().positive('文档 ID 无效 / Invalid document id') });

export const GET = route({ auth: 'admin', params: Params }, async ({ corp, params }) => ({
  document: await getDocument(await kbDeps(corp), params.id),
}));

/** Replaces the document's content (a new file, or the Q&A pair) and re-indexes it. */
export const PUT = route({ auth: 'admin-change', params: Params }, async ({ corp, user, params, req }) => ({
  document: await writeDocument(req, await kbDeps(corp), user.userId, params.id),
}));

export const DELETE = route({ auth: 'admin-change', params: Params }, async ({ corp, params }) => {
  await deleteDocument(await kbDeps(corp), params.id);
});
