'use client';

import { useState } from 'react';
import { Button } from '@/components/ui';
import { api } from '@/lib/api-client';
import type { ReplyCategory } from './types';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

const ROUTE = '/api/admin/reply-categories';

/** The corp's reply categories in the order the sidebar shows them: add, rename, reorder, delete. */
export function CategoryManager({
  categories,
  onChanged,
  onError,
}: {
  categories: ReplyCategory[];
  onChanged: () => Promise<unknown>;
  onError: (message: string) => void;
}) {
  const [name, setName] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    try {
      await action();
      await onChanged();
      return true;
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const move = (i: number, delta: -1 | 1) => {
    const ids = categories.map((c) => c.id);
    [ids[i], ids[i + delta]] = [ids[i + delta]!, ids[i]!];
    return run(() => api.put(`${ROUTE}/order`, { ids }));
  };

  return (
    <div className={styles.categories} data-testid="categories">
      <h3 className={styles.subhead}>分类 / Categories</h3>
      <ol className={styles.categoryList}>
        {categories.map((c, i) => (
          <li key={c.id} data-testid="category-item" data-category-id={c.id}>
            <input
              className={admin.input}
              aria-label={`分类名称 / Category name: ${c.name}`}
              value={names[c.id] ?? c.name}
              onChange={(e) => setNames((prev) => ({ ...prev, [c.id]: e.target.value }))}
            />
            <Button
              size="small"
              disabled={busy || !(names[c.id] ?? '').trim() || names[c.id] === c.name}
              onClick={() =>
                void run(() =>
                  api.patch(`${ROUTE}/${encodeURIComponent(c.id)}`, { name: names[c.id]!.trim() }),
                )
              }
            >
              重命名 / Rename
            </Button>
            <Button
              size="small"
              variant="ghost"
              aria-label={`上移分类 ${c.name} / Move category up`}
              disabled={busy || i === 0}
              onClick={() => void move(i, -1)}
            >
              ↑
            </Button>
            <Button
              size="small"
              variant="ghost"
              aria-label={`下移分类 ${c.name} / Move category down`}
              disabled={busy || i === categories.length - 1}
              onClick={() => void move(i, 1)}
            >
              ↓
            </Button>
            <Button
              size="small"
              variant="ghost"
              aria-label={`删除分类 ${c.name} / Delete category`}
              disabled={busy}
              onClick={() => {
                if (
                  window.confirm(
                    `删除分类 “${c.name}”？其中的回复变为未分类 / Delete "${c.name}"? Its replies become uncategorised`,
                  )
                )
                  void run(() => api.del(`${ROUTE}/${encodeURIComponent(c.id)}`));
              }}
            >
              删除 / Delete
            </Button>
          </li>
        ))}
      </ol>
      <form
        className={admin.row}
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          void run(() => api.post(ROUTE, { name: name.trim() })).then((ok) => ok && setName(''));
        }}
      >
        <label className={styles.inline}>
          <span>新分类 / New category</span>
          <input
            className={admin.input}
            value={name}
            maxLength={20}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <Button type="submit" size="small" disabled={busy || !name.trim()}>
          添加分类 / Add category
        </Button>
      </form>
    </div>
  );
}
