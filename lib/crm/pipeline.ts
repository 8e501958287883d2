import 'server-only';
import { conflict, invalidField, nowOf, type CrmDeps, type Viewer } from './context';
import { requireAccess } from './followers';
import { COLOR_RE, LIMITS, STAGE_COLORS } from './limits';
import { createTags, deleteTags, editTag, markTags, tagLibrary } from './tags';
import type { Pipeline, Stage } from './types';

/**
 * The pipeline: ordered stages with a colour, kept in WeCom as one corp tag group created by this app (so WeCom
 * itself and other tools see the stage as a tag), with the colours and order here. A customer carries at most
 * one stage tag per follower: setting a stage removes the others in the same mark_tag call.
 */

export const PIPELINE_GROUP_NAME = '客户阶段';

export async function getPipeline(deps: CrmDeps): Promise<Pipeline> {
  const row = await deps.db
    .selectFrom('crm_pipelines')
    .select('group_id')
    .where('corp_id', '=', deps.corpId)
    .executeTakeFirst();
  const stages = await deps.db
    .selectFrom('crm_stages')
    .select(['tag_id', 'name', 'color', 'position'])
    .where('corp_id', '=', deps.corpId)
    .orderBy('position')
    .execute();
  return {
    groupId: row?.group_id ?? null,
    stages: stages.map((s) => ({ id: s.tag_id, name: s.name, color: s.color, position: Number(s.position) })),
  };
}

export interface StageInput {
  /** An existing stage's tag id; absent for a new stage. */
  id?: string;
  name: string;
  color?: string;
}

/**
 * Saves the whole pipeline in the given order: new stages are added to the group (created on first save),
 * renamed ones edited, missing ones deleted, and every stage's order set so WeCom lists them in this order.
 */
export async function savePipeline(deps: CrmDeps, input: StageInput[]): Promise<Pipeline> {
  if (input.length > LIMITS.stages) {
    throw invalidField({
      field: 'stages',
      code: 'too_long',
      limit: LIMITS.stages,
      message: { zh: `最多 ${LIMITS.stages} 个阶段`, en: `At most ${LIMITS.stages} stages` },
    });
  }
  for (const s of input) {
    if (s.color !== undefined && !COLOR_RE.test(s.color)) {
      throw invalidField({
        field: 'color',
        code: 'invalid',
        message: { zh: `颜色格式应为 #RRGGBB：${s.color}`, en: `Colours are #RRGGBB: ${s.color}` },
      });
    }
  }
  const names = input.map((s) => s.name.trim());
  if (new Set(names).size !== names.length) {
    throw conflict('stage_name_exists', { zh: '阶段名称不能重复', en: 'Stage names must be unique' });
  }
  const current = await livePipeline(deps, { fresh: true });
  const known = new Map(current.stages.map((s) => [s.id, s]));
  for (const s of input) {
    if (s.id && !known.has(s.id)) {
      throw conflict('stage_unknown', { zh: `未知的阶段：${s.id}`, en: `Unknown stage: ${s.id}` });
    }
  }
  let groupId = current.groupId;
  const removed = current.stages.filter((s) => !input.some((x) => x.id === s.id)).map((s) => s.id);
  const ids: (string | undefined)[] = input.map((s) => s.id);
  // Deletions and renames first: a new stage may take a removed or renamed stage's old name.
  if (removed.length > 0 && groupId) {
    if (input.length === 0) {
      await deleteTags(deps, { groupIds: [groupId] });
      groupId = null;
    } else {
      await deleteTags(deps, { tagIds: removed });
    }
  }
  for (const s of input) {
    if (s.id && known.get(s.id)!.name !== s.name.trim()) await editTag(deps, s.id, { name: s.name });
  }
  const fresh = input.map((s, i) => ({ s, i })).filter(({ s }) => !s.id);
  if (fresh.length > 0) {
    // Deleting a group's last tag deletes the group: check it still exists.
    if (groupId) {
      const library = await tagLibrary(deps, { fresh: true });
      if (!library.some((g) => g.groupId === groupId)) groupId = null;
    }
    const created = await createTags(deps, {
      groupId: groupId ?? undefined,
      groupName: groupId ? undefined : PIPELINE_GROUP_NAME,
      names: fresh.map(({ s }) => s.name),
    });
    groupId = created.groupId;
    // add_corp_tag lists the new tags in the order they were sent.
    fresh.forEach(({ i }, k) => (ids[i] = created.tagIds[k]));
  }
  // Larger order first in WeCom: the first stage gets the largest.
  for (let i = 0; i < input.length; i++) {
    await editTag(deps, ids[i]!, { order: input.length - i });
  }
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('crm_stages').where('corp_id', '=', deps.corpId).execute();
    await tx.deleteFrom('crm_pipelines').where('corp_id', '=', deps.corpId).execute();
    if (!groupId || input.length === 0) return;
    await tx
      .insertInto('crm_pipelines')
      .values({ corp_id: deps.corpId, group_id: groupId, updated_at: now })
      .execute();
    await tx
      .insertInto('crm_stages')
      .values(
        input.map((s, i) => ({
          corp_id: deps.corpId,
          tag_id: ids[i]!,
          name: s.name.trim(),
          color: s.color ?? STAGE_COLORS[i % STAGE_COLORS.length]!,
          position: i,
        })),
      )
      .execute();
  });
  return getPipeline(deps);
}

/**
 * The pipeline as WeCom has it now: stages whose tags were deleted outside the app (in the admin console, or the
 * whole group) are left out, and a group that is gone means no pipeline.
 */
export async function livePipeline(deps: CrmDeps, opts: { fresh?: boolean } = {}): Promise<Pipeline> {
  const pipeline = await getPipeline(deps);
  if (!pipeline.groupId) return pipeline;
  const library = await tagLibrary(deps, opts);
  const group = library.find((g) => g.groupId === pipeline.groupId);
  if (!group) return { groupId: null, stages: [] };
  const live = new Set(group.tags.map((t) => t.id));
  return { groupId: pipeline.groupId, stages: pipeline.stages.filter((s) => live.has(s.id)) };
}

/** The viewer's current stage of a customer: the stage tag among their tags on the customer. */
export function stageOf(pipeline: Pipeline, tagIds: string[]): Stage | null {
  return pipeline.stages.find((s) => tagIds.includes(s.id)) ?? null;
}

/** Moves the customer to a stage (or clears it) in one mark_tag call; the timeline records from → to. */
export async function setStage(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  stageId: string | null,
): Promise<{ stageId: string | null; tagIds: string[] }> {
  const followers = await requireAccess(deps, viewer, externalUserId, { write: true });
  const pipeline = await livePipeline(deps);
  if (pipeline.stages.length === 0) {
    throw conflict('no_pipeline', {
      zh: '管理员尚未设置客户阶段',
      en: 'An admin has not set up the pipeline stages yet',
    });
  }
  const target = stageId === null ? null : pipeline.stages.find((s) => s.id === stageId);
  if (stageId !== null && !target) {
    throw conflict('stage_unknown', {
      zh: `阶段不存在或已删除：${stageId}`,
      en: `The stage does not exist: ${stageId}`,
    });
  }
  const mine = followers.followers.find((f) => f.userId === viewer.userId)!;
  const from = stageOf(pipeline, mine.tagIds);
  if ((from?.id ?? null) === stageId) return { stageId, tagIds: mine.tagIds };
  const others = pipeline.stages.filter((s) => s.id !== stageId).map((s) => s.id);
  const res = await markTags(
    deps,
    viewer,
    externalUserId,
    { add: target ? [target.id] : [], remove: others },
    {
      kind: 'stage',
      entryData: {
        fromId: from?.id ?? null,
        fromName: from?.name ?? null,
        toId: target?.id ?? null,
        toName: target?.name ?? null,
      },
    },
  );
  return { stageId, tagIds: res.tagIds };
}
