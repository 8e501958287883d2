'use client';

import { useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { Button, Toast } from '@/components/ui';
import {
  ScheduleList,
  localInputValue,
  newScheduleId,
  scheduleKey,
} from '@/components/schedule/ScheduleList';
import { api, ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import { MAX_SEQUENCE_PARTS, type ReplyBody, type SinglePart } from '@/lib/content/body';
import type { MediaInfo } from '@/lib/content/media';
import base from './sidebar.module.css';
import styles from '@/components/schedule/schedule.module.css';

export type ScheduleTarget = { externalUserId: string } | { chatId: string };

const T = {
  zh: {
    title: '定时发送',
    hint: '到点后由企业微信「群发助手」提醒你确认发送（企业微信要求成员确认）。',
    source: '内容来源',
    write: '现写内容',
    library: '快捷回复',
    text: '消息内容',
    attach: '添加附件',
    attachHint: '从素材库选择图片、视频或文件',
    noMedia: '素材库为空（管理员可在管理设置上传）',
    remove: '移除',
    reply: '选择快捷回复',
    pickReply: '请选择一条快捷回复',
    at: '发送时间',
    submit: '安排发送',
    submitting: '正在安排…',
    scheduled: '已安排',
    needText: '请填写消息内容或添加附件',
    needTime: '请选择发送时间',
    tooMany: `最多 ${MAX_SEQUENCE_PARTS} 项（文字算一项）`,
    varsSingle: '可用变量 {客户称呼}{客户名}{我的名字}{公司}，到点发送时按当时的资料填入',
    varsGroup: '群内所有人收到同一条消息：可用 {我的名字}，不能用客户变量',
  },
  en: {
    title: 'Scheduled messages',
    hint: 'When it is due, WeCom’s mass-message assistant asks you to confirm the send (WeCom requires it).',
    source: 'Content',
    write: 'Write',
    library: 'Quick reply',
    text: 'Message',
    attach: 'Attach',
    attachHint: 'Pick an image, video or file from the media library',
    noMedia: 'The media library is empty (admins upload in Admin setup)',
    remove: 'Remove',
    reply: 'Quick reply',
    pickReply: 'Pick a quick reply',
    at: 'Send at',
    submit: 'Schedule',
    submitting: 'Scheduling…',
    scheduled: 'Scheduled',
    needText: 'Write the message or attach something first',
    needTime: 'Pick a send time',
    tooMany: `At most ${MAX_SEQUENCE_PARTS} items (the text counts as one)`,
    varsSingle: 'Variables {客户称呼}{客户名}{我的名字}{公司} are filled in when it is sent',
    varsGroup: 'Everyone in the group gets the same text: {我的名字} works, customer variables do not',
  },
} as const;

interface LibraryReply {
  id: string;
  title: string;
  kind: string;
}

/** The written text and the picked attachments as one reply body (a sequence when there is more than one part). */
export function composeBody(text: string, attachments: MediaInfo[]): ReplyBody | null {
  const parts: SinglePart[] = [];
  if (text.trim()) parts.push({ kind: 'text', text: text.trim() });
  for (const m of attachments) parts.push({ kind: m.kind, mediaId: m.id });
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { kind: 'sequence', parts };
}

/**
 * Schedule a message to the current customer or group chat — written on the spot with attachments from the
 * media library, or a library reply of any kind — and see what is scheduled and what became of it.
 */
export function SchedulePanel({ target, lang }: { target: ScheduleTarget; lang: Lang }) {
  const t = T[lang];
  const { mutate } = useSWRConfig();
  const [source, setSource] = useState<'write' | 'library'>('write');
  const [text, setText] = useState('');
  const [attachments, setAttachments] = useState<MediaInfo[]>([]);
  const [picking, setPicking] = useState(false);
  const [replyId, setReplyId] = useState('');
  const [at, setAt] = useState(() => localInputValue(Date.now() + 3600_000));
  // One id per composed message: a retried submit does not schedule it twice.
  const [draftId, setDraftId] = useState(newScheduleId);
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);

  const media = useSWR<{ items: MediaInfo[] }, ApiError>(picking ? '/api/media' : null, () =>
    api.get<{ items: MediaInfo[] }>('/api/media'),
  );
  const replyQuery = 'chatId' in target ? { entry: 'group', chatId: target.chatId } : { entry: 'single' };
  const replies = useSWR<{ items: LibraryReply[] }, ApiError>(
    source === 'library' ? ['/api/quick-replies', JSON.stringify(replyQuery)] : null,
    () => api.get('/api/quick-replies', { query: replyQuery }),
    { revalidateOnFocus: false },
  );

  const say = (message: string, tone: 'ok' | 'error') => setToast({ message, tone });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    let content: ReplyBody | { replyId: string } | null;
    if (source === 'library') {
      if (!replyId) return say(t.pickReply, 'error');
      content = { replyId };
    } else {
      content = composeBody(text, attachments);
      if (!content) return say(t.needText, 'error');
      if (content.kind === 'sequence' && content.parts.length > MAX_SEQUENCE_PARTS)
        return say(t.tooMany, 'error');
    }
    const when = new Date(at).getTime();
    if (!at || Number.isNaN(when)) return say(t.needTime, 'error');
    setBusy(true);
    try {
      await api.post('/api/scheduled-messages', { id: draftId, target, at: when, content });
      setText('');
      setAttachments([]);
      setReplyId('');
      setPicking(false);
      setDraftId(newScheduleId());
      say(t.scheduled, 'ok');
      await mutate(scheduleKey(target));
    } catch (err) {
      say(err instanceof ApiError ? err.userMessage[lang] : String(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  const toggle = (m: MediaInfo) =>
    setAttachments((list) =>
      list.some((x) => x.id === m.id) ? list.filter((x) => x.id !== m.id) : [...list, m],
    );

  return (
    <section className={base.card} aria-labelledby="schedule-title" data-testid="schedule-panel">
      <h3 id="schedule-title" className={base.cardTitle}>
        {t.title}
      </h3>
      <p className={base.muted}>{t.hint}</p>
      <form onSubmit={submit} className={styles.form}>
        <div className={styles.row} role="radiogroup" aria-label={t.source}>
          {(['write', 'library'] as const).map((s) => (
            <label key={s} className={styles.choice}>
              <input
                type="radio"
                name="schedule-source"
                checked={source === s}
                onChange={() => setSource(s)}
              />
              <span>{t[s]}</span>
            </label>
          ))}
        </div>
        {source === 'write' ? (
          <>
            <label>
              <span>{t.text}</span>
              <textarea value={text} maxLength={2000} rows={3} onChange={(e) => setText(e.target.value)} />
            </label>
            <p className={styles.muted}>{'chatId' in target ? t.varsGroup : t.varsSingle}</p>
            {attachments.length > 0 ? (
              <ul className={styles.attachments} aria-label={t.attach} data-testid="schedule-attachments">
                {attachments.map((m) => (
                  <li key={m.id}>
                    <span>{m.filename}</span>{' '}
                    <Button size="small" variant="ghost" onClick={() => toggle(m)}>
                      {t.remove}
                    </Button>
                  </li>
                ))}
              </ul>
            ) : null}
            <div className={styles.row}>
              <Button
                size="small"
                variant="ghost"
                aria-expanded={picking}
                onClick={() => setPicking((p) => !p)}
              >
                {t.attach}
              </Button>
            </div>
            {picking ? (
              <div className={styles.picker} data-testid="schedule-media" aria-label={t.attachHint}>
                {media.data?.items.length === 0 ? <p className={styles.muted}>{t.noMedia}</p> : null}
                {media.error ? <p className={styles.error}>{media.error.userMessage[lang]}</p> : null}
                {media.data?.items.map((m) => (
                  <label key={m.id}>
                    <input
                      type="checkbox"
                      checked={attachments.some((x) => x.id === m.id)}
                      onChange={() => toggle(m)}
                    />
                    <span>
                      [{m.kind}] {m.filename}
                    </span>
                  </label>
                ))}
              </div>
            ) : null}
          </>
        ) : (
          <label>
            <span>{t.reply}</span>
            <select value={replyId} onChange={(e) => setReplyId(e.target.value)}>
              <option value="">—</option>
              {replies.data?.items.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
            {replies.error ? <span className={styles.error}>{replies.error.userMessage[lang]}</span> : null}
          </label>
        )}
        <label>
          <span>{t.at}</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <Button type="submit" variant="primary" size="small" disabled={busy}>
          {busy ? t.submitting : t.submit}
        </Button>
      </form>
      <ScheduleList query={target} lang={lang} onMessage={say} />
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </section>
  );
}
