import { z } from 'zod';
import { createQuickReply, listQuickReplies } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  items: await listQuickReplies({ corpId: corp.id }),
}));

/** The reply is validated by lib/quick-replies (its messages name each field). */
export const POST = route(
  { auth: 'admin-change', body: z.unknown(), status: 201 },
  async ({ corp, body }) => ({
    item: await createQuickReply(body, { corpId: corp.id }),
  }),
);
