import { z } from 'zod';
import { getMediaInfo, readMedia } from '@/lib/content/media';
import { verifyCoverSignature } from '@/lib/content/media-public';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { HttpError } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9]{8,64}$/, '素材 id 无效 / invalid media id') });
const Query = z.object({
  corp: z.string().min(1).max(64),
  sig: z.string().min(1).max(64),
});

const notFound = () =>
  new HttpError(404, 'media_not_found', { zh: '素材不存在或已删除', en: 'That media no longer exists' });

/**
 * A reply's cover image for WeCom and WeChat, which fetch a mini-program card's imgUrl without a session: only
 * images, only with the URL's signature (GET /api/media/{id}/cover-url hands members that URL).
 */
export const GET = route({ auth: 'none', params: Params, query: Query }, async ({ params, query }) => {
  const config = getConfig();
  if (!verifyCoverSignature(config.sessionSecret, query.corp, params.id, query.sig)) throw notFound();
  const deps = { db: await getDb(), dataDir: config.dataDir };
  if ((await getMediaInfo(query.corp, params.id, deps)).kind !== 'image') throw notFound();
  const media = await readMedia(query.corp, params.id, deps);
  return new Response(media.bytes.slice(), {
    headers: {
      'content-type': media.contentType,
      'content-length': String(media.size),
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    },
  });
});
