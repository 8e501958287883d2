import { z } from 'zod';
import { livePipeline } from '@/lib/crm/pipeline';
import { crmDeps, Text } from '@/lib/crm/server';
import { createTags, libraryDto, tagLibrary } from '@/lib/crm/tags';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

/** The corp tag library, fresh from WeCom (the pipeline's group marked). */
export const GET = route({ auth: 'admin' }, async ({ corp }) => {
  const deps = await crmDeps(corp);
  const [library, pipeline] = await Promise.all([tagLibrary(deps, { fresh: true }), livePipeline(deps)]);
  return { groups: libraryDto(library, pipeline.groupId) };
});

const Body = z.object({
  groupId: z.string().min(1).max(128).optional(),
  groupName: Text.optional(),
  names: z.array(Text).min(1).max(100),
});

/** Adds tags to a group, or creates a group with its first tags (add_corp_tag). */
export const POST = route({ auth: 'admin-change', body: Body, status: 201 }, async ({ corp, body }) =>
  createTags(await crmDeps(corp), body),
);
