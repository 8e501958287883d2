import 'server-only';
import { z } from 'zod';
import { readJson } from '../json';
import { errcodeOf, notFollower, nowOf, type CrmDeps, type Viewer } from './context';
import type { Follower, Person } from './types';

/**
 * Who follows a customer, cached in the KV store so that an edit costs one WeCom call: the first request reads
 * externalcontact/get, later ones the cache, and change_external_contact events drop it. A stale entry is
 * harmless: WeCom still answers 84061 to an edit by someone who no longer follows, and that drops it too.
 */

const FOLLOWERS_TTL_MS = 10 * 60 * 1000;
const NAME_TTL_MS = 24 * 3600 * 1000;

const Cached = z.object({
  name: z.string(),
  type: z.enum(['wechat', 'wecom']),
  followers: z.array(
    z.object({ userId: z.string(), addedAt: z.number().nullable(), tagIds: z.array(z.string()) }),
  ),
});
export type CustomerFollowers = z.infer<typeof Cached>;

const key = (deps: CrmDeps, externalUserId: string) => `crm:followers:${deps.corpId}:${externalUserId}`;

interface WireDetail {
  external_contact: { external_userid: string; name?: string; type?: number };
  follow_user?: { userid: string; createtime?: number; tags?: { tag_id?: string; type?: number }[] }[];
  next_cursor?: string;
}

/** The customer's followers (cache, else externalcontact/get); null when WeCom does not know the customer. */
export async function customerFollowers(
  deps: CrmDeps,
  externalUserId: string,
): Promise<CustomerFollowers | null> {
  const cached = readJson(await deps.store.get(key(deps, externalUserId)), Cached);
  if (cached) return cached;
  let detail: WireDetail | undefined;
  let cursor = '';
  try {
    for (let page = 0; page < 20; page++) {
      const query: Record<string, string> = { external_userid: externalUserId };
      if (cursor) query.cursor = cursor;
      const res = await deps.wecom.call<WireDetail>('externalcontact/get', { method: 'GET', query });
      detail = detail
        ? { ...detail, follow_user: [...(detail.follow_user ?? []), ...(res.follow_user ?? [])] }
        : res;
      cursor = res.next_cursor ?? '';
      if (!cursor) break;
    }
  } catch (err) {
    const code = errcodeOf(err);
    if (code === 84061 || code === 40096 || code === 60011) return null;
    throw err;
  }
  const value: CustomerFollowers = {
    name: detail!.external_contact.name ?? '',
    type: detail!.external_contact.type === 2 ? 'wecom' : 'wechat',
    followers: (detail!.follow_user ?? []).map((f) => ({
      userId: f.userid,
      addedAt: typeof f.createtime === 'number' ? f.createtime * 1000 : null,
      tagIds: (f.tags ?? []).filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id!),
    })),
  };
  await deps.store.set(key(deps, externalUserId), JSON.stringify(value), FOLLOWERS_TTL_MS);
  return value;
}

/** Keeps the cached tags of one follower current after an edit made here (WeCom pushes no event for it). */
export async function updateCachedTags(
  deps: CrmDeps,
  externalUserId: string,
  userId: string,
  tagIds: string[],
): Promise<void> {
  const cached = readJson(await deps.store.get(key(deps, externalUserId)), Cached);
  if (!cached) return;
  const f = cached.followers.find((x) => x.userId === userId);
  if (!f) return;
  f.tagIds = tagIds;
  await deps.store.set(key(deps, externalUserId), JSON.stringify(cached), FOLLOWERS_TTL_MS);
}

export async function forgetFollowers(deps: CrmDeps, externalUserId: string): Promise<void> {
  await deps.store.delete(key(deps, externalUserId));
}

/**
 * The access rule of every CRM route: the viewer follows the customer; an admin may read (`write: false`)
 * without following. Throws 403 before any WeCom write.
 */
export async function requireAccess(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  opts: { write: boolean },
): Promise<CustomerFollowers> {
  const followers = await customerFollowers(deps, externalUserId);
  const follows = !!followers?.followers.some((f) => f.userId === viewer.userId);
  if (follows) return followers!;
  if (!opts.write && viewer.isAdmin && followers) return followers;
  throw notFollower();
}

/** A member's display name: from user/get (cached a day) in self-built mode, the userid for ww-open-data otherwise. */
export async function personOf(deps: CrmDeps, userId: string, known?: string): Promise<Person> {
  if (deps.employeeNames === 'open-data') return { userId, name: userId, nameSource: 'open-data' };
  if (known) return { userId, name: known, nameSource: 'api' };
  const k = `crm:name:${deps.corpId}:${userId}`;
  const cached = await deps.store.get(k);
  if (cached !== null) return { userId, name: cached, nameSource: 'api' };
  let name = userId;
  try {
    const res = await deps.wecom.call<{ name?: string }>('user/get', {
      method: 'GET',
      query: { userid: userId },
    });
    name = res.name || userId;
    await deps.store.set(k, name, NAME_TTL_MS);
  } catch {
    // A member outside the visible range (60111 / 60011) keeps their userid as the name.
  }
  return { userId, name, nameSource: 'api' };
}

/** The customer's other followers with names and when they added the customer (never their remark or mobiles). */
export async function followersOf(
  deps: CrmDeps,
  viewer: Viewer,
  followers: CustomerFollowers,
): Promise<Follower[]> {
  return Promise.all(
    followers.followers.map(async (f) => ({
      ...(await personOf(deps, f.userId, f.userId === viewer.userId ? viewer.name : undefined)),
      addedAt: f.addedAt !== null ? new Date(f.addedAt).toISOString() : null,
      isMe: f.userId === viewer.userId,
    })),
  );
}

export const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export { nowOf };
