import 'server-only';
import { HttpError } from '../http';
import type { WecomClient } from '../wecom/client';
import { wecomErrcodeOf } from '../wecom/errors';
import { getCorpTags, listCustomersPage } from '../wecom/contacts';

/**
 * An audience (群发对象) is a member's customers carrying at least one of the chosen tags. WeCom's add_msg_template
 * takes it as `sender` + `tag_filter: { group_list: [{ tag_list }] }`: tags of one group match with OR, and only the
 * tags that member gave the customer count. The count here walks the same data WeCom filters, so it is what would
 * be sent now; tags may change before the message is due.
 */

type Caller = Pick<WecomClient, 'call'>;

/** Customers read for a count at most (WeCom takes at most 10,000 recipients per task). */
const MAX_COUNT_PAGES = 100;

/** Members who can send to customers: inside the app's visible range and with the 客户联系 feature. */
export async function audienceMemberIds(client: Caller): Promise<string[]> {
  try {
    const res = await client.call<{ follow_user?: string[] }>('externalcontact/get_follow_user_list', {
      method: 'GET',
    });
    return res.follow_user ?? [];
  } catch (err) {
    // 48002: the app is not among 客户联系's callable apps, so nobody can be sent for.
    if (wecomErrcodeOf(err) === 48002) return [];
    throw err;
  }
}

const notSender = (userId: string) =>
  new HttpError(403, 'audience_member_unavailable', {
    zh: `成员 ${userId} 不在应用可见范围内或未开通客户联系，无法为其安排群发`,
    en: `Member ${userId} is outside the app’s visible range or has no customer-contact feature`,
  });

/** Throws 403 unless WeCom would push a mass message to this member, and 400 for a tag not in the library. */
export async function checkAudience(
  client: Caller,
  audience: { userId: string; tagIds: string[] },
): Promise<void> {
  const [members, groups] = await Promise.all([audienceMemberIds(client), getCorpTags({ client })]);
  if (!members.includes(audience.userId)) throw notSender(audience.userId);
  const known = new Set(groups.flatMap((g) => g.tags.map((t) => t.id)));
  const unknown = audience.tagIds.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new HttpError(400, 'audience_tag_unknown', {
      zh: `标签不存在：${unknown.join(', ')}`,
      en: `No such tag: ${unknown.join(', ')}`,
    });
}

export interface AudienceCount {
  /** Customers of the member carrying at least one of the tags. */
  matched: number;
  /** The member's customers read. */
  total: number;
  /** False when the member has more customers than a count reads (then `matched` is a lower bound). */
  complete: boolean;
}

/** How many of the member's customers the audience reaches now (a dry run of the tag filter). */
export async function countAudience(
  client: Caller,
  audience: { userId: string; tagIds: string[] },
): Promise<AudienceCount> {
  const wanted = new Set(audience.tagIds);
  let matched = 0;
  let total = 0;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_COUNT_PAGES; page++) {
    let res: Awaited<ReturnType<typeof listCustomersPage>>;
    try {
      res = await listCustomersPage(audience.userId, { cursor, limit: 100 }, { client });
    } catch (err) {
      // 84061: the member has no customers.
      if (wecomErrcodeOf(err) === 84061) break;
      throw err;
    }
    total += res.items.length;
    matched += res.items.filter((c) => c.tagIds.some((t) => wanted.has(t))).length;
    cursor = res.nextCursor;
    if (!cursor) return { matched, total, complete: true };
  }
  return { matched, total, complete: cursor === null };
}
