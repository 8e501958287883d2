import { dueFollowUps } from '@/lib/crm/notes';
import { crmDeps, viewerOf } from '@/lib/crm/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The signed-in member's follow-ups that are due, oldest first. */
export const GET = route({ auth: 'user' }, async ({ corp, user }) => ({
  items: await dueFollowUps(await crmDeps(corp), viewerOf(user)),
}));
