import { ownedGroups } from '@/lib/crm/groups';
import { crmDeps } from '@/lib/crm/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The customer group chats the signed-in member owns. */
export const GET = route({ auth: 'user' }, async ({ corp, user }) => ({
  items: await ownedGroups(await crmDeps(corp), user.userId),
}));
