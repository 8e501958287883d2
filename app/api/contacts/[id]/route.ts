import { requireApiUser } from '@/lib/auth';
import { badRequest, handle } from '@/lib/http';
import { ExternalUserIdSchema, MALFORMED_ID } from '@/lib/ids';
import { getCustomerForUser } from '@/lib/wecom/contacts';
import { getWecomFor } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

/** The customer's profile as the signed-in employee may see it (403 unless they follow the customer). */
export const GET = handle(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser();
  const id = ExternalUserIdSchema.safeParse((await ctx.params).id);
  if (!id.success) {
    throw badRequest('invalid_external_userid', MALFORMED_ID.externalUserId);
  }
  const profile = await getCustomerForUser(user.userId, id.data, { client: await getWecomFor(user.corpId) });
  return Response.json(profile, { headers: { 'cache-control': 'no-store, private' } });
});
