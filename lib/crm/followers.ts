import 'server-only';
import { z } from 'zod';
import { readJson } from '../json';
import type { WireContactDetail } from '../wecom/contacts';
import { errcodeOf, notFollower, nowOf, type CrmDeps, type Viewer } from './context';
import type { Follower, Person } from './types';

/**
 * Who follows a customer, cached in the KV store so that an edit costs one WeCom call: the first request reads
 * externalcontact/get, later ones the cache, and change_external_contact events drop it. A stale entry is
 * harmless: WeCom still answers 84061 to an edit by someone who no longer follows, and that drops it too.
 */

const FOLLOWERS_TTL_MS = 10 * 60 * 1000;
const NAME_TTL_MS = 24 * 3600 * 1000;

/** The customer's followers as the CRM needs them (derived from the cached externalcontact/get answer). */
export interface CustomerFollowers {
  name: string;
  type: 'wechat' | 'wecom';
  followers: { userId: string; addedAt: number | null; tagIds: string[] }[];
  detail: WireContactDetail;
}

const Cached = z.object({
  external_contact: z.object({ external_userid: z.string() }).passthrough(),
  follow_user: z.array(z.object({ userid: z.string() }).passthrough()).optional(),
});

const key = (deps: CrmDeps, externalUserId: string) => `crm:followers:${deps.corpId}:${externalUserId}`;

function derive(detail: WireContactDetail): CustomerFollowers {
  return {
    name: detail.external_contact.name ?? '',
    type: detail.external_contact.type === 2 ? 'wecom' : 'wechat',
    followers: (detail.follow_user ?? []).map((f) => ({
      userId: f.userid,
      addedAt: typeof f.createtime === 'number' ? f.createtime * 1000 : null,
      tagIds: (f.tags ?? []).filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id!),
    })),
    detail,
  };
}

/** The customer's followers (cache, else externalcontact/get); null when WeCom does not know the customer. */
export async function customerFollowers(
  deps: CrmDeps,
  externalUserId: string,
): Promise<CustomerFollowers | null> {
  const cached = readJson(await deps.store.get(key(deps, externalUserId)), Cached);
  if (cached) return derive(cached as WireContactDetail);
  let detail: WireContactDetail | undefined;
  let cursor = '';
  try {
    for (let page = 0; page < 20; page++) {
      const query: Record<string, string> = { external_userid: externalUserId };
      if (cursor) query.cursor = cursor;
      const res = await deps.wecom.call<WireContactDetail>('externalcontact/get', { method: 'GET', query });
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
  const trimmed: WireContactDetail = {
    external_contact: detail!.external_contact,
    follow_user: detail!.follow_user ?? [],
  };
  await deps.store.set(key(deps, externalUserId), JSON.stringify(trimmed), FOLLOWERS_TTL_MS);
  return derive(trimmed);
}

type WireFollow = NonNullable<WireContactDetail['follow_user']>[number];

/**
 * Applies an edit made here to the cached answer (WeCom pushes no event for API edits), so the next read and the
 * updated profile need no second call.
 */
export async function patchCachedFollow(
  deps: CrmDeps,
  followers: CustomerFollowers,
  userId: string,
  patch: (f: WireFollow) => void,
): Promise<CustomerFollowers> {
  const detail = structuredClone(followers.detail);
  const f = detail.follow_user?.find((x) => x.userid === userId);
  if (f) patch(f);
  await deps.store.set(
    key(deps, detail.external_contact.external_userid),
    JSON.stringify(detail),
    FOLLOWERS_TTL_MS,
  );
  return derive(detail);
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
