import { z } from 'zod';
import { updateRemark } from '@/lib/crm/remark';
import { crmDeps, Text, viewerOf } from '@/lib/crm/server';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });

/** The customer's profile as the signed-in employee may see it (403 unless they follow the customer). */
export const GET = route({ auth: 'follower', params: Params }, ({ customer }) => customer);

const Remark = z.object({
  remark: Text.optional(),
  description: Text.optional(),
  remarkCompany: Text.optional(),
  remarkMobiles: z.array(z.string().max(64)).max(50).optional(),
});

/** Edits the member's remark of the customer (externalcontact/remark); answers the updated profile. */
export const PATCH = route(
  { auth: 'user', params: Params, body: Remark },
  async ({ corp, user, params, body }) => {
    const { profile } = await updateRemark(await crmDeps(corp), viewerOf(user), params.id, body);
    return profile;
  },
);
