import 'server-only';
import { errcodeOf, nowOf, type CrmDeps } from './context';
import { isoOrNull, personOf } from './followers';
import type { CustomerGroup } from './types';

/**
 * Which customer is in which customer group chat. WeCom has no API from a customer to their groups, so the corp's
 * groups are indexed once (groupchat/list + groupchat/get, the groups the app can see) and then kept current by
 * change_external_chat events, each re-reading the one chat that changed.
 */

const RESYNC_MS = 24 * 3600 * 1000;
const SYNC_LOCK_MS = 60 * 1000;

interface WireChat {
  group_chat: {
    chat_id: string;
    name?: string;
    owner?: string;
    member_list?: { userid: string; type: number; join_time?: number }[];
  };
}

async function fetchChat(deps: CrmDeps, chatId: string): Promise<WireChat['group_chat'] | null> {
  try {
    const res = await deps.wecom.call<WireChat>('externalcontact/groupchat/get', {
      method: 'POST',
      body: { chat_id: chatId },
      idempotent: true,
    });
    return res.group_chat;
  } catch (err) {
    const code = errcodeOf(err);
    // Dismissed, unknown, not a customer group, or its owner left the visible range.
    if (code === 40050 || code === 90501 || code === 60011) return null;
    throw err;
  }
}

async function writeChat(deps: CrmDeps, chatId: string, chat: WireChat['group_chat'] | null): Promise<void> {
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('crm_group_members')
      .where('corp_id', '=', deps.corpId)
      .where('chat_id', '=', chatId)
      .execute();
    await tx
      .deleteFrom('crm_group_chats')
      .where('corp_id', '=', deps.corpId)
      .where('chat_id', '=', chatId)
      .execute();
    if (!chat) return;
    const members = chat.member_list ?? [];
    await tx
      .insertInto('crm_group_chats')
      .values({
        corp_id: deps.corpId,
        chat_id: chatId,
        name: chat.name ?? '',
        owner: chat.owner ?? '',
        member_count: members.length,
        updated_at: now,
      })
      .execute();
    const customers = members.filter((m) => m.type === 2);
    if (customers.length > 0) {
      await tx
        .insertInto('crm_group_members')
        .values(
          customers.map((m) => ({
            corp_id: deps.corpId,
            chat_id: chatId,
            external_userid: m.userid,
            joined_at: typeof m.join_time === 'number' ? m.join_time * 1000 : null,
          })),
        )
        .execute();
    }
  });
}

/** Re-reads one chat; answers which customers joined and left compared with the index. */
export async function refreshChat(
  deps: CrmDeps,
  chatId: string,
): Promise<{ name: string; before: Set<string>; after: Set<string> }> {
  const before = await deps.db
    .selectFrom('crm_group_members')
    .select('external_userid')
    .where('corp_id', '=', deps.corpId)
    .where('chat_id', '=', chatId)
    .execute();
  const chat = await fetchChat(deps, chatId);
  await writeChat(deps, chatId, chat);
  return {
    name: chat?.name ?? '',
    before: new Set(before.map((r) => r.external_userid)),
    after: new Set((chat?.member_list ?? []).filter((m) => m.type === 2).map((m) => m.userid)),
  };
}

export async function indexSynced(deps: CrmDeps): Promise<boolean> {
  const row = await deps.db
    .selectFrom('crm_group_syncs')
    .select('synced_at')
    .where('corp_id', '=', deps.corpId)
    .executeTakeFirst();
  return !!row;
}

/** Fills the index when it was never filled (or a day ago); concurrent callers read what is there. */
export async function ensureGroupIndex(deps: CrmDeps): Promise<void> {
  const row = await deps.db
    .selectFrom('crm_group_syncs')
    .select('synced_at')
    .where('corp_id', '=', deps.corpId)
    .executeTakeFirst();
  if (row && nowOf(deps) - Number(row.synced_at) < RESYNC_MS) return;
  const release = await deps.store.tryLock(`crm:groupsync:${deps.corpId}`, SYNC_LOCK_MS);
  if (!release) return;
  try {
    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const res = await deps.wecom.call<{ group_chat_list?: { chat_id: string }[]; next_cursor?: string }>(
        'externalcontact/groupchat/list',
        { method: 'POST', body: { limit: 1000, ...(cursor ? { cursor } : {}) }, idempotent: true },
      );
      ids.push(...(res.group_chat_list ?? []).map((g) => g.chat_id));
      cursor = res.next_cursor ?? '';
      if (!cursor) break;
    }
    const known = await deps.db
      .selectFrom('crm_group_chats')
      .select('chat_id')
      .where('corp_id', '=', deps.corpId)
      .execute();
    for (const k of known) if (!ids.includes(k.chat_id)) await writeChat(deps, k.chat_id, null);
    for (const id of ids) await writeChat(deps, id, await fetchChat(deps, id));
    const now = nowOf(deps);
    await deps.db
      .insertInto('crm_group_syncs')
      .values({ corp_id: deps.corpId, synced_at: now })
      .onConflict((oc) => oc.column('corp_id').doUpdateSet({ synced_at: now }))
      .execute();
  } finally {
    await release();
  }
}

/** The customer groups the customer is in (the index; filled on first use). */
export async function customerGroups(deps: CrmDeps, externalUserId: string): Promise<CustomerGroup[]> {
  await ensureGroupIndex(deps);
  const rows = await deps.db
    .selectFrom('crm_group_members as m')
    .innerJoin('crm_group_chats as c', (j) =>
      j.onRef('c.corp_id', '=', 'm.corp_id').onRef('c.chat_id', '=', 'm.chat_id'),
    )
    .select(['c.chat_id', 'c.name', 'c.owner', 'c.member_count', 'm.joined_at'])
    .where('m.corp_id', '=', deps.corpId)
    .where('m.external_userid', '=', externalUserId)
    .orderBy('c.name')
    .execute();
  return Promise.all(
    rows.map(async (r) => ({
      chatId: r.chat_id,
      name: r.name || '未命名的客户群',
      owner: await personOf(deps, r.owner),
      memberCount: Number(r.member_count),
      joinedAt: isoOrNull(r.joined_at === null ? null : Number(r.joined_at)),
    })),
  );
}

/** The customer groups a member owns (workbench: 我的客户群). */
export async function ownedGroups(deps: CrmDeps, userId: string): Promise<CustomerGroup[]> {
  await ensureGroupIndex(deps);
  const rows = await deps.db
    .selectFrom('crm_group_chats')
    .select(['chat_id', 'name', 'owner', 'member_count'])
    .where('corp_id', '=', deps.corpId)
    .where('owner', '=', userId)
    .orderBy('name')
    .execute();
  const owner = await personOf(deps, userId);
  return rows.map((r) => ({
    chatId: r.chat_id,
    name: r.name || '未命名的客户群',
    owner,
    memberCount: Number(r.member_count),
    joinedAt: null,
  }));
}
