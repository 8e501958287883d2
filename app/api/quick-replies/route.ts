import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { badRequest, handle } from '@/lib/http';
import { ChatIdSchema } from '@/lib/ids';
import { listQuickReplies, repliesFor } from '@/lib/quick-replies';

export const dynamic = 'force-dynamic';

const Query = z.union([
  z.object({ entry: z.literal('single') }),
  z.object({ entry: z.literal('group'), chatId: ChatIdSchema }),
  z.object({ entry: z.undefined() }),
]);

/** Quick replies for the current chat: `?entry=single` or `?entry=group&chatId=wr…`; without entry, all of them. */
export const GET = handle(async (req: Request) => {
  const user = await requireApiUser();
  const params = new URL(req.url).searchParams;
  const query = Query.safeParse({
    entry: params.get('entry') ?? undefined,
    chatId: params.get('chatId') ?? undefined,
  });
  if (!query.success) {
    throw badRequest('invalid_query', {
      zh: '参数不正确：entry 须为 single 或 group，group 时须提供有效的 chatId',
      en: 'Invalid query: entry must be single or group, and group needs a valid chatId',
    });
  }
  const q = query.data;
  // Each corp has its own replies (third-party mode serves many corps).
  const deps = { corpId: user.corpId };
  const items = q.entry === undefined ? await listQuickReplies(deps) : await repliesFor(q, deps);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store, private' } });
});
