'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { Button, Chip, StateMessage, Toast } from '@/components/ui';
import { api, ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import type { ReplyBody } from '@/lib/content/body';
import type { ScheduledMessage, ScheduleState } from '@/lib/content/scheduled';
import type { ChipTone } from '@/components/ui/Chip';
import base from './sidebar.module.css';
import styles from './schedule.module.css';

export type ScheduleTarget = { externalUserId: string } | { chatId: string };

const T = {
  zh: {
    title: '定时发送',
    hint: '到点后由企业微信「群发助手」提醒你确认发送（企业微信要求成员确认）。',
    text: '消息内容',
    at: '发送时间',
    submit: '安排发送',
    submitting: '正在安排…',
    upcoming: '待发送',
    past: '已处理',
    none: '暂无定时消息',
    cancel: '取消',
    scheduled: '已安排',
    cancelled: '已取消',
    needText: '请填写消息内容',
    needTime: '请选择发送时间',
  },
  en: {
    title: 'Scheduled messages',
    hint: 'When it is due, WeCom’s mass-message assistant asks you to confirm the send (WeCom requires it).',
    text: 'Message',
    at: 'Send at',
    submit: 'Schedule',
    submitting: 'Scheduling…',
    upcoming: 'Upcoming',
    past: 'Done',
    none: 'No scheduled messages',
    cancel: 'Cancel',
    scheduled: 'Scheduled',
    cancelled: 'Cancelled',
    needText: 'Write the message first',
    needTime: 'Pick a send time',
  },
} as const;

const STATE: Record<ScheduleState, { zh: string; en: string; tone: ChipTone }> = {
  scheduled: { zh: '待发送', en: 'Scheduled', tone: 'default' },
  submitting: { zh: '提交中', en: 'Submitting', tone: 'muted' },
  submitted: { zh: '待确认', en: 'Awaiting confirmation', tone: 'accent' },
  sent: { zh: '已发送', en: 'Sent', tone: 'ok' },
  failed: { zh: '失败', en: 'Failed', tone: 'warn' },
  cancelled: { zh: '已取消', en: 'Cancelled', tone: 'muted' },
  missed: { zh: '已错过', en: 'Missed', tone: 'warn' },
};

function preview(body: ReplyBody): string {
  const parts = body.kind === 'sequence' ? body.parts : [body];
  return parts
    .map((p) =>
      p.kind === 'text'
        ? p.text
        : p.kind === 'news'
          ? `[链接] ${p.news.title}`
          : p.kind === 'miniprogram'
            ? `[小程序] ${p.miniprogram.title}`
            : `[${p.kind}]`,
    )
    .join(' · ');
}

/** `yyyy-MM-ddTHH:mm` in local time, for <input type="datetime-local">. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

const newId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

/** Schedule a text to the current customer or group chat, and see what is scheduled and what became of it. */
export function SchedulePanel({ target, lang }: { target: ScheduleTarget; lang: Lang }) {
  const t = T[lang];
  const key = ['/api/scheduled-messages', JSON.stringify(target)];
  const { data, error, mutate } = useSWR<
    { upcoming: ScheduledMessage[]; past: ScheduledMessage[] },
    ApiError
  >(key, () => api.get('/api/scheduled-messages', { query: target }), {
    revalidateOnFocus: false,
    shouldRetryOnError: false,
  });
  const [text, setText] = useState('');
  const [at, setAt] = useState(() => localInputValue(Date.now() + 3600_000));
  // One id per composed message: a retried submit does not schedule it twice.
  const [draftId, setDraftId] = useState(newId);
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) return setToast({ message: t.needText, tone: 'error' });
    const when = new Date(at).getTime();
    if (!at || Number.isNaN(when)) return setToast({ message: t.needTime, tone: 'error' });
    setBusy(true);
    try {
      await api.post('/api/scheduled-messages', {
        id: draftId,
        target,
        at: when,
        content: { kind: 'text', text: text.trim() },
      });
      setText('');
      setDraftId(newId());
      setToast({ message: t.scheduled, tone: 'ok' });
      await mutate();
    } catch (err) {
      setToast({ message: err instanceof ApiError ? err.userMessage[lang] : String(err), tone: 'error' });
    } finally {
      setBusy(false);
    }
  }

  async function cancel(id: string) {
    try {
      await api.del(`/api/scheduled-messages/${encodeURIComponent(id)}`);
      setToast({ message: t.cancelled, tone: 'ok' });
    } catch (err) {
      setToast({ message: err instanceof ApiError ? err.userMessage[lang] : String(err), tone: 'error' });
    }
    await mutate();
  }

  const fmt = (ms: number) =>
    new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
      dateStyle: 'short',
      timeStyle: 'short',
    });

  return (
    <section className={base.card} aria-labelledby="schedule-title" data-testid="schedule-panel">
      <h3 id="schedule-title" className={base.cardTitle}>
        {t.title}
      </h3>
      <p className={base.muted}>{t.hint}</p>
      <form onSubmit={submit} className={styles.form}>
        <label>
          <span>{t.text}</span>
          <textarea value={text} maxLength={2000} rows={3} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          <span>{t.at}</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <Button type="submit" variant="primary" size="small" disabled={busy}>
          {busy ? t.submitting : t.submit}
        </Button>
      </form>
      {error ? (
        <StateMessage tone="error" title={error.userMessage[lang]} />
      ) : (
        (['upcoming', 'past'] as const).map((part) => (
          <div key={part}>
            <h4 className={styles.subTitle}>{t[part]}</h4>
            {data && data[part].length === 0 ? <p className={base.muted}>{t.none}</p> : null}
            <ul className={styles.list}>
              {(data?.[part] ?? []).map((s) => (
                <li key={s.id} data-testid="schedule-item" data-state={s.state}>
                  <div>
                    <time dateTime={new Date(s.at).toISOString()}>{fmt(s.at)}</time>{' '}
                    <Chip tone={STATE[s.state].tone}>{STATE[s.state][lang]}</Chip>
                  </div>
                  <p>{preview(s.content)}</p>
                  {s.error ? <p className={styles.error}>{s.error[lang]}</p> : null}
                  {s.state === 'scheduled' ? (
                    <Button size="small" variant="ghost" onClick={() => cancel(s.id)}>
                      {t.cancel}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </section>
  );
}
