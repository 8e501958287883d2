import { z } from 'zod';
import { sendableMediaId } from '@/lib/content/media';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { route } from '@/lib/route';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9]{8,64}$/, '素材 id 无效 / invalid media id') });
const Body = z
  .object({
    /** A media_id the client refused (`invalid mediaid`): upload the original again, once. */
    stale: z.string().min(1).max(256).optional(),
  })
  .strict();

/**
 * The corp's WeCom media_id for one of its media, for ww.sendChatMessage from the sidebar: uploaded on first use,
 * then cached for its three-day life and shared by every member and process. → `{ mediaId, expiresAt }`.
 */
export const POST = route(
  { auth: 'user', sameOrigin: true, params: Params, body: Body },
  async ({ corp, params, body }) =>
    sendableMediaId(
      corp.id,
      params.id,
      { db: await getDb(), dataDir: getConfig().dataDir, store: getStore(), client: corp.wecom },
      body.stale,
    ),
);
