import { z } from 'zod';
import { replyViewer } from '@/lib/content/library-access';
import { deletePersonalReply, updatePersonalReply } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(64) });

/** The member's own personal reply; anyone else's (or a corp reply) is a 404. */
export const PATCH = route(
  { auth: 'user', params: Params, body: z.unknown(), sameOrigin: true },
  async ({ corp, user, params, body }) => ({
    item: await updatePersonalReply(replyViewer(user), params.id, body, { corpId: corp.id }),
  }),
);

export const DELETE = route(
  { auth: 'user', params: Params, sameOrigin: true },
  async ({ corp, user, params }) => {
    await deletePersonalReply(replyViewer(user), params.id, { corpId: corp.id });
  },
);
