import { KB_LIMITS } from '@/lib/kb/limits';
import { kbDeps, writeDocument } from '@/lib/kb/server';
import { listDocuments } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  documents: await listDocuments(await kbDeps(corp)),
  limits: KB_LIMITS,
}));

/** multipart/form-data with `file` (and optional `title`), or JSON `{ title?, question, answer }`. */
export const POST = route({ auth: 'admin-change', status: 201 }, async ({ corp, user, req }) => ({
  document: await writeDocument(req, await kbDeps(corp), user.userId),
}));
