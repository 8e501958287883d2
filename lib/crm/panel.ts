import 'server-only';
import type { CrmDeps, Viewer } from './context';
import { followersOf, requireAccess } from './followers';
import { customerGroups } from './groups';
import { livePipeline, stageOf } from './pipeline';
import { libraryDto, tagLibrary } from './tags';
import type { CrmPanel } from './types';

/**
 * Everything the sidebar's CRM section needs in one request: the viewer's tags and stage on the customer, the
 * tag library, the pipeline, the other followers (names and when they added the customer, nothing else of
 * theirs) and the customer's group chats.
 */
export async function crmPanel(deps: CrmDeps, viewer: Viewer, externalUserId: string): Promise<CrmPanel> {
  const followers = await requireAccess(deps, viewer, externalUserId, { write: false });
  const [library, pipeline, people, groups] = await Promise.all([
    tagLibrary(deps),
    livePipeline(deps),
    followersOf(deps, viewer, followers),
    customerGroups(deps, externalUserId),
  ]);
  const tagIds = followers.followers.find((f) => f.userId === viewer.userId)?.tagIds ?? [];
  return {
    externalUserId,
    customerType: followers.type,
    tagIds,
    stageId: stageOf(pipeline, tagIds)?.id ?? null,
    library: libraryDto(library, pipeline.groupId),
    pipeline,
    followers: people,
    groups,
  };
}
