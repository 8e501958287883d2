import { Forbidden } from '@/components/admin/Forbidden';
import { currentUser } from '@/lib/auth';

/** 403 for a signed-in member who may not see the page (today: /admin for non-admins). */
export default async function ForbiddenPage() {
  const user = await currentUser();
  return <Forbidden userId={user?.userId ?? ''} name={user?.name} />;
}
