import { z } from 'zod';
import { crmDeps, TagIds, viewerOf } from '@/lib/crm/server';
import { markTags } from '@/lib/crm/tags';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });
const Body = z.object({ add: TagIds.default([]), remove: TagIds.default([]) });

/** Adds and removes corp tags on the customer as the signed-in member (externalcontact/mark_tag). */
export const POST = route(
  { auth: 'user', params: Params, body: Body },
  async ({ corp, user, params, body }) => markTags(await crmDeps(corp), viewerOf(user), params.id, body),
);
