import { z } from 'zod';
import { route } from '@/lib/route';
import { revokeMemberSessions } from '@/lib/session';

export const dynamic = 'force-dynamic';

const Body = z.object({ userId: z.string().trim().min(1).max(64) });

/** An admin signs a member of their corp out everywhere: every session that member has now stops working. */
export const POST = route({ auth: 'admin-change', body: Body }, async ({ body, user }) => {
  await revokeMemberSessions(user.corpId, body.userId);
  return { ok: true };
});
