'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { Button, Chip, Skeleton, StateMessage, Toast } from '@/components/ui';
import { api } from '@/lib/api-client';
import { isId } from '@/lib/ids';
import type { QuickReply, QuickReplyNews, QuickReplyScope } from '@/lib/quick-replies';
import styles from './admin.module.css';

interface Draft {
  title: string;
  kind: 'text' | 'news';
  text: string;
  link: string;
  newsTitle: string;
  desc: string;
  imgUrl: string;
  scopeType: QuickReplyScope['type'];
  chatIds: string;
}

type FieldErrors = Partial<Record<keyof Draft, string>>;

const emptyDraft: Draft = {
  title: '',
  kind: 'text',
  text: '',
  link: '',
  newsTitle: '',
  desc: '',
  imgUrl: '',
  scopeType: 'all',
  chatIds: '',
};

function draftOf(r: QuickReply): Draft {
  const news = r.kind === 'news' ? r.news : undefined;
  return {
    title: r.title,
    kind: r.kind === 'news' ? 'news' : 'text',
    text: r.kind === 'text' ? r.text : '',
    link: news?.link ?? '',
    newsTitle: news?.title ?? '',
    desc: news?.desc ?? '',
    imgUrl: news?.imgUrl ?? '',
    scopeType: r.scope.type,
    chatIds: r.scope.type === 'groups' ? r.scope.chatIds.join('\n') : '',
  };
}

const splitIds = (s: string) =>
  s
    .split(/[\s,，]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Field-level checks mirroring the server's schema, so mistakes show next to the field before a round trip. */
function validate(d: Draft): FieldErrors {
  const e: FieldErrors = {};
  if (!d.title.trim()) e.title = '请填写标题 / Title is required';
  else if (d.title.trim().length > 40) e.title = '标题最多 40 字 / At most 40 characters';
  if (d.kind === 'text') {
    if (!d.text.trim()) e.text = '请填写内容 / Text is required';
    else if (d.text.trim().length > 2000) e.text = '内容最多 2000 字 / At most 2000 characters';
  } else {
    if (!isHttpUrl(d.link.trim())) e.link = '需要 http(s) 链接 / An http(s) URL is required';
    if (!d.newsTitle.trim()) e.newsTitle = '请填写图文标题 / Title is required';
    else if (d.newsTitle.trim().length > 64) e.newsTitle = '最多 64 字 / At most 64 characters';
    if (d.desc.trim().length > 256) e.desc = '最多 256 字 / At most 256 characters';
    if (d.imgUrl.trim() && !isHttpUrl(d.imgUrl.trim()))
      e.imgUrl = '需要 http(s) 链接 / Must be an http(s) URL';
  }
  if (d.scopeType === 'groups') {
    const ids = splitIds(d.chatIds);
    const bad = ids.filter((id) => !isId('chatId', id));
    if (ids.length === 0) e.chatIds = '至少填写一个客户群 ID / At least one group chat id';
    else if (bad.length > 0)
      e.chatIds = `客户群 ID 格式不正确 / Invalid group chat id: ${bad.slice(0, 3).join(', ')}`;
  }
  return e;
}

function payload(d: Draft) {
  const scope: QuickReplyScope =
    d.scopeType === 'groups' ? { type: 'groups', chatIds: splitIds(d.chatIds) } : { type: d.scopeType };
  if (d.kind === 'text') return { kind: 'text', title: d.title.trim(), text: d.text.trim(), scope };
  const news: QuickReplyNews = { link: d.link.trim(), title: d.newsTitle.trim() };
  if (d.desc.trim()) news.desc = d.desc.trim();
  if (d.imgUrl.trim()) news.imgUrl = d.imgUrl.trim();
  return { kind: 'news', title: d.title.trim(), news, scope };
}

function scopeLabel(s: QuickReplyScope): string {
  if (s.type === 'all') return '所有聊天 / All chats';
  if (s.type === 'single') return '单聊 / Single chats';
  return `${s.chatIds.length} 个客户群 / ${s.chatIds.length} group chat(s)`;
}

function Field({ label, error, children }: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className={styles.field}>
      <span>{label}</span>
      {children}
      {error ? (
        <span className={styles.fieldError} role="alert" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </label>
  );
}

function ReplyEditor({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: Draft;
  submitLabel: string;
  onSubmit: (body: ReturnType<typeof payload>) => Promise<void>;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<Draft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((prev) => ({ ...prev, [k]: v }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const found = validate(d);
    setErrors(found);
    setServerError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(payload(d));
    } catch (err) {
      setServerError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const inv = (k: keyof Draft) => (errors[k] ? true : undefined);
  const input = (
    k: 'title' | 'link' | 'newsTitle' | 'desc' | 'imgUrl',
    label: string,
    placeholder?: string,
  ) => (
    <Field label={label} error={errors[k]}>
      <input
        className={styles.input}
        name={k}
        value={d[k]}
        aria-invalid={inv(k)}
        onChange={(e) => set(k, e.target.value)}
        placeholder={placeholder}
      />
    </Field>
  );
  return (
    <form
      className={`${styles.form} ${styles.editor}`}
      onSubmit={submit}
      noValidate
      data-testid="reply-editor"
    >
      {input('title', '标题 / Title')}
      <div className={styles.radios} role="radiogroup" aria-label="类型 / Kind">
        <label>
          <input type="radio" name="kind" checked={d.kind === 'text'} onChange={() => set('kind', 'text')} />{' '}
          文本 / Text
        </label>
        <label>
          <input type="radio" name="kind" checked={d.kind === 'news'} onChange={() => set('kind', 'news')} />{' '}
          图文链接 / Link card
        </label>
      </div>
      {d.kind === 'text' ? (
        <Field label="内容 / Text" error={errors.text}>
          <textarea
            className={styles.textarea}
            name="text"
            value={d.text}
            aria-invalid={inv('text')}
            onChange={(e) => set('text', e.target.value)}
          />
        </Field>
      ) : (
        <div className={styles.grid2}>
          {input('link', '链接 / Link', 'https://')}
          {input('newsTitle', '图文标题 / Card title')}
          {input('desc', '描述 / Description')}
          {input('imgUrl', '图片链接 / Image URL', 'https://')}
        </div>
      )}
      <div className={styles.field}>
        <span>适用范围 / Scope</span>
        <div className={styles.radios}>
          {(
            [
              ['all', '所有聊天 / All chats'],
              ['single', '仅单聊 / Single chats'],
              ['groups', '指定客户群 / Listed group chats'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="scope"
                value={value}
                checked={d.scopeType === value}
                onChange={() => set('scopeType', value)}
              />{' '}
              {label}
            </label>
          ))}
        </div>
      </div>
      {d.scopeType === 'groups' ? (
        <Field label="客户群 ID（每行一个）/ Group chat ids, one per line" error={errors.chatIds}>
          <textarea
            className={styles.textarea}
            name="chatIds"
            value={d.chatIds}
            aria-invalid={inv('chatIds')}
            onChange={(e) => set('chatIds', e.target.value)}
            placeholder="wr..."
          />
        </Field>
      ) : null}
      {serverError ? (
        <div className={styles.formError} role="alert" data-testid="reply-server-error">
          {serverError}
        </div>
      ) : null}
      <div className={styles.row}>
        <Button type="submit" variant="primary" disabled={busy}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>取消 / Cancel</Button> : null}
      </div>
    </form>
  );
}

/** Create, edit, delete and reorder the quick replies the sidebar offers; the sidebar reads them uncached. */
export function QuickReplyManager() {
  const { data, error, mutate } = useSWR('/api/admin/quick-replies', api.get<{ items: QuickReply[] }>, {
    revalidateOnFocus: false,
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);
  const items = data?.items ?? [];

  function flash(message: string, tone: 'ok' | 'error' = 'ok') {
    setNotice({ message, tone });
    setTimeout(() => setNotice(null), 2500);
  }

  async function move(index: number, delta: -1 | 1) {
    const ids = items.map((r) => r.id);
    const j = index + delta;
    if (j < 0 || j >= ids.length) return;
    [ids[index], ids[j]] = [ids[j]!, ids[index]!];
    try {
      const res = await api.post<{ items: QuickReply[] }>('/api/admin/quick-replies/reorder', { ids });
      await mutate(res, { revalidate: false });
    } catch (err) {
      flash(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  async function remove(r: QuickReply) {
    if (!window.confirm(`删除 “${r.title}”？/ Delete "${r.title}"?`)) return;
    try {
      await api.del(`/api/admin/quick-replies/${encodeURIComponent(r.id)}`);
      await mutate();
      flash('已删除 / Deleted');
    } catch (err) {
      flash(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  if (error && !data) {
    return (
      <StateMessage
        tone="error"
        title="无法加载快捷回复 / Could not load quick replies"
        detail={String(error.message)}
      />
    );
  }
  if (!data) return <Skeleton avatar={false} lines={3} label="加载中 / Loading" />;

  return (
    <div data-testid="quick-replies">
      {items.length === 0 ? <p className={styles.hint}>还没有快捷回复 / No quick replies yet</p> : null}
      <ol className={styles.replies}>
        {items.map((r, i) => (
          <li key={r.id} className={styles.reply} data-testid="reply-item" data-reply-id={r.id}>
            <div className={styles.replyHead}>
              <span>
                <span className={styles.replyTitle} data-testid="reply-title">
                  {r.title}
                </span>{' '}
                <Chip tone={r.kind === 'news' ? 'accent' : 'default'}>
                  {r.kind === 'news' ? '图文 / Link' : '文本 / Text'}
                </Chip>{' '}
                <Chip tone="muted">{scopeLabel(r.scope)}</Chip>
              </span>
              <span className={styles.replyActions}>
                <Button
                  size="small"
                  variant="ghost"
                  aria-label={`上移 ${r.title} / Move up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="small"
                  variant="ghost"
                  aria-label={`下移 ${r.title} / Move down`}
                  disabled={i === items.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </Button>
                <Button size="small" onClick={() => setEditing(editing === r.id ? null : r.id)}>
                  编辑 / Edit
                </Button>
                <Button size="small" variant="ghost" onClick={() => remove(r)}>
                  删除 / Delete
                </Button>
              </span>
            </div>
            <div className={styles.replyBody}>
              {r.kind === 'text' ? r.text : r.kind === 'news' ? `${r.news.title} · ${r.news.link}` : r.kind}
            </div>
            {editing === r.id ? (
              <ReplyEditor
                initial={draftOf(r)}
                submitLabel="保存 / Save"
                onCancel={() => setEditing(null)}
                onSubmit={async (body) => {
                  await api.patch(`/api/admin/quick-replies/${encodeURIComponent(r.id)}`, body);
                  setEditing(null);
                  await mutate();
                  flash('已保存，侧边栏立即生效 / Saved; the sidebar shows it now');
                }}
              />
            ) : null}
          </li>
        ))}
      </ol>
      {creating ? (
        <ReplyEditor
          initial={emptyDraft}
          submitLabel="添加 / Add"
          onCancel={() => setCreating(false)}
          onSubmit={async (body) => {
            await api.post('/api/admin/quick-replies', body);
            setCreating(false);
            await mutate();
            flash('已添加 / Added');
          }}
        />
      ) : (
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="reply-new">
          + 新建快捷回复 / New quick reply
        </Button>
      )}
      {notice ? <Toast message={notice.message} tone={notice.tone} /> : null}
    </div>
  );
}
