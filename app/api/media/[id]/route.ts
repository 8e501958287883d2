import { z } from 'zod';
import { readMedia } from '@/lib/content/media';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9]{8,64}$/, '素材 id 无效 / invalid media id') });

/** An uploaded original, for previews in the sidebar and admin (members of its corp only). */
export const GET = route({ auth: 'user', params: Params }, async ({ corp, params }) => {
  const media = await readMedia(corp.id, params.id, { db: await getDb(), dataDir: getConfig().dataDir });
  return new Response(media.bytes.slice(), {
    headers: {
      'content-type': media.contentType,
      'content-length': String(media.size),
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(media.filename)}`,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  });
});
