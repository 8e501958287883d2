'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import useSWR from 'swr';
import {
  belongsTo,
  clientKey,
  type ClientState,
  type Conversation,
  conversationKey,
  fetchClient,
  fetchConversations,
  fetchEmployees,
  fetchMessages,
  fetchSuiteCorps,
  logoutApp,
  setClient,
  setClientCorp,
} from './api';
import { ChatPane } from './ChatPane';
import { CrmActions } from './CrmActions';
import { ClientSettings } from './ClientSettings';
import { MassAssistant } from './MassAssistant';
import { ConversationList } from './ConversationList';
import { Avatar } from './Avatar';
import styles from './simulator.module.css';

export interface SimulatorProps {
  /** Page shown in the chat-toolbar slot (the real /sidebar by default). */
  sidebarPath: string;
  initialPhone?: boolean;
  /** Third-party demo: a corp switcher, and pages opened with `corpid=` like WeCom's `$CORPID$`. */
  thirdParty?: boolean;
}

function entryFor(c: Conversation): Partial<ClientState> {
  return c.kind === 'single'
    ? { entry: 'single_chat_tools', externalUserId: c.externalUserId, chatId: null }
    : { entry: 'group_chat_tools', chatId: c.chatId, externalUserId: null };
}

/** Appends `corpid` the way WeCom expands `$CORPID$` in the app's URLs. */
function withCorp(path: string, corpId: string | undefined): string {
  if (!corpId) return path;
  return `${path}${path.includes('?') ? '&' : '?'}corpid=${encodeURIComponent(corpId)}`;
}

// WeCom opens the app home inside the client, where sign-in is the silent in-client OAuth; the frame's HTTP
// requests carry the browser's own user agent, so the in-client sign-in is asked for explicitly.
function phoneHome(corpId: string | undefined): string {
  return `/api/auth/login?returnTo=${encodeURIComponent(withCorp('/workbench', corpId))}&client=1`;
}

export default function Simulator({ sidebarPath, initialPhone = false, thirdParty = false }: SimulatorProps) {
  const suite = useSWR(thirdParty ? 'emulator:suite' : null, fetchSuiteCorps);
  const corpId = thirdParty ? suite.data?.clientCorpId : undefined;
  const client = useSWR(['emulator:client', corpId], fetchClient);
  const employees = useSWR(['emulator:employees', corpId], fetchEmployees);
  const userId = client.data?.userId;
  const conversations = useSWR(userId ? ['emulator:conversations', userId, corpId] : null, ([, id]) =>
    fetchConversations(id),
  );
  const messages = useSWR(['emulator:messages', corpId], fetchMessages, { refreshInterval: 5000 });
  const [frameKey, setFrameKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [phone, setPhone] = useState(initialPhone);
  const [error, setError] = useState<string | null>(null);

  const selectedKey = clientKey(client.data);
  const selected = useMemo(
    () => conversations.data?.find((c) => conversationKey(c) === selectedKey),
    [conversations.data, selectedKey],
  );
  const me = employees.data?.find((e) => e.userId === userId);

  const reloadSidebar = useCallback(() => setFrameKey((k) => k + 1), []);

  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, []);

  // The app opens from the chat toolbar (客户侧边栏) or from the chat's attachment bar (聊天附件栏).
  const attachment = client.data?.entry === 'chat_attachment';
  const openFrom = (where: 'toolbar' | 'attachment') =>
    run(async () => {
      if (!selected) return;
      await setClient(
        where === 'toolbar'
          ? entryFor(selected)
          : {
              entry: 'chat_attachment',
              chatId: selected.kind === 'group' ? selected.chatId : null,
              externalUserId: selected.kind === 'single' ? selected.externalUserId : null,
            },
      );
      await client.mutate();
      reloadSidebar();
    });

  const selectConversation = (c: Conversation) =>
    run(async () => {
      await setClient(entryFor(c));
      await client.mutate();
      reloadSidebar();
    });

  const switchEmployee = (nextUserId: string) =>
    run(async () => {
      const list = await fetchConversations(nextUserId);
      const first = list[0];
      await setClient(
        first
          ? { userId: nextUserId, ...entryFor(first) }
          : { userId: nextUserId, entry: 'normal', externalUserId: null, chatId: null },
      );
      await logoutApp();
      await Promise.all([client.mutate(), conversations.mutate()]);
      reloadSidebar();
    });

  const switchCorp = (nextCorpId: string) =>
    run(async () => {
      await setClientCorp(nextCorpId);
      await logoutApp();
      await suite.mutate();
      reloadSidebar();
    });

  // The bridge in the sidebar frame announces sendChatMessage so the chat pane updates at once.
  const refreshMessages = messages.mutate;
  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== window.location.origin) return;
      const data = event.data as { type?: string } | null;
      if (data && data.type === 'wecom-emulator:message') void refreshMessages();
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [refreshMessages]);

  const chatMessages = useMemo(
    () => (selected && userId ? (messages.data ?? []).filter((m) => belongsTo(m, selected, userId)) : []),
    [messages.data, selected, userId],
  );

  const loadError = client.error || employees.error;

  return (
    <div className={styles.desktop}>
      <div className={styles.window} data-testid="simulator">
        <header className={styles.titlebar}>
          <span className={styles.appTitle}>企业微信 · WeCom</span>
          <span className={styles.titleHint}>模拟器 / Simulator</span>
          <div className={styles.titleActions}>
            {thirdParty ? (
              <label className={styles.switcher}>
                <span>企业 Corp</span>
                <select
                  aria-label="当前企业 / Current corp"
                  data-testid="corp-switcher"
                  value={corpId ?? ''}
                  disabled={busy || !suite.data}
                  onChange={(e) => switchCorp(e.target.value)}
                >
                  {(suite.data?.corps ?? []).map((c) => (
                    <option key={c.corpId} value={c.corpId}>
                      {c.name}
                      {c.authorized ? '' : '（未安装 / not installed）'}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className={styles.switcher}>
              <span>当前员工 Employee</span>
              <select
                aria-label="当前员工 / Current employee"
                data-testid="employee-switcher"
                value={userId ?? ''}
                disabled={busy || !employees.data}
                onChange={(e) => switchEmployee(e.target.value)}
              >
                {(employees.data ?? []).map((e) => (
                  <option key={e.userId} value={e.userId}>
                    {e.name}（{e.userId}）{e.position ? ` · ${e.position}` : ''}
                  </option>
                ))}
              </select>
            </label>
            {client.data ? (
              <ClientSettings
                client={client.data}
                corpId={corpId}
                thirdParty={thirdParty}
                disabled={busy}
                run={run}
                onChanged={async () => {
                  await client.mutate();
                  reloadSidebar();
                }}
              />
            ) : null}
            <MassAssistant userId={userId} onSent={() => void messages.mutate()} />
            <button type="button" className={styles.linkButton} onClick={() => setPhone(true)}>
              手机工作台 Phone
            </button>
          </div>
        </header>

        <div className={styles.body}>
          <nav className={styles.rail} aria-label="导航 / Navigation">
            <Avatar name={me?.name ?? userId ?? '?'} src={me?.avatar} size={36} />
            <span className={`${styles.railItem} ${styles.railActive}`} title="消息 / Messages">
              <RailIcon d="M4 5h16v11H8l-4 4z" />
            </span>
            <span className={styles.railItem} title="通讯录 / Contacts">
              <RailIcon d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0z" />
            </span>
            <button
              type="button"
              className={styles.railItem}
              title="工作台 / Workbench (phone)"
              onClick={() => setPhone(true)}
            >
              <RailIcon d="M4 4h7v7H4zm9 0h7v7h-7zM4 13h7v7H4zm9 0h7v7h-7z" />
            </button>
          </nav>

          <ConversationList
            conversations={conversations.data}
            loading={!conversations.data && !conversations.error}
            selectedKey={selectedKey}
            disabled={busy}
            onSelect={selectConversation}
          />

          <ChatPane
            conversation={selected}
            messages={chatMessages}
            userId={userId}
            employees={employees.data ?? []}
            onSent={() => void messages.mutate()}
          />

          <aside className={styles.sidebar} aria-label="聊天工具栏 / Chat toolbar">
            <div className={styles.sidebarHeader}>
              <span className={styles.sidebarTitle}>{attachment ? '聊天附件栏' : '客户侧边栏'}</span>
              <select
                aria-label="打开位置 / Opened from"
                data-testid="open-from"
                value={attachment ? 'attachment' : 'toolbar'}
                disabled={busy || !selected}
                onChange={(e) => openFrom(e.target.value === 'attachment' ? 'attachment' : 'toolbar')}
              >
                <option value="toolbar">工具栏 Toolbar</option>
                <option value="attachment">附件栏 Attachment bar</option>
              </select>
              <button
                type="button"
                className={styles.iconButton}
                onClick={reloadSidebar}
                title="刷新 / Reload"
                aria-label="刷新侧边栏 / Reload sidebar"
              >
                ⟳
              </button>
              <a
                className={styles.iconButton}
                href={withCorp(sidebarPath, corpId)}
                target="_blank"
                rel="noreferrer"
                title="新窗口打开 / Open"
              >
                ↗
              </a>
            </div>
            {client.data ? (
              <iframe
                key={frameKey}
                className={styles.sidebarFrame}
                src={withCorp(sidebarPath, corpId)}
                name="wecom-sidebar"
                title="客户侧边栏 / Sidebar"
                data-testid="sidebar-frame"
              />
            ) : (
              <div className={styles.placeholder}>加载中… Loading…</div>
            )}
          </aside>
        </div>
        <CrmActions
          conversation={selected}
          userId={userId}
          groups={(conversations.data ?? []).flatMap((c) =>
            c.kind === 'group' ? [{ chatId: c.chatId, name: c.name }] : [],
          )}
          onChanged={() => {
            void conversations.mutate();
            reloadSidebar();
          }}
        />
        {error || loadError ? (
          <div className={styles.error} role="alert">
            模拟器请求失败 / Simulator request failed: {error ?? String(loadError)}
          </div>
        ) : null}
      </div>

      {phone ? (
        <div
          className={styles.phoneOverlay}
          role="dialog"
          aria-label="手机工作台 / Phone workbench"
          onClick={(e) => {
            if (e.target === e.currentTarget) setPhone(false);
          }}
        >
          <div className={styles.phone}>
            <div className={styles.phoneBar}>
              <span>工作台 Workbench</span>
              <button
                type="button"
                className={styles.iconButton}
                onClick={() => setPhone(false)}
                aria-label="关闭 / Close"
              >
                ✕
              </button>
            </div>
            <iframe
              className={styles.phoneFrame}
              src={phoneHome(corpId)}
              name="wecom-mobile"
              title="工作台 / Workbench"
              data-testid="phone-frame"
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function RailIcon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d={d} fill="currentColor" />
    </svg>
  );
}
