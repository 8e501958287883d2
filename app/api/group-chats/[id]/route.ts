import { requireApiUser } from '@/lib/auth';
import { badRequest, handle } from '@/lib/http';
import { ChatIdSchema, MALFORMED_ID } from '@/lib/ids';
import { getGroupChatForUser } from '@/lib/wecom/contacts';
import { getWecomFor, isSuiteMode } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

/** The customer group chat as a member sees it (403 unless the employee is its owner, an admin or a member). */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser();
  const id = ChatIdSchema.safeParse((await ctx.params).id);
  if (!id.success) {
    throw badRequest('invalid_chat_id', MALFORMED_ID.chatId);
  }
  const chat = await getGroupChatForUser(user.userId, id.data, {
    client: await getWecomFor(user.corpId),
    // Third-party apps receive no employee names: the sidebar shows them with ww-open-data.
    employeeNames: isSuiteMode() ? 'open-data' : 'api',
  });
  return Response.json(chat, { headers: { 'cache-control': 'no-store, private' } });
});
