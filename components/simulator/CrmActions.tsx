'use client';

import { useEffect, useState } from 'react';
import useSWR from 'swr';
import { api, ApiError } from '@/lib/api-client';
import type { Conversation } from './api';
import styles from './simulator.module.css';

interface CustomerState {
  externalUserId: string;
  name: string;
  follow: { userId: string; tags: { tagId: string; name: string | null }[] }[];
  groupChats: { chatId: string; name: string }[];
}

interface TagGroups {
  tagGroups: {
    group_id: string;
    group_name: string;
    deleted?: boolean;
    tag: { id: string; name: string; deleted?: boolean }[];
  }[];
}

const post = (path: string, body: unknown) => api.post(`/wecom-emulator/crm/${path}`, body);

/**
 * What people do in WeCom itself, outside the app: the customer deletes the member, joins or leaves a group chat,
 * the member adds a customer, an admin renames or deletes a tag in the admin console. Each changes the emulated
 * corp and pushes the change event to the app's callback URL, like WeCom.
 */
export function CrmActions({
  conversation,
  userId,
  groups,
  onChanged,
}: {
  conversation: Conversation | undefined;
  userId: string | undefined;
  groups: { chatId: string; name: string }[];
  onChanged(): void;
}) {
  const single = conversation?.kind === 'single' ? conversation : undefined;
  const customer = useSWR<CustomerState>(
    single
      ? `/wecom-emulator/crm/customer?externalUserId=${encodeURIComponent(single.externalUserId)}`
      : null,
    api.get,
  );
  const tags = useSWR<TagGroups>('/wecom-emulator/crm/tags', api.get);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [chatId, setChatId] = useState('');
  const [tagId, setTagId] = useState('');
  const [newCustomer, setNewCustomer] = useState('');

  // What the emulated client opened for the sidebar (profile card, chat).
  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== window.location.origin) return;
      const data = event.data as { type?: string; detail?: Record<string, unknown> } | null;
      if (data?.type !== 'wecom-emulator:action' || !data.detail) return;
      const d = data.detail;
      setStatus(
        d.api === 'openUserProfile'
          ? `已打开资料卡 / Opened the profile card: ${String(d.userid)}`
          : `已打开会话 / Opened a chat with: ${[...((d.userIds as string[]) ?? []), ...((d.externalUserIds as string[]) ?? [])].join(', ')}`,
      );
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  async function run(label: string, fn: () => Promise<unknown>) {
    setBusy(true);
    setStatus(null);
    try {
      await fn();
      setStatus(`${label} ✓`);
      await Promise.all([customer.mutate(), tags.mutate()]);
      onChanged();
    } catch (err) {
      setStatus(err instanceof ApiError ? `${label}: ${err.userMessage.zh}` : `${label}: failed`);
    } finally {
      setBusy(false);
    }
  }

  const inGroups = new Set((customer.data?.groupChats ?? []).map((g) => g.chatId));
  const liveTags = (tags.data?.tagGroups ?? [])
    .filter((g) => !g.deleted)
    .flatMap((g) =>
      g.tag.filter((t) => !t.deleted).map((t) => ({ id: t.id, name: `${g.group_name} · ${t.name}` })),
    );
  const chosenChat = chatId || groups[0]?.chatId || '';
  const chosenTag = tagId || liveTags[0]?.id || '';

  return (
    <div className={styles.crmBar} data-testid="crm-actions">
      <strong>在企业微信中 / In WeCom:</strong>
      {single && userId ? (
        <>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run('客户删除了我 / Customer deleted me', () =>
                post('customer-deletes-member', { externalUserId: single.externalUserId, userId }),
              )
            }
          >
            客户删除了我 / Customer deletes me
          </button>
          <select
            aria-label="客户群 / Group chat"
            value={chosenChat}
            onChange={(e) => setChatId(e.target.value)}
          >
            {groups.map((g) => (
              <option key={g.chatId} value={g.chatId}>
                {g.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={busy || !chosenChat}
            onClick={() =>
              void run(
                inGroups.has(chosenChat) ? '客户退群 / Customer left' : '客户入群 / Customer joined',
                () =>
                  post(inGroups.has(chosenChat) ? 'customer-leaves-group' : 'customer-joins-group', {
                    chatId: chosenChat,
                    externalUserId: single.externalUserId,
                  }),
              )
            }
          >
            {inGroups.has(chosenChat) ? '客户退群 / Customer leaves' : '客户入群 / Customer joins'}
          </button>
        </>
      ) : null}
      {userId ? (
        <>
          <input
            aria-label="客户 ID / Customer id"
            placeholder="external_userid"
            value={newCustomer}
            onChange={(e) => setNewCustomer(e.target.value)}
          />
          <button
            type="button"
            disabled={busy || !newCustomer.trim()}
            onClick={() =>
              void run('添加客户 / Added a customer', () =>
                post('member-adds-customer', { externalUserId: newCustomer.trim(), userId }),
              )
            }
          >
            添加客户 / Add customer
          </button>
        </>
      ) : null}
      <select aria-label="标签 / Tag" value={chosenTag} onChange={(e) => setTagId(e.target.value)}>
        {liveTags.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={busy || !chosenTag}
        onClick={() => {
          const name = window.prompt('管理后台：新标签名 / Admin console: new tag name');
          if (name)
            void run('管理员改标签 / Admin renamed a tag', () =>
              post('admin-edit-tag', { id: chosenTag, name }),
            );
        }}
      >
        管理员改标签 / Admin renames tag
      </button>
      <button
        type="button"
        disabled={busy || !chosenTag}
        onClick={() =>
          void run('管理员删标签 / Admin deleted a tag', () => post('admin-delete-tag', { id: chosenTag }))
        }
      >
        管理员删标签 / Admin deletes tag
      </button>
      {status ? (
        <span role="status" data-testid="crm-action-status">
          {status}
        </span>
      ) : null}
    </div>
  );
}
