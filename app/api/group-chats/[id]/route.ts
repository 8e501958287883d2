import { z } from 'zod';
import { ChatIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';
import { getGroupChatForUser } from '@/lib/wecom/contacts';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ChatIdSchema });

/** The customer group chat as a member sees it (403 unless the employee is its owner, an admin or a member). */
export const GET = route({ auth: 'user', params: Params }, ({ user, corp, params }) =>
  getGroupChatForUser(user.userId, params.id, { client: corp.wecom, employeeNames: corp.employeeNames }),
);
