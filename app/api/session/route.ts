import { currentUser, isAdmin } from '@/lib/auth';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** Who is signed in: `{ user, isAdmin }` or `{ user: null, isAdmin: false }`; nothing secret. */
export const GET = route({ auth: 'none' }, async () => {
  const user = await currentUser();
  return { user, isAdmin: isAdmin(user) };
});
