import { z } from 'zod';
import { KB_LIMITS } from '@/lib/kb/limits';
import { kbDeps, searchAndRecord } from '@/lib/kb/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({
  q: z.string().trim().min(1, '请输入问题 / Enter a question').max(KB_LIMITS.maxQuestionChars),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export const GET = route(
  { auth: 'user', limit: 'assistant', query: Query },
  async ({ corp, user, query }) => {
    const { answer } = await searchAndRecord(await kbDeps(corp), user.userId, query.q, query.limit);
    return answer;
  },
);
