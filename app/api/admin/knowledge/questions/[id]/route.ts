import { z } from 'zod';
import { KB_LIMITS } from '@/lib/kb/limits';
import { kbDeps } from '@/lib/kb/server';
import { resolveQuestion } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.coerce.number().int().positive('提问 ID 无效 / Invalid question id') });
const Body = z.object({
  question: z.string().trim().min(1).max(KB_LIMITS.maxQuestionChars).optional(),
  answer: z.string().trim().min(1).max(KB_LIMITS.maxAnswerChars),
});

/** Turns the question into a Q&A pair in one step. */
export const POST = route(
  { auth: 'admin-change', params: Params, body: Body, status: 201 },
  async ({ corp, user, params, body }) => ({
    document: await resolveQuestion(await kbDeps(corp), params.id, body, user.userId),
  }),
);

/** Dismisses the question without adding anything. */
export const DELETE = route({ auth: 'admin-change', params: Params }, async ({ corp, user, params }) => {
  await resolveQuestion(await kbDeps(corp), params.id, null, user.userId);
});
