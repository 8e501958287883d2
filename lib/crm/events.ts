import 'server-only';
import { createHash } from 'node:crypto';
import { nowOf, type CrmDeps } from './context';
import { forgetFollowers } from './followers';
import { indexSynced, refreshChat } from './groups';
import { forgetLibrary } from './tags';
import { addEntry } from './timeline';
import type { TimelineKind } from './types';

/**
 * What the CRM does with a WeCom change event, from the self-built app's callback URL or the suite's instruction
 * URL (same fields; the envelope differs): customer events land on the customer's timeline and drop the
 * follower cache, group events re-read the chat and record who joined or left, tag events drop the tag library.
 * Every entry's dedup key comes from the event's own fields, so a replayed event lands once.
 */

/** The decrypted message's elements (text values; MemChangeList is `{ Item: string | string[] }`). */
export type EventFields = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function items(v: unknown): string[] {
  const item = (v as { Item?: unknown } | null)?.Item;
  return (Array.isArray(item) ? item : [item]).filter((x): x is string => typeof x === 'string' && x !== '');
}

const CONTACT_KINDS: Record<string, TimelineKind> = {
  add_external_contact: 'customer_added',
  add_half_external_contact: 'customer_added',
  del_external_contact: 'customer_deleted',
  del_follow_user: 'member_deleted',
  edit_external_contact: 'customer_edited',
};

/**
 * A stable id of one event, the same for a re-encrypted retry and for the same change arriving in the self-built
 * form (Event, CreateTime) and the third-party form (InfoType, TimeStamp).
 */
export function eventKey(fields: EventFields): string {
  const normal = {
    event: text(fields.Event) || text(fields.InfoType),
    time: text(fields.CreateTime) || text(fields.TimeStamp),
    change: text(fields.ChangeType),
    user: text(fields.UserID),
    customer: text(fields.ExternalUserID),
    chat: text(fields.ChatId),
    detail: text(fields.UpdateDetail),
    members: items(fields.MemChangeList),
    id: text(fields.Id),
    tagType: text(fields.TagType),
    source: text(fields.Source),
  };
  return createHash('sha256').update(JSON.stringify(normal)).digest('hex').slice(0, 40);
}

/** Event time: CreateTime (self-built) or TimeStamp (third-party), seconds. */
function eventTime(deps: CrmDeps, f: EventFields): number {
  const s = Number(text(f.CreateTime) || text(f.TimeStamp));
  return Number.isFinite(s) && s > 0 ? s * 1000 : nowOf(deps);
}

export async function handleCrmEvent(deps: CrmDeps, fields: EventFields): Promise<void> {
  const event = text(fields.Event) || text(fields.InfoType);
  const changeType = text(fields.ChangeType);
  const key = eventKey(fields);
  const at = eventTime(deps, fields);
  if (event === 'change_external_contact') {
    const kind = CONTACT_KINDS[changeType];
    const externalUserId = text(fields.ExternalUserID);
    const userId = text(fields.UserID);
    if (!externalUserId) return;
    await forgetFollowers(deps, externalUserId);
    if (!kind) return;
    await addEntry(deps.db, deps.corpId, {
      externalUserId,
      kind,
      at,
      actor: userId ? { userId } : null,
      data: { changeType, ...(text(fields.Source) ? { source: text(fields.Source) } : {}) },
      source: 'wecom',
      dedupKey: key,
    });
    return;
  }
  if (event === 'change_external_chat') {
    const chatId = text(fields.ChatId);
    if (!chatId) return;
    const synced = await indexSynced(deps);
    const { name, before, after } = await refreshChat(deps, chatId);
    // The event names who joined or left (members and customers); without that list, the index's difference.
    const changed = items(fields.MemChangeList);
    let joined = [...after].filter((id) => !before.has(id));
    let left = [...before].filter((id) => !after.has(id));
    if (changed.length > 0) {
      const detail = text(fields.UpdateDetail);
      joined = detail === 'add_member' ? changed.filter((id) => after.has(id)) : [];
      left = detail === 'del_member' ? changed.filter((id) => before.has(id) && !after.has(id)) : [];
    } else if (!synced) {
      return;
    }
    for (const [list, kind] of [
      [joined, 'group_joined'],
      [left, 'group_left'],
    ] as const) {
      for (const externalUserId of list) {
        await addEntry(deps.db, deps.corpId, {
          externalUserId,
          kind,
          at,
          data: { chatId, chatName: name, updateDetail: text(fields.UpdateDetail) || changeType },
          source: 'wecom',
          dedupKey: `${key}:${externalUserId}`,
        });
      }
    }
    return;
  }
  if (event === 'change_external_tag') await forgetLibrary(deps);
}
