import { z } from 'zod';
import { kbDeps } from '@/lib/kb/server';
import { setFeedback } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Body = z.object({ queryId: z.number().int().positive(), helpful: z.boolean() });

/** 👍 / 👎 on one of the member's own questions. */
export const POST = route({ auth: 'user', body: Body, sameOrigin: true }, async ({ corp, user, body }) => {
  await setFeedback(await kbDeps(corp), user.userId, body.queryId, body.helpful);
});
