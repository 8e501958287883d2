'use client';

import { useEffect, useRef, useState } from 'react';
import { Avatar } from './Avatar';
import { Badge } from './ConversationList';
import { type ChatMessage, type Conversation, type Employee, postMessage } from './api';
import styles from './simulator.module.css';

interface Props {
  conversation?: Conversation;
  messages: ChatMessage[];
  userId?: string;
  employees: Employee[];
  onSent: () => void;
}

function senderName(m: ChatMessage, employees: Employee[], conversation: Conversation): string {
  const employee = employees.find((e) => e.userId === m.fromUserId);
  if (employee) return employee.name;
  if (conversation.kind === 'single' && m.fromUserId === conversation.externalUserId)
    return conversation.name;
  return m.fromUserId;
}

function timeOf(m: ChatMessage): string {
  if (m.createdAt === undefined) return '';
  const ms = typeof m.createdAt === 'number' && m.createdAt < 1e12 ? m.createdAt * 1000 : m.createdAt;
  const d = new Date(ms);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
}

export function ChatPane({ conversation, messages, userId, employees, onSent }: Props) {
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, conversation]);

  if (!conversation) {
    return (
      <section className={styles.chat} aria-label="聊天 / Chat">
        <div className={styles.emptyChat}>
          选择左侧的客户或客户群开始聊天
          <br />
          <span className={styles.muted}>Pick a customer or group chat on the left</span>
        </div>
      </section>
    );
  }

  async function send() {
    const content = draft.trim();
    if (!content || !conversation || !userId) return;
    setSending(true);
    try {
      await postMessage({
        target:
          conversation.kind === 'single'
            ? { externalUserId: conversation.externalUserId }
            : { chatId: conversation.chatId },
        fromUserId: userId,
        msgtype: 'text',
        text: { content },
      });
      setDraft('');
      onSent();
    } finally {
      setSending(false);
    }
  }

  return (
    <section className={styles.chat} aria-label="聊天 / Chat">
      <header className={styles.chatHeader}>
        <span className={styles.chatTitle}>
          {conversation.name}
          {conversation.kind === 'group' && conversation.memberCount ? `（${conversation.memberCount}）` : ''}
        </span>
        <Badge c={conversation} />
      </header>
      <div className={styles.messages} data-testid="chat-messages">
        {messages.length === 0 ? (
          <div className={styles.systemNote}>
            暂无消息，从侧边栏发送快捷回复试试 · No messages yet — send a quick reply from the sidebar
          </div>
        ) : null}
        {messages.map((m, i) => {
          const mine = m.fromUserId === userId;
          const name = senderName(m, employees, conversation);
          return (
            <div
              key={m.id ?? i}
              className={`${styles.message} ${mine ? styles.mine : ''}`}
              data-testid="chat-message"
            >
              <Avatar
                name={name || '?'}
                size={32}
                src={employees.find((e) => e.userId === m.fromUserId)?.avatar}
              />
              <div className={styles.messageBody}>
                <span className={styles.messageMeta}>
                  {mine ? '' : name} {timeOf(m)}
                </span>
                {m.msgtype === 'news' && m.news ? (
                  <a
                    className={`${styles.bubble} ${styles.news}`}
                    href={m.news.link}
                    target="_blank"
                    rel="noreferrer"
                  >
                    <strong>{m.news.title}</strong>
                    <span className={styles.newsRow}>
                      <span className={styles.muted}>{m.news.desc}</span>
                      {m.news.imgUrl ? (
                        // eslint-disable-next-line @next/next/no-img-element -- arbitrary link-card image
                        <img src={m.news.imgUrl} alt="" className={styles.newsImg} />
                      ) : null}
                    </span>
                  </a>
                ) : m.msgtype === 'miniprogram' && miniprogramOf(m) ? (
                  <div className={`${styles.bubble} ${styles.news}`} data-msgtype="miniprogram">
                    <strong>{miniprogramOf(m)!.title}</strong>
                    <span className={styles.newsRow}>
                      <span className={styles.muted}>小程序 · {miniprogramOf(m)!.page}</span>
                      {/* eslint-disable-next-line @next/next/no-img-element -- the card's cover URL */}
                      <img src={miniprogramOf(m)!.imgUrl} alt="" className={styles.newsImg} />
                    </span>
                  </div>
                ) : mediaOf(m) ? (
                  <div className={styles.bubble} data-msgtype={m.msgtype}>
                    {m.msgtype === 'image' ? (
                      // eslint-disable-next-line @next/next/no-img-element -- the emulator's copy of the upload
                      <img
                        src={`/wecom-emulator/media/${encodeURIComponent(mediaOf(m)!.mediaid)}`}
                        alt={mediaOf(m)!.filename}
                        className={styles.sentImage}
                      />
                    ) : null}
                    <span>
                      {MEDIA_ICON[m.msgtype] ?? ''} {mediaOf(m)!.filename}
                    </span>
                  </div>
                ) : (
                  <div className={styles.bubble}>{m.text?.content ?? `[${m.msgtype}]`}</div>
                )}
              </div>
            </div>
          );
        })}
        <div ref={end} />
      </div>
      <form
        className={styles.composer}
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <textarea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          placeholder="输入消息，Enter 发送 · Type a message, Enter to send"
          aria-label="消息 / Message"
          rows={3}
        />
        <button type="submit" className={styles.sendButton} disabled={sending || !draft.trim()}>
          发送 Send
        </button>
      </form>
    </section>
  );
}

const MEDIA_ICON: Record<string, string> = { image: '🖼 [图片]', video: '▶ [视频]', file: '📄' };

/** An image, video or file message: the client shows the uploaded file by its name. */
function mediaOf(m: ChatMessage): { filename: string; mediaid: string } | null {
  if (m.msgtype !== 'image' && m.msgtype !== 'video' && m.msgtype !== 'file') return null;
  const v = m[m.msgtype] as { filename?: unknown; mediaid?: unknown } | undefined;
  return v && typeof v.filename === 'string'
    ? { filename: v.filename, mediaid: typeof v.mediaid === 'string' ? v.mediaid : '' }
    : null;
}

function miniprogramOf(m: ChatMessage): { title: string; page: string; imgUrl: string } | null {
  const v = m.miniprogram as { title?: unknown; page?: unknown; imgUrl?: unknown } | undefined;
  return v && typeof v.title === 'string'
    ? { title: v.title, page: String(v.page ?? ''), imgUrl: String(v.imgUrl ?? '') }
    : null;
}
