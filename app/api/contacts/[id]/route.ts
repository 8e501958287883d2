import { z } from 'zod';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });

/** The customer's profile as the signed-in employee may see it (403 unless they follow the customer). */
export const GET = route({ auth: 'follower', params: Params }, ({ customer }) => customer);
