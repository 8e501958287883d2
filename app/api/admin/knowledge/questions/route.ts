import { kbDeps } from '@/lib/kb/server';
import { openQuestions } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** Questions that found nothing or got 👎, not yet resolved. */
export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  questions: await openQuestions(await kbDeps(corp)),
}));
