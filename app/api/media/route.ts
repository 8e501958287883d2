import { listMedia } from '@/lib/content/media';
import { getDb } from '@/lib/db';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/**
 * The corp's media library, read-only, for members attaching an image, video or file to a message (newest first).
 * Uploading stays with admins (POST /api/admin/media).
 */
export const GET = route({ auth: 'user' }, async ({ corp }) => ({
  items: await listMedia(corp.id, { db: await getDb() }),
}));
