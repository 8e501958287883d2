import { z } from 'zod';
import { createQuickReply, listQuickReplies } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The corp's replies in order (`?q=` keeps those whose title or body texts contain it). */
export const GET = route(
  { auth: 'admin', query: z.object({ q: z.string().max(100).optional() }) },
  async ({ corp, query }) => ({ items: await listQuickReplies({ corpId: corp.id }, { q: query.q }) }),
);

/** The reply is validated by lib/quick-replies (its messages name each field). */
export const POST = route(
  { auth: 'admin-change', body: z.unknown(), status: 201 },
  async ({ corp, body }) => ({
    item: await createQuickReply(body, { corpId: corp.id }),
  }),
);
