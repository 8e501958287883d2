'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { Button, Chip, StateMessage } from '@/components/ui';
import type { ChipTone } from '@/components/ui/Chip';
import { api, ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import type { ReplyBody } from '@/lib/content/body';
import type { ScheduledMessage, ScheduleState } from '@/lib/content/scheduled';
import styles from './schedule.module.css';

export type ScheduleQuery = { externalUserId: string } | { chatId: string } | { all?: '1'; audience?: '1' };

export interface ScheduleLists {
  upcoming: ScheduledMessage[];
  past: ScheduledMessage[];
}

/** The SWR key of a schedule list; forms revalidate it with `mutate(scheduleKey(query))` after creating one. */
export const scheduleKey = (query: ScheduleQuery) => ['/api/scheduled-messages', JSON.stringify(query)];

export const STATE: Record<ScheduleState, { zh: string; en: string; tone: ChipTone }> = {
  scheduled: { zh: '待发送', en: 'Scheduled', tone: 'default' },
  submitting: { zh: '提交中', en: 'Submitting', tone: 'muted' },
  submitted: { zh: '已提交，待确认', en: 'Submitted, awaiting confirmation', tone: 'accent' },
  sent: { zh: '已发送', en: 'Sent', tone: 'ok' },
  failed: { zh: '失败', en: 'Failed', tone: 'warn' },
  cancelled: { zh: '已取消', en: 'Cancelled', tone: 'muted' },
  missed: { zh: '已错过', en: 'Missed', tone: 'warn' },
};

const T = {
  zh: {
    upcoming: '待发送',
    past: '已处理',
    none: '暂无定时消息',
    cancel: '取消',
    edit: '修改',
    save: '保存',
    close: '收起',
    text: '消息内容',
    at: '发送时间',
    customer: '客户',
    group: '客户群',
    audience: (n: number, user: string) => `${user} 的客户 · ${n} 个标签`,
    result: (s: number, f: number, p: number) => `送达 ${s} · 失败 ${f} · 待发 ${p}`,
    cancelled: '已取消',
    saved: '已修改',
  },
  en: {
    upcoming: 'Upcoming',
    past: 'Done',
    none: 'No scheduled messages',
    cancel: 'Cancel',
    edit: 'Edit',
    save: 'Save',
    close: 'Close',
    text: 'Message',
    at: 'Send at',
    customer: 'Customer',
    group: 'Group chat',
    audience: (n: number, user: string) => `Customers of ${user} · ${n} tag(s)`,
    result: (s: number, f: number, p: number) => `delivered ${s} · failed ${f} · pending ${p}`,
    cancelled: 'Cancelled',
    saved: 'Saved',
  },
} as const;

const KIND_LABEL: Record<'image' | 'video' | 'file' | 'news' | 'miniprogram', { zh: string; en: string }> = {
  image: { zh: '图片', en: 'Image' },
  video: { zh: '视频', en: 'Video' },
  file: { zh: '文件', en: 'File' },
  news: { zh: '链接', en: 'Link' },
  miniprogram: { zh: '小程序', en: 'Mini program' },
};

/** A one-line summary of what a schedule sends. */
export function previewOf(body: ReplyBody, lang: Lang): string {
  const parts = body.kind === 'sequence' ? body.parts : [body];
  return parts
    .map((p) =>
      p.kind === 'text'
        ? p.text
        : p.kind === 'news'
          ? `[${KIND_LABEL.news[lang]}] ${p.news.title}`
          : p.kind === 'miniprogram'
            ? `[${KIND_LABEL.miniprogram[lang]}] ${p.miniprogram.title}`
            : `[${KIND_LABEL[p.kind][lang]}]`,
    )
    .join(' · ');
}

/** `yyyy-MM-ddTHH:mm` in local time, for <input type="datetime-local">. */
export function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export const newScheduleId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

/** The text of a schedule that is one text (the only content edited in place; other kinds change time only). */
function editableText(body: ReplyBody): string | null {
  return body.kind === 'text' ? body.text : null;
}

/** Who a schedule goes to, by name where the member may read it (the id until then, or if not). */
function TargetLabel({ s, lang }: { s: ScheduledMessage; lang: Lang }) {
  const t = T[lang];
  const target = s.target;
  const path =
    'externalUserId' in target
      ? `/api/contacts/${encodeURIComponent(target.externalUserId)}`
      : 'chatId' in target
        ? `/api/group-chats/${encodeURIComponent(target.chatId)}`
        : null;
  const { data } = useSWR<{ name?: string; follow?: { remark?: string | null } }>(
    path,
    () => api.get<{ name?: string; follow?: { remark?: string | null } }>(path!),
    { revalidateOnFocus: false, shouldRetryOnError: false },
  );
  if ('audience' in target)
    return (
      <span className={styles.target}>
        {t.audience(target.audience.tagIds.length, target.audience.userId)}
      </span>
    );
  const id = 'externalUserId' in target ? target.externalUserId : target.chatId;
  const name = data?.follow?.remark || data?.name || id;
  return (
    <span className={styles.target} title={id}>
      {'externalUserId' in target ? t.customer : t.group} {name}
    </span>
  );
}

function Item({
  s,
  lang,
  showTarget,
  onChanged,
  onMessage,
}: {
  s: ScheduledMessage;
  lang: Lang;
  showTarget: boolean;
  onChanged: () => Promise<unknown>;
  onMessage: (message: string, tone: 'ok' | 'error') => void;
}) {
  const t = T[lang];
  const [editing, setEditing] = useState(false);
  const [at, setAt] = useState(() => localInputValue(s.at));
  const [text, setText] = useState(() => editableText(s.content) ?? '');
  const [busy, setBusy] = useState(false);
  const fmt = (ms: number) =>
    new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
      dateStyle: 'short',
      timeStyle: 'short',
    });

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await action();
      onMessage(done, 'ok');
      setEditing(false);
    } catch (err) {
      onMessage(err instanceof ApiError ? err.userMessage[lang] : String(err), 'error');
    } finally {
      setBusy(false);
      await onChanged();
    }
  }

  const save = () => {
    const patch: { at?: number; content?: ReplyBody } = {};
    const when = new Date(at).getTime();
    if (!Number.isNaN(when) && when !== s.at) patch.at = when;
    const original = editableText(s.content);
    if (original !== null && text.trim() && text.trim() !== original)
      patch.content = { kind: 'text', text: text.trim() };
    if (!patch.at && !patch.content) return setEditing(false);
    return run(() => api.patch(`/api/scheduled-messages/${encodeURIComponent(s.id)}`, patch), t.saved);
  };

  const result = s.result;
  return (
    <li data-testid="schedule-item" data-state={s.state} data-id={s.id}>
      <div className={styles.row}>
        <time dateTime={new Date(s.at).toISOString()}>{fmt(s.at)}</time>
        <Chip tone={STATE[s.state].tone}>{STATE[s.state][lang]}</Chip>
        {showTarget ? <TargetLabel s={s} lang={lang} /> : null}
      </div>
      <p>{previewOf(s.content, lang)}</p>
      {result ? <p className={styles.muted}>{t.result(result.sent, result.failed, result.pending)}</p> : null}
      {s.error ? <p className={styles.error}>{s.error[lang]}</p> : null}
      {editing ? (
        <div className={styles.edit}>
          <label>
            <span>{t.at}</span>
            <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </label>
          {editableText(s.content) !== null ? (
            <label>
              <span>{t.text}</span>
              <textarea value={text} rows={3} maxLength={2000} onChange={(e) => setText(e.target.value)} />
            </label>
          ) : null}
          <div className={styles.row}>
            <Button size="small" variant="primary" disabled={busy} onClick={save}>
              {t.save}
            </Button>
            <Button size="small" variant="ghost" onClick={() => setEditing(false)}>
              {t.close}
            </Button>
          </div>
        </div>
      ) : null}
      {s.state === 'scheduled' && !editing ? (
        <div className={styles.row}>
          <Button size="small" variant="ghost" onClick={() => setEditing(true)}>
            {t.edit}
          </Button>
          <Button
            size="small"
            variant="ghost"
            disabled={busy}
            onClick={() =>
              run(() => api.del(`/api/scheduled-messages/${encodeURIComponent(s.id)}`), t.cancelled)
            }
          >
            {t.cancel}
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/**
 * Upcoming schedules (by time) and past ones (newest first) with their state; each can be edited or cancelled
 * until it fires. While any is still on its way the list refreshes itself.
 */
export function ScheduleList({
  query,
  lang,
  showTarget = false,
  onMessage,
}: {
  query: ScheduleQuery;
  lang: Lang;
  showTarget?: boolean;
  onMessage: (message: string, tone: 'ok' | 'error') => void;
}) {
  const t = T[lang];
  const { data, error, mutate } = useSWR<ScheduleLists, ApiError>(
    scheduleKey(query),
    () => api.get('/api/scheduled-messages', { query }),
    {
      revalidateOnFocus: false,
      shouldRetryOnError: false,
      refreshInterval: (latest) =>
        latest &&
        [...latest.upcoming, ...latest.past].some(
          (s) =>
            (s.state === 'scheduled' && s.at - Date.now() < 10 * 60_000) ||
            s.state === 'submitting' ||
            // A member usually confirms soon after it fires; one left unconfirmed is not polled for days.
            (s.state === 'submitted' && Date.now() - s.updatedAt < 15 * 60_000),
        )
          ? 5000
          : 0,
    },
  );
  if (error) return <StateMessage tone="error" title={error.userMessage[lang]} />;
  return (
    <>
      {(['upcoming', 'past'] as const).map((part) => (
        <div key={part} data-testid={`schedule-${part}`}>
          <h4 className={styles.subTitle}>{t[part]}</h4>
          {data && data[part].length === 0 ? <p className={styles.muted}>{t.none}</p> : null}
          <ul className={styles.list}>
            {(data?.[part] ?? []).map((s) => (
              <Item
                key={`${s.id}:${s.updatedAt}`}
                s={s}
                lang={lang}
                showTarget={showTarget}
                onChanged={() => mutate()}
                onMessage={onMessage}
              />
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
