import { route } from '@/lib/route';
import { clientPermissionCause } from '@/lib/wecom/client-permission';

export const dynamic = 'force-dynamic';

/**
 * GET /api/jssdk/permission → `{cause}`: after the WeCom client refused a customer-contact API, which of the app
 * (客户联系 → 可调用应用), the member (客户联系 feature) or the visible range the admin must fix.
 */
export const GET = route({ auth: 'user' }, async ({ corp, user }) => ({
  cause: await clientPermissionCause(corp.wecom, user.userId),
}));
