import { listMedia, readUpload, saveMedia } from '@/lib/content/media';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The corp's uploaded media, newest first. */
export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  items: await listMedia(corp.id, { db: await getDb() }),
}));

/**
 * Upload (multipart, field `file`; optional `kind` image | video | file): images JPG/PNG ≤ 10 MB, videos MP4
 * ≤ 10 MB, files ≤ 20 MB; 413/415 otherwise. → 201 `{ id, kind, filename, size }`.
 */
export const POST = route({ auth: 'admin-change', status: 201 }, async ({ req, corp, user }) => {
  const upload = await readUpload(req);
  const media = await saveMedia(corp.id, user.userId, upload, {
    db: await getDb(),
    dataDir: getConfig().dataDir,
  });
  return { id: media.id, kind: media.kind, filename: media.filename, size: media.size };
});
