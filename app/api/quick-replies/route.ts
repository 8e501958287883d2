import { z } from 'zod';
import { ChatIdSchema } from '@/lib/ids';
import { listQuickReplies, repliesFor } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.union([
  z.object({ entry: z.literal('single') }),
  z.object({ entry: z.literal('group'), chatId: ChatIdSchema }),
  z.object({ entry: z.undefined().optional() }),
]);

/** Quick replies for the current chat: `?entry=single` or `?entry=group&chatId=wr…`; without entry, all of them. */
export const GET = route({ auth: 'user', query: Query }, async ({ corp, query }) => ({
  // Each corp has its own replies (third-party mode serves many corps).
  items:
    query.entry === undefined
      ? await listQuickReplies({ corpId: corp.id })
      : await repliesFor(query, { corpId: corp.id }),
}));
