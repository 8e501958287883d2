'use client';

import { useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import {
  ScheduleList,
  localInputValue,
  newScheduleId,
  scheduleKey,
} from '@/components/schedule/ScheduleList';
import { Button, StateMessage, Toast } from '@/components/ui';
import { api, ApiError } from '@/lib/api-client';
import type { AudienceCount } from '@/lib/content/audience';
import type { LibraryGroup } from '@/lib/crm/types';
import styles from './admin.module.css';

interface Member {
  userId: string;
  name: string;
}

interface LibraryReply {
  id: string;
  title: string;
}

const LIST_QUERY = { all: '1', audience: '1' } as const;

/**
 * 按标签群发: an admin schedules a message to one member's customers carrying any of the chosen tags. When due,
 * WeCom asks that member to confirm it (企业群发); the list below shows every audience schedule and its result.
 */
export function AudienceSchedule() {
  const { mutate } = useSWRConfig();
  const members = useSWR<{ members: Member[] }, ApiError>('/api/admin/audience/members', () =>
    api.get<{ members: Member[] }>('/api/admin/audience/members'),
  );
  const tags = useSWR<{ groups: LibraryGroup[] }, ApiError>('/api/admin/tags', () =>
    api.get<{ groups: LibraryGroup[] }>('/api/admin/tags'),
  );
  const [userId, setUserId] = useState('');
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [source, setSource] = useState<'write' | 'library'>('write');
  const replies = useSWR<{ items: LibraryReply[] }, ApiError>(
    source === 'library' ? '/api/quick-replies?entry=single' : null,
    () => api.get<{ items: LibraryReply[] }>('/api/quick-replies', { query: { entry: 'single' } }),
  );
  const [text, setText] = useState('');
  const [replyId, setReplyId] = useState('');
  const [at, setAt] = useState(() => localInputValue(Date.now() + 3600_000));
  const [draftId, setDraftId] = useState(newScheduleId);
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);
  const say = (message: string, tone: 'ok' | 'error') => setToast({ message, tone });

  const countKey =
    userId && tagIds.length > 0 ? ['/api/admin/audience/count', userId, [...tagIds].sort().join(',')] : null;
  const count = useSWR<AudienceCount, ApiError>(countKey, () =>
    api.get<AudienceCount>('/api/admin/audience/count', { query: { userId, tagIds: tagIds.join(',') } }),
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!userId) return say('请选择成员 / Pick a member', 'error');
    if (tagIds.length === 0) return say('请至少选择一个标签 / Pick at least one tag', 'error');
    const content =
      source === 'library'
        ? replyId
          ? { replyId }
          : null
        : text.trim()
          ? { kind: 'text', text: text.trim() }
          : null;
    if (!content) return say('请填写内容或选择快捷回复 / Write the message or pick a reply', 'error');
    const when = new Date(at).getTime();
    if (Number.isNaN(when)) return say('请选择发送时间 / Pick a send time', 'error');
    setBusy(true);
    try {
      await api.post('/api/scheduled-messages', {
        id: draftId,
        target: { audience: { userId, tagIds } },
        at: when,
        content,
      });
      setText('');
      setReplyId('');
      setDraftId(newScheduleId());
      say('已安排 / Scheduled', 'ok');
      await mutate(scheduleKey(LIST_QUERY));
    } catch (err) {
      say(err instanceof ApiError ? `${err.userMessage.zh} / ${err.userMessage.en}` : String(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  const toggleTag = (id: string) =>
    setTagIds((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));

  const loadError = members.error ?? tags.error;
  return (
    <div data-testid="audience-schedule">
      {loadError ? <StateMessage tone="error" title={loadError.userMessage.zh} /> : null}
      <form className={styles.form} onSubmit={submit}>
        <label className={styles.field}>
          <span>发送成员 / Member</span>
          <select className={styles.select} value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">—</option>
            {members.data?.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name === m.userId ? m.userId : `${m.name}（${m.userId}）`}
              </option>
            ))}
          </select>
        </label>
        <fieldset className={styles.field}>
          <legend>客户标签（任一）/ Customer tags (any of)</legend>
          {tags.data?.groups.map((g) => (
            <div key={g.groupId} className={styles.radios}>
              <strong>{g.groupName}</strong>
              {g.tags.map((t) => (
                <label key={t.id}>
                  <input type="checkbox" checked={tagIds.includes(t.id)} onChange={() => toggleTag(t.id)} />
                  {t.name}
                </label>
              ))}
            </div>
          ))}
        </fieldset>
        <p className={styles.hint} data-testid="audience-count" aria-live="polite">
          {count.data
            ? `当前匹配 ${count.data.matched}${count.data.complete ? '' : '+'} 位客户（共 ${count.data.total}）/ ${count.data.matched}${count.data.complete ? '' : '+'} of ${count.data.total} customers match now`
            : count.error
              ? `${count.error.userMessage.zh} / ${count.error.userMessage.en}`
              : countKey
                ? '正在统计… / Counting…'
                : '选择成员和标签后显示匹配的客户数 / Pick a member and tags to see how many customers match'}
        </p>
        <div className={styles.radios} role="radiogroup" aria-label="内容 / Content">
          <label>
            <input type="radio" checked={source === 'write'} onChange={() => setSource('write')} />
            现写内容 / Write
          </label>
          <label>
            <input type="radio" checked={source === 'library'} onChange={() => setSource('library')} />
            快捷回复 / Library reply
          </label>
        </div>
        {source === 'write' ? (
          <label className={styles.field}>
            <span>消息内容 / Message</span>
            <textarea
              className={styles.textarea}
              value={text}
              maxLength={2000}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
        ) : (
          <label className={styles.field}>
            <span>快捷回复 / Library reply</span>
            <select className={styles.select} value={replyId} onChange={(e) => setReplyId(e.target.value)}>
              <option value="">—</option>
              {replies.data?.items.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className={styles.field}>
          <span>发送时间 / Send at</span>
          <input
            className={styles.input}
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
          />
        </label>
        <div className={styles.row}>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? '正在安排… / Scheduling…' : '安排群发 / Schedule'}
          </Button>
        </div>
      </form>
      <ScheduleList query={LIST_QUERY} lang="zh" showTarget onMessage={say} />
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </div>
  );
}
