'use client';

import { useEffect, useRef, useState } from 'react';
import { Avatar } from './Avatar';
import { type Conversation, conversationKey } from './api';
import styles from './simulator.module.css';

interface Props {
  conversations?: Conversation[];
  loading: boolean;
  selectedKey?: string;
  disabled: boolean;
  onSelect: (c: Conversation) => void;
}

export function ConversationList({ conversations, loading, selectedKey, disabled, onSelect }: Props) {
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const loaded = !!conversations;
  useEffect(() => {
    listRef.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey, loaded]);
  const q = query.trim().toLowerCase();
  const shown = (conversations ?? []).filter((c) => !q || c.name.toLowerCase().includes(q));
  return (
    <section className={styles.list} aria-label="会话列表 / Conversations">
      <div className={styles.search}>
        <input
          type="search"
          placeholder="搜索 Search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="搜索会话 / Search conversations"
        />
      </div>
      <ul className={styles.items} data-testid="conversation-list" ref={listRef}>
        {loading ? <li className={styles.placeholder}>加载中… Loading…</li> : null}
        {!loading && shown.length === 0 ? (
          <li className={styles.placeholder}>
            暂无外部联系人会话
            <br />
            No customer chats
          </li>
        ) : null}
        {shown.map((c) => {
          const key = conversationKey(c);
          const active = key === selectedKey;
          return (
            <li key={key}>
              <button
                type="button"
                className={`${styles.item} ${active ? styles.itemActive : ''}`}
                aria-current={active ? 'true' : undefined}
                disabled={disabled}
                data-testid={`conversation-${c.kind === 'single' ? c.externalUserId : c.chatId}`}
                onClick={() => onSelect(c)}
              >
                <Avatar name={c.name} src={c.avatar} group={c.kind === 'group'} />
                <span className={styles.itemText}>
                  <span className={styles.itemName}>
                    {c.name}
                    <Badge c={c} />
                  </span>
                  <span className={styles.itemSub}>
                    {c.kind === 'group'
                      ? `客户群 · ${c.memberCount ?? '?'} 人 / group chat`
                      : c.remark
                        ? `备注 Remark：${c.remark}`
                        : c.type === 2
                          ? `企业微信用户 / WeCom user`
                          : `微信用户 / WeChat user`}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function Badge({ c }: { c: Conversation }) {
  if (c.kind === 'group') return <span className={`${styles.badge} ${styles.badgeGroup}`}>外部</span>;
  if (c.type === 2)
    return <span className={`${styles.badge} ${styles.badgeCorp}`}>@{c.corpName ?? '企业'}</span>;
  return <span className={`${styles.badge} ${styles.badgeWechat}`}>@微信</span>;
}
