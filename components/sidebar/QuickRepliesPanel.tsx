'use client';

import { useEffect, useMemo, useState } from 'react';
import useSWR from 'swr';
import { Chip, Skeleton, StateMessage, Toast } from '@/components/ui';
import { sdkErrorMessage, toSdkError, type SendNews, type SendText } from '@/lib/jssdk-client';
import type { QuickReply, ReplyContext } from '@/lib/quick-replies';
import type { ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import { messages } from './i18n';
import { sidebarGet } from './api';
import { ApiErrorState } from './States';
import styles from './sidebar.module.css';

export type { ReplyContext };

function messageOf(reply: QuickReply): SendText | SendNews | null {
  if (reply.kind === 'text' && reply.text) return { msgtype: 'text', text: { content: reply.text } };
  if (reply.kind === 'news' && reply.news) {
    const { link, title, desc, imgUrl } = reply.news;
    return { msgtype: 'news', news: { link, title, desc, imgUrl } };
  }
  return null;
}

function matches(reply: QuickReply, query: string): boolean {
  if (!query) return true;
  const news = reply.kind === 'news' ? reply.news : undefined;
  const hay = [reply.title, reply.kind === 'text' ? reply.text : undefined, news?.title, news?.desc]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/** Searchable quick replies for the current chat; a click sends the reply into the chat via ww.sendChatMessage. */
export function QuickRepliesPanel({
  context,
  lang,
  send,
}: {
  context: ReplyContext;
  lang: Lang;
  send: (message: SendText | SendNews) => Promise<void>;
}) {
  const t = messages(lang);
  const qs = new URLSearchParams(
    context.entry === 'group' ? { entry: 'group', chatId: context.chatId } : { entry: 'single' },
  );
  const { data, error, isValidating, mutate } = useSWR<{ items: QuickReply[] }, ApiError>(
    `/api/quick-replies?${qs.toString()}`,
    sidebarGet,
    { revalidateOnFocus: false, shouldRetryOnError: false },
  );
  const [query, setQuery] = useState('');
  const [sending, setSending] = useState<string | null>(null);
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), toast.tone === 'ok' ? 2500 : 6000);
    return () => clearTimeout(timer);
  }, [toast]);

  const visible = useMemo(() => (data?.items ?? []).filter((r) => matches(r, query.trim())), [data, query]);

  async function onSend(reply: QuickReply) {
    const message = messageOf(reply);
    if (!message || sending) return;
    setSending(reply.id);
    try {
      await send(message);
      setToast({ message: t.sent, tone: 'ok' });
    } catch (err) {
      const sdkError = toSdkError(err, 'sendChatMessage');
      const reason = `${sdkErrorMessage(sdkError).title[lang]}（${sdkError.errMsg}）`;
      setToast({ message: t.sendFailed(reason), tone: 'error' });
    } finally {
      setSending(null);
    }
  }

  if (error)
    return <ApiErrorState error={error} lang={lang} onRetry={() => void mutate()} retrying={isValidating} />;
  if (!data) return <Skeleton label={t.loadingReplies} avatar={false} lines={5} />;

  const scopeLabel = (r: QuickReply) =>
    r.scope.type === 'groups' ? t.scopeGroups : r.scope.type === 'single' ? t.scopeSingle : null;

  return (
    <div data-testid="quick-replies" style={{ display: 'contents' }}>
      <input
        type="search"
        className={styles.search}
        placeholder={t.searchPlaceholder}
        aria-label={t.searchPlaceholder}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {data.items.length === 0 ? (
        <StateMessage state="no-replies" title={t.noReplies}>
          <p>{t.noRepliesBody}</p>
        </StateMessage>
      ) : visible.length === 0 ? (
        <StateMessage state="no-matches" title={t.noMatches} />
      ) : (
        <ul className={styles.replyList}>
          {visible.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={styles.reply}
                onClick={() => void onSend(r)}
                disabled={sending !== null}
                data-testid="quick-reply"
                data-reply-id={r.id}
                aria-label={`${t.send}：${r.title}`}
              >
                <span className={styles.replyHead}>
                  <span className={styles.replyTitle}>{r.title}</span>
                  {scopeLabel(r) ? <Chip tone="muted">{scopeLabel(r)}</Chip> : null}
                  <Chip tone={r.kind === 'news' ? 'accent' : 'default'}>
                    {sending === r.id ? t.sending : r.kind === 'news' ? t.link : t.text}
                  </Chip>
                </span>
                {r.kind === 'text' ? (
                  <span className={styles.replyText}>{r.text}</span>
                ) : r.kind === 'news' ? (
                  <span className={styles.news}>
                    <span className={styles.newsText}>
                      <span className={styles.newsTitle} style={{ display: 'block' }}>
                        {r.news.title}
                      </span>
                      {r.news.desc ? (
                        <span className={styles.newsDesc} style={{ display: 'block' }}>
                          {r.news.desc}
                        </span>
                      ) : null}
                    </span>
                    {r.news.imgUrl ? (
                      // Cover images live on any host the admin chose.
                      // eslint-disable-next-line @next/next/no-img-element
                      <img className={styles.newsImg} src={r.news.imgUrl} alt="" loading="lazy" />
                    ) : null}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      )}
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </div>
  );
}
