import { z } from 'zod';
import { KB_LIMITS } from '@/lib/kb/limits';
import { answerResponse, kbDeps } from '@/lib/kb/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Body = z.object({
  question: z.string().trim().min(1, '请输入问题 / Enter a question').max(KB_LIMITS.maxQuestionChars),
});

/** Server-Sent Events: passages, then the generated answer with citations (or declined / fallback). */
export const POST = route(
  { auth: 'user', limit: 'assistant', body: Body, sameOrigin: true },
  async ({ corp, user, body, req }) =>
    answerResponse(await kbDeps(corp), user.userId, body.question, req.signal),
);
