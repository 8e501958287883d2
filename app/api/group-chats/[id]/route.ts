import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { badRequest, handle } from '@/lib/http';
import { CHAT_ID_PATTERN, getGroupChatForUser } from '@/lib/wecom/contacts';
import { getWecomFor, isSuiteMode } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

const Id = z.string().regex(CHAT_ID_PATTERN);

/** The customer group chat as a member sees it (403 unless the employee is its owner, an admin or a member). */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser();
  const id = Id.safeParse((await ctx.params).id);
  if (!id.success) {
    throw badRequest('invalid_chat_id', { zh: '客户群 ID 格式不正确', en: 'Malformed group chat id' });
  }
  const chat = await getGroupChatForUser(user.userId, id.data, {
    client: await getWecomFor(user.corpId),
    // Third-party apps receive no employee names: the sidebar shows them with ww-open-data.
    employeeNames: isSuiteMode() ? 'open-data' : 'api',
  });
  return Response.json(chat, { headers: { 'cache-control': 'no-store, private' } });
});
