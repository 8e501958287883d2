import { z } from 'zod';
import { replyViewer } from '@/lib/content/library-access';
import { recordUsage, UsageSchema } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(64) });

/** One send of the reply (`{ sendId }` makes a retried report count once) → `{ count, lastUsedAt }`. */
export const POST = route(
  { auth: 'user', params: Params, body: UsageSchema, sameOrigin: true },
  ({ corp, user, params, body }) =>
    recordUsage(replyViewer(user), params.id, body.sendId, { corpId: corp.id }),
);
