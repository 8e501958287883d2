import { z } from 'zod';
import { EXTERNAL_USER_ID_PATTERN } from '@/lib/ids';
import { kbDeps } from '@/lib/kb/server';
import { indexFor } from '@/lib/kb/service';
import { suggestQuestions } from '@/lib/kb/suggest';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({
  id: z.string().regex(EXTERNAL_USER_ID_PATTERN, '客户 ID 格式不正确 / Malformed id'),
});

/** Questions suggested for this customer from their tags and stage (only for a member who follows them). */
export const GET = route({ auth: 'follower', params: Params }, async ({ corp, customer }) => {
  const index = await indexFor(await kbDeps(corp));
  const groups = customer.follow.tagGroups.map((g) => ({
    groupName: g.groupName,
    tags: g.tags.map((t) => t.name),
  }));
  return { questions: suggestQuestions(index, { groups }) };
});
