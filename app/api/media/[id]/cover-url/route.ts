import { z } from 'zod';
import { getMediaInfo } from '@/lib/content/media';
import { publicCoverUrl } from '@/lib/content/media-public';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { HttpError } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9]{8,64}$/, '素材 id 无效 / invalid media id') });

/** The public URL of one of the corp's images, as a mini-program card's cover (imgUrl). → `{ url }` */
export const GET = route({ auth: 'user', params: Params }, async ({ corp, params }) => {
  const config = getConfig();
  const media = await getMediaInfo(corp.id, params.id, { db: await getDb(), dataDir: config.dataDir });
  if (media.kind !== 'image')
    throw new HttpError(400, 'media_kind_mismatch', {
      zh: '封面必须是图片',
      en: 'A cover must be an image',
    });
  return {
    url: publicCoverUrl({
      baseUrl: config.appBaseUrl,
      secret: config.sessionSecret,
      corpId: corp.id,
      id: media.id,
    }),
  };
});
