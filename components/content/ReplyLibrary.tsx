'use client';

import { useMemo, useState } from 'react';
import useSWR from 'swr';
import { Button, Chip, Skeleton, StateMessage, Toast } from '@/components/ui';
import { api } from '@/lib/api-client';
import { CategoryManager } from './CategoryManager';
import { draftOf, emptyDraft, KIND_LABELS, searchText, summary } from './draft';
import { ImportExport } from './ImportExport';
import { ReplyForm, type GroupChoice } from './ReplyForm';
import type { LibraryApi, QuickReply, QuickReplyScope, ReplyCategory } from './types';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

function scopeLabel(s: QuickReplyScope): string {
  if (s.type === 'all') return '所有聊天 / All chats';
  if (s.type === 'single') return '单聊 / Single chats';
  return `${s.chatIds.length} 个客户群 / ${s.chatIds.length} group chat(s)`;
}

function usageLabel(u: QuickReply['usage']): string {
  if (!u || u.count === 0) return '未使用 / Not used yet';
  const last = u.lastUsedAt
    ? new Date(u.lastUsedAt).toLocaleString('zh-CN', {
        hour12: false,
        dateStyle: 'short',
        timeStyle: 'short',
      })
    : '—';
  return `使用 ${u.count} 次，最近 ${last} / Used ${u.count}×, last ${last}`;
}

const UNCATEGORISED = '';

interface Listing {
  items: QuickReply[];
  categories?: ReplyCategory[];
}

/**
 * A reply library: the corp's (admins: categories, order, import/export) or a member's own personal replies.
 * Replies are shown grouped by category in the categories' order, with their usage, and can be searched.
 */
export function ReplyLibrary({ lib }: { lib: LibraryApi }) {
  const isAdmin = lib.mode === 'admin';
  const replies = useSWR<Listing>(lib.list, api.get, { revalidateOnFocus: false });
  const cats = useSWR<{ items: ReplyCategory[] }>(isAdmin ? '/api/admin/reply-categories' : null, api.get, {
    revalidateOnFocus: false,
  });
  const myGroups = useSWR<{ items: GroupChoice[] }>(isAdmin ? null : '/api/my-group-chats', api.get, {
    revalidateOnFocus: false,
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);

  const categories = useMemo(
    () =>
      [...((isAdmin ? cats.data?.items : replies.data?.categories) ?? [])].sort((a, b) => a.order - b.order),
    [isAdmin, cats.data, replies.data],
  );
  const items = useMemo(
    () => (replies.data?.items ?? []).filter((r) => isAdmin || r.owner === 'personal'),
    [isAdmin, replies.data],
  );
  const groups = useMemo(() => {
    const known = new Set(categories.map((c) => c.id));
    const keyOf = (r: QuickReply) => (r.categoryId && known.has(r.categoryId) ? r.categoryId : UNCATEGORISED);
    const q = query.trim().toLowerCase();
    const shown = q ? items.filter((r) => searchText(r).includes(q)) : items;
    const all = [
      ...categories.map((c) => ({ id: c.id, name: c.name })),
      { id: UNCATEGORISED, name: '未分类 / Uncategorised' },
    ];
    return all
      .map((g) => ({
        ...g,
        items: shown.filter((r) => keyOf(r) === g.id),
        all: items.filter((r) => keyOf(r) === g.id),
      }))
      .filter((g) => g.id !== UNCATEGORISED || g.all.length > 0 || categories.length === 0);
  }, [categories, items, query]);

  function flash(message: string, tone: 'ok' | 'error' = 'ok') {
    setNotice({ message, tone });
    setTimeout(() => setNotice(null), 2500);
  }
  const failed = (err: unknown) => flash(err instanceof Error ? err.message : String(err), 'error');

  /** Swaps a reply with its neighbour in the same category; the library's order is one list across categories. */
  async function move(group: QuickReply[], index: number, delta: -1 | 1) {
    if (!lib.reorder) return;
    const a = group[index]!;
    const b = group[index + delta];
    if (!b) return;
    const ids = items.map((r) => r.id);
    const i = ids.indexOf(a.id);
    const j = ids.indexOf(b.id);
    [ids[i], ids[j]] = [b.id, a.id];
    try {
      await api.put(lib.reorder, { ids });
      await replies.mutate();
    } catch (err) {
      failed(err);
    }
  }

  async function remove(r: QuickReply) {
    if (!window.confirm(`删除 “${r.title}”？/ Delete "${r.title}"?`)) return;
    try {
      await api.del(lib.item(r.id));
      await replies.mutate();
      flash('已删除 / Deleted');
    } catch (err) {
      failed(err);
    }
  }

  if (replies.error && !replies.data) {
    return (
      <StateMessage
        tone="error"
        title="无法加载快捷回复 / Could not load quick replies"
        detail={String(replies.error.message)}
      />
    );
  }
  if (!replies.data) return <Skeleton avatar={false} lines={3} label="加载中 / Loading" />;

  const form = (
    <ReplyForm
      initial={emptyDraft()}
      submitLabel="添加 / Add"
      categories={categories}
      groups={isAdmin ? undefined : (myGroups.data?.items ?? [])}
      mediaRoute={lib.media}
      onCancel={() => setCreating(false)}
      onSubmit={async (body) => {
        await api.post(lib.create, body);
        setCreating(false);
        await replies.mutate();
        flash('已添加 / Added');
      }}
    />
  );

  return (
    <div className={styles.library} data-testid="quick-replies">
      {isAdmin ? (
        <div className={styles.tools}>
          <CategoryManager
            categories={categories}
            onChanged={() => Promise.all([cats.mutate(), replies.mutate()])}
            onError={(m) => flash(m, 'error')}
          />
          <ImportExport onImported={() => Promise.all([cats.mutate(), replies.mutate()])} />
        </div>
      ) : null}
      {isAdmin && cats.error ? (
        <p className={admin.hint} role="status">
          分类暂不可用 / Categories unavailable: {String(cats.error.message)}
        </p>
      ) : null}
      <label className={styles.search}>
        <span>搜索 / Search</span>
        <input
          className={admin.input}
          type="search"
          value={query}
          placeholder="标题或内容 / Title or content"
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      {items.length === 0 ? <p className={admin.hint}>还没有快捷回复 / No quick replies yet</p> : null}
      {groups.map((g) => (
        <section
          key={g.id || 'none'}
          className={styles.group}
          aria-label={g.name}
          data-testid="reply-group"
          data-category-id={g.id}
        >
          {categories.length > 0 ? <h3 className={styles.groupName}>{g.name}</h3> : null}
          {g.items.length === 0 ? (
            <p className={admin.hint}>{query ? '没有匹配的回复 / No match' : '暂无回复 / No replies'}</p>
          ) : null}
          <ol className={admin.replies}>
            {g.items.map((r, i) => (
              <li key={r.id} className={admin.reply} data-testid="reply-item" data-reply-id={r.id}>
                <div className={admin.replyHead}>
                  <span>
                    <span className={admin.replyTitle} data-testid="reply-title">
                      {r.title}
                    </span>{' '}
                    <Chip tone={r.kind === 'text' ? 'default' : 'accent'}>
                      {r.kind === 'sequence'
                        ? `${KIND_LABELS.sequence} ×${r.parts.length}`
                        : KIND_LABELS[r.kind]}
                    </Chip>{' '}
                    <Chip tone="muted">{scopeLabel(r.scope)}</Chip>
                  </span>
                  <span className={admin.replyActions}>
                    {lib.reorder && !query ? (
                      <>
                        <Button
                          size="small"
                          variant="ghost"
                          aria-label={`上移 ${r.title} / Move up`}
                          disabled={i === 0}
                          onClick={() => void move(g.all, i, -1)}
                        >
                          ↑
                        </Button>
                        <Button
                          size="small"
                          variant="ghost"
                          aria-label={`下移 ${r.title} / Move down`}
                          disabled={i === g.items.length - 1}
                          onClick={() => void move(g.all, i, 1)}
                        >
                          ↓
                        </Button>
                      </>
                    ) : null}
                    <Button size="small" onClick={() => setEditing(editing === r.id ? null : r.id)}>
                      编辑 / Edit
                    </Button>
                    <Button size="small" variant="ghost" onClick={() => void remove(r)}>
                      删除 / Delete
                    </Button>
                  </span>
                </div>
                <div className={admin.replyBody}>
                  {r.kind === 'sequence' ? r.parts.map(summary).join(' → ') : summary(r)}
                </div>
                <div className={styles.usage} data-testid="reply-usage">
                  {usageLabel(r.usage)}
                </div>
                {editing === r.id ? (
                  <ReplyForm
                    initial={draftOf(r)}
                    submitLabel="保存 / Save"
                    categories={categories}
                    groups={isAdmin ? undefined : (myGroups.data?.items ?? [])}
                    mediaRoute={lib.media}
                    onCancel={() => setEditing(null)}
                    onSubmit={async (body) => {
                      await api.patch(lib.item(r.id), body);
                      setEditing(null);
                      await replies.mutate();
                      flash('已保存，侧边栏立即生效 / Saved; the sidebar shows it now');
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {creating ? (
        form
      ) : (
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="reply-new">
          + 新建快捷回复 / New quick reply
        </Button>
      )}
      {notice ? <Toast message={notice.message} tone={notice.tone} /> : null}
    </div>
  );
}
