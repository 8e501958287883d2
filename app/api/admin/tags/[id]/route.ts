import { z } from 'zod';
import { crmDeps, Text } from '@/lib/crm/server';
import { deleteTags, editTag, tagLibrary } from '@/lib/crm/tags';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(128) });
const Body = z.object({
  name: Text.optional(),
  order: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
});

/** Renames a tag or a tag group (edit_corp_tag; only those this app created). */
export const PATCH = route(
  { auth: 'admin-change', params: Params, body: Body },
  async ({ corp, params, body }) => {
    await editTag(await crmDeps(corp), params.id, body);
  },
);

/** Deletes a tag or a whole group with its tags (del_corp_tag). */
export const DELETE = route({ auth: 'admin-change', params: Params }, async ({ corp, params }) => {
  const deps = await crmDeps(corp);
  const isGroup = (await tagLibrary(deps)).some((g) => g.groupId === params.id);
  await deleteTags(deps, isGroup ? { groupIds: [params.id] } : { tagIds: [params.id] });
});
