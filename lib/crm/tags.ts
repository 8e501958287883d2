import 'server-only';
import { z } from 'zod';
import { readJson } from '../json';
import {
  conflict,
  errcodeOf,
  invalidField,
  noLongerYourCustomer,
  nowOf,
  tagGone,
  type CrmDeps,
  type Viewer,
} from './context';
import { forgetFollowers, patchCachedFollow, requireAccess } from './followers';
import { charCount, LIMITS, tooLong } from './limits';
import { addEntry } from './timeline';
import type { LibraryGroup } from './types';

/**
 * The corp tag library (cached in the KV store for an hour, dropped on change_external_tag and after our own
 * admin edits, which WeCom does not call back for) and tag edits on a customer (externalcontact/mark_tag, always
 * as the signed-in member).
 */

const LIBRARY_TTL_MS = 3600 * 1000;
const libraryKey = (deps: CrmDeps) => `crm:tags:${deps.corpId}`;

const CachedLibrary = z.array(
  z.object({
    groupId: z.string(),
    groupName: z.string(),
    order: z.number(),
    tags: z.array(z.object({ id: z.string(), name: z.string(), order: z.number() })),
  }),
);
type Library = z.infer<typeof CachedLibrary>;

interface WireTagList {
  tag_group?: {
    group_id: string;
    group_name: string;
    order?: number;
    tag?: { id: string; name: string; order?: number }[];
  }[];
}

const byOrder = <T extends { order: number }>(a: T, b: T) => b.order - a.order;

/** The tag library, larger order first (cache, else get_corp_tag_list). */
export async function tagLibrary(deps: CrmDeps, opts: { fresh?: boolean } = {}): Promise<Library> {
  if (!opts.fresh) {
    const cached = readJson(await deps.store.get(libraryKey(deps)), CachedLibrary);
    if (cached) return cached;
  }
  const res = await deps.wecom.call<WireTagList>('externalcontact/get_corp_tag_list', {
    method: 'POST',
    body: {},
    idempotent: true,
  });
  const library: Library = (res.tag_group ?? [])
    .map((g) => ({
      groupId: g.group_id,
      groupName: g.group_name,
      order: g.order ?? 0,
      tags: (g.tag ?? []).map((t) => ({ id: t.id, name: t.name, order: t.order ?? 0 })).sort(byOrder),
    }))
    .sort(byOrder);
  await deps.store.set(libraryKey(deps), JSON.stringify(library), LIBRARY_TTL_MS);
  return library;
}

export async function forgetLibrary(deps: CrmDeps): Promise<void> {
  await deps.store.delete(libraryKey(deps));
}

/** The library as the pages show it (the pipeline's group marked). */
export function libraryDto(library: Library, pipelineGroupId: string | null): LibraryGroup[] {
  return library.map((g) => ({ ...g, isPipeline: g.groupId === pipelineGroupId }));
}

export function findTag(library: Library, id: string) {
  for (const g of library) {
    const t = g.tags.find((x) => x.id === id);
    if (t) return { group: g, tag: t };
  }
  return null;
}

/** Ids not in the library (unknown or deleted): checked against a fresh library before refusing. */
async function unknownTags(deps: CrmDeps, ids: string[]): Promise<string[]> {
  let library = await tagLibrary(deps);
  let missing = ids.filter((id) => !findTag(library, id));
  if (missing.length > 0) {
    library = await tagLibrary(deps, { fresh: true });
    missing = ids.filter((id) => !findTag(library, id));
  }
  return missing;
}

export interface MarkResult {
  tagIds: string[];
}

/**
 * Adds and removes corp tags on a customer as `viewer` (one WeCom call). Unknown or deleted tags → 409 before
 * the call; 40068 from WeCom (deleted meanwhile) → library dropped, 409; 84061 → 409 not_your_customer.
 * The timeline entry is written only after WeCom accepted the change.
 */
export async function markTags(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  change: { add: string[]; remove: string[] },
  opts: { kind?: 'tags' | 'stage'; entryData?: Record<string, unknown> } = {},
): Promise<MarkResult> {
  const add = [...new Set(change.add)];
  const remove = [...new Set(change.remove)].filter((id) => !add.includes(id));
  if (add.length + remove.length === 0) {
    throw conflict('nothing_to_change', { zh: '没有要修改的标签', en: 'No tags to change' });
  }
  if (add.length + remove.length > LIMITS.tagIds) throw invalidField(tooLong('add', LIMITS.tagIds));
  const followers = await requireAccess(deps, viewer, externalUserId, { write: true });
  const missing = await unknownTags(deps, add);
  if (missing.length > 0) throw tagGone(missing);
  const library = await tagLibrary(deps);
  try {
    await deps.wecom.call('externalcontact/mark_tag', {
      method: 'POST',
      body: { userid: viewer.userId, external_userid: externalUserId, add_tag: add, remove_tag: remove },
    });
  } catch (err) {
    const code = errcodeOf(err);
    if (code === 40068) {
      await forgetLibrary(deps);
      throw tagGone([...add, ...remove]);
    }
    if (code === 84061) {
      await forgetFollowers(deps, externalUserId);
      throw noLongerYourCustomer();
    }
    throw err;
  }
  const updated = await patchCachedFollow(deps, followers, viewer.userId, (f) => {
    const kept = (f.tags ?? []).filter((t) => !(t.tag_id && remove.includes(t.tag_id)));
    for (const id of add) {
      if (kept.some((t) => t.tag_id === id)) continue;
      const info = findTag(library, id)!;
      kept.push({ group_name: info.group.groupName, tag_name: info.tag.name, tag_id: id, type: 1 });
    }
    f.tags = kept;
  });
  const tagIds = updated.followers.find((f) => f.userId === viewer.userId)?.tagIds ?? [];
  const named = (ids: string[]) => ids.map((id) => ({ id, name: findTag(library, id)?.tag.name ?? id }));
  await addEntry(deps.db, deps.corpId, {
    externalUserId,
    kind: opts.kind ?? 'tags',
    at: nowOf(deps),
    actor: { userId: viewer.userId, name: viewer.name },
    data: opts.entryData ?? { add: named(add), remove: named(remove) },
    source: 'app',
  });
  return { tagIds };
}

// ---------------------------------------------------------------------------------------------------------------
// Admin: the tag library

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) {
    throw invalidField({
      field: 'name',
      code: 'empty',
      message: { zh: '名称不能为空', en: 'The name is empty' },
    });
  }
  if (charCount(trimmed) > LIMITS.tagName) throw invalidField(tooLong('name', LIMITS.tagName));
  return trimmed;
}

/** WeCom's answers to library edits, as the admin page says them. */
function libraryError(err: unknown): never {
  const code = errcodeOf(err);
  if (code === 40068) {
    throw conflict('tag_not_editable', {
      zh: '该标签或标签组不存在，或由管理后台/其他应用创建（应用只能修改自己创建的标签）',
      en: 'The tag or group does not exist, or was created in the admin console or by another app (an app may only change tags it created)',
    });
  }
  if (code === 40071) {
    throw conflict('tag_name_exists', {
      zh: '已有同名的标签或标签组',
      en: 'A tag or group with this name exists',
    });
  }
  throw err;
}

export async function createTags(
  deps: CrmDeps,
  input: { groupId?: string; groupName?: string; order?: number; names: string[] },
): Promise<{ groupId: string; tagIds: string[] }> {
  const names = input.names.map(checkName);
  if (names.length === 0) {
    throw invalidField({
      field: 'names',
      code: 'empty',
      message: { zh: '至少需要一个标签', en: 'At least one tag is needed' },
    });
  }
  const body: Record<string, unknown> = { tag: names.map((name) => ({ name })) };
  if (input.groupId) body.group_id = input.groupId;
  else {
    body.group_name = checkName(input.groupName ?? '');
    if (input.order !== undefined) body.order = input.order;
  }
  try {
    const res = await deps.wecom.call<{ tag_group: { group_id: string; tag?: { id: string }[] } }>(
      'externalcontact/add_corp_tag',
      { method: 'POST', body },
    );
    return { groupId: res.tag_group.group_id, tagIds: (res.tag_group.tag ?? []).map((t) => t.id) };
  } catch (err) {
    libraryError(err);
  } finally {
    await forgetLibrary(deps);
  }
}

export async function editTag(
  deps: CrmDeps,
  id: string,
  input: { name?: string; order?: number },
): Promise<void> {
  const body: Record<string, unknown> = { id };
  if (input.name !== undefined) body.name = checkName(input.name);
  if (input.order !== undefined) body.order = input.order;
  try {
    await deps.wecom.call('externalcontact/edit_corp_tag', { method: 'POST', body });
  } catch (err) {
    libraryError(err);
  } finally {
    await forgetLibrary(deps);
  }
}

export async function deleteTags(
  deps: CrmDeps,
  input: { tagIds?: string[]; groupIds?: string[] },
): Promise<void> {
  try {
    await deps.wecom.call('externalcontact/del_corp_tag', {
      method: 'POST',
      body: { tag_id: input.tagIds ?? [], group_id: input.groupIds ?? [] },
    });
  } catch (err) {
    libraryError(err);
  } finally {
    await forgetLibrary(deps);
  }
}

/** Reorders groups (or the tags of one group): the first id gets the largest order. One edit per id. */
export async function reorder(deps: CrmDeps, ids: string[]): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i++) {
      await deps.wecom.call('externalcontact/edit_corp_tag', {
        method: 'POST',
        body: { id: ids[i], order: ids.length - i },
      });
    }
  } catch (err) {
    libraryError(err);
  } finally {
    await forgetLibrary(deps);
  }
}
