import { currentUser, isAdmin } from '@/lib/auth';
import { handle } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** Who is signed in: `{ user, isAdmin }` or `{ user: null, isAdmin: false }`; nothing secret. */
export const GET = handle(async () => {
  const user = await currentUser();
  return Response.json(
    { user, isAdmin: isAdmin(user) },
    { headers: { 'cache-control': 'no-store, private' } },
  );
});
