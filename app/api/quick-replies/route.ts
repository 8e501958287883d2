import { z } from 'zod';
import { memberReplyDeps, replyViewer } from '@/lib/content/library-access';
import { badRequest } from '@/lib/http';
import { ChatIdSchema } from '@/lib/ids';
import { createPersonalReply, memberReplies, type ReplyContext } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({
  entry: z.enum(['single', 'group']).optional(),
  chatId: ChatIdSchema.optional(),
  q: z.string().max(100).optional(),
});

/**
 * The replies for the current chat (`?entry=single` or `?entry=group&chatId=wr…`; without entry, every one the
 * member may read): the corp's and the member's own, `q` searching titles and bodies. → `{ items, categories }`.
 */
export const GET = route({ auth: 'user', query: Query }, async ({ corp, user, query }) => {
  let context: ReplyContext | undefined;
  if (query.entry === 'single') context = { entry: 'single' };
  else if (query.entry === 'group') {
    if (!query.chatId)
      throw badRequest('invalid_query', { zh: '缺少参数 chatId', en: 'The query needs a chatId' });
    context = { entry: 'group', chatId: query.chatId };
  }
  return memberReplies(replyViewer(user), { context, q: query.q }, memberReplyDeps(corp, user));
});

/** A personal reply of the signed-in member (the same input as an admin's; scope defaults to all chats). */
export const POST = route(
  { auth: 'user', body: z.unknown(), status: 201, sameOrigin: true },
  async ({ corp, user, body }) => ({
    item: await createPersonalReply(replyViewer(user), body, { corpId: corp.id }),
  }),
);
