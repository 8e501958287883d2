import { headers } from 'next/headers';
import { Forbidden } from '@/components/admin/Forbidden';
import { currentUser } from '@/lib/auth';

/** 403 for a signed-in member who may not see the page (today: /admin for non-admins). */
export default async function ForbiddenPage() {
  const user = await currentUser();
  const requestId = (await headers()).get('x-request-id');
  return (
    <>
      <Forbidden userId={user?.userId ?? ''} name={user?.name} />
      {requestId ? (
        <p style={{ textAlign: 'center', fontSize: 12, color: 'var(--muted, #646a73)' }}>
          请求编号 / Request ID: <code data-testid="request-id">{requestId}</code>
        </p>
      ) : null}
    </>
  );
}
