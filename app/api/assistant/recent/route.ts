import { kbDeps } from '@/lib/kb/server';
import { recentQuestions } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The member's own recent questions. */
export const GET = route({ auth: 'user' }, async ({ corp, user }) => ({
  questions: await recentQuestions(await kbDeps(corp), user.userId),
}));
