'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { Button } from '@/components/ui';
import { COLOR_RE, LIMITS, STAGE_COLORS } from '@/lib/crm/limits';
import type { LibraryGroup, Pipeline } from '@/lib/crm/types';
import { api, ApiError } from '@/lib/api-client';
import styles from './crm.module.css';

const msg = (err: unknown) =>
  err instanceof ApiError ? `${err.userMessage.zh} / ${err.userMessage.en}` : '操作失败 / Failed';

/** /admin: the corp tag library (add, rename, reorder, delete groups and tags; add/edit/del_corp_tag). */
export function TagLibraryManager() {
  const { data, error, mutate } = useSWR<{ groups: LibraryGroup[] }, ApiError>('/api/admin/tags', api.get, {
    revalidateOnFocus: false,
  });
  const [status, setStatus] = useState<string | null>(null);
  const [newGroup, setNewGroup] = useState('');
  const [newGroupTags, setNewGroupTags] = useState('');

  async function run(fn: () => Promise<unknown>) {
    setStatus(null);
    try {
      await fn();
      await mutate();
    } catch (err) {
      setStatus(msg(err));
    }
  }

  if (error) return <p className={styles.error}>{msg(error)}</p>;
  if (!data) return <p className={styles.muted}>加载中… / Loading…</p>;
  const groups = data.groups.filter((g) => !g.isPipeline);
  const move = (list: { id: string }[], i: number, d: -1 | 1) => {
    const ids = list.map((x) => x.id);
    const j = i + d;
    if (j < 0 || j >= ids.length) return null;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    return ids;
  };
  const rename = (id: string, current: string) => {
    const name = window.prompt('新名称 / New name', current);
    if (name && name !== current)
      void run(() => api.patch(`/api/admin/tags/${encodeURIComponent(id)}`, { name }));
  };
  const remove = (id: string, name: string) => {
    if (window.confirm(`删除 ${name}？/ Delete ${name}?`)) {
      void run(() => api.del(`/api/admin/tags/${encodeURIComponent(id)}`));
    }
  };
  return (
    <div className={styles.crm} data-testid="tag-library">
      {status ? (
        <p className={styles.error} role="alert" data-testid="tag-library-error">
          {status}
        </p>
      ) : null}
      {groups.map((g, gi) => (
        <div key={g.groupId} className={styles.card} data-testid="tag-library-group">
          <div className={styles.titleRow}>
            <strong>{g.groupName}</strong>
            <span className={styles.actions}>
              <button
                type="button"
                className={styles.linkButton}
                aria-label="上移 / Up"
                onClick={() => {
                  const ids = move(
                    groups.map((x) => ({ id: x.groupId })),
                    gi,
                    -1,
                  );
                  if (ids) void run(() => api.post('/api/admin/tags/reorder', { ids }));
                }}
              >
                ↑
              </button>
              <button
                type="button"
                className={styles.linkButton}
                aria-label="下移 / Down"
                onClick={() => {
                  const ids = move(
                    groups.map((x) => ({ id: x.groupId })),
                    gi,
                    1,
                  );
                  if (ids) void run(() => api.post('/api/admin/tags/reorder', { ids }));
                }}
              >
                ↓
              </button>
              <button
                type="button"
                className={styles.linkButton}
                onClick={() => rename(g.groupId, g.groupName)}
              >
                重命名 / Rename
              </button>
              <button
                type="button"
                className={styles.linkButton}
                onClick={() => remove(g.groupId, g.groupName)}
              >
                删除 / Delete
              </button>
            </span>
          </div>
          <ul className={styles.list}>
            {g.tags.map((tag, ti) => (
              <li key={tag.id} className={styles.row}>
                <span>{tag.name}</span>
                <span className={styles.actions}>
                  <button
                    type="button"
                    className={styles.linkButton}
                    aria-label="上移 / Up"
                    onClick={() => {
                      const ids = move(g.tags, ti, -1);
                      if (ids) void run(() => api.post('/api/admin/tags/reorder', { ids }));
                    }}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className={styles.linkButton}
                    aria-label="下移 / Down"
                    onClick={() => {
                      const ids = move(g.tags, ti, 1);
                      if (ids) void run(() => api.post('/api/admin/tags/reorder', { ids }));
                    }}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className={styles.linkButton}
                    onClick={() => rename(tag.id, tag.name)}
                  >
                    重命名 / Rename
                  </button>
                  <button
                    type="button"
                    className={styles.linkButton}
                    onClick={() => remove(tag.id, tag.name)}
                  >
                    删除 / Delete
                  </button>
                </span>
              </li>
            ))}
          </ul>
          <form
            className={styles.actions}
            onSubmit={(e) => {
              e.preventDefault();
              const input = e.currentTarget.elements.namedItem('name') as HTMLInputElement;
              const name = input.value.trim();
              if (name)
                void run(() => api.post('/api/admin/tags', { groupId: g.groupId, names: [name] })).then(
                  () => (input.value = ''),
                );
            }}
          >
            <input
              name="name"
              maxLength={LIMITS.tagName}
              placeholder="新标签 / New tag"
              aria-label={`${g.groupName} 新标签`}
            />
            <Button type="submit" size="small">
              添加 / Add
            </Button>
          </form>
        </div>
      ))}
      <form
        className={`${styles.card} ${styles.form}`}
        onSubmit={(e) => {
          e.preventDefault();
          const names = newGroupTags
            .split(/[,，\n]/)
            .map((s) => s.trim())
            .filter(Boolean);
          void run(() => api.post('/api/admin/tags', { groupName: newGroup.trim(), names })).then(() => {
            setNewGroup('');
            setNewGroupTags('');
          });
        }}
      >
        <strong>新建标签组 / New tag group</strong>
        <input
          value={newGroup}
          maxLength={LIMITS.tagName}
          onChange={(e) => setNewGroup(e.target.value)}
          placeholder="标签组名称 / Group name"
          name="groupName"
        />
        <input
          value={newGroupTags}
          onChange={(e) => setNewGroupTags(e.target.value)}
          placeholder="标签，用逗号分隔 / Tags, comma-separated"
          name="groupTags"
        />
        <Button type="submit" size="small" disabled={!newGroup.trim() || !newGroupTags.trim()}>
          创建 / Create
        </Button>
      </form>
    </div>
  );
}

interface Draft {
  id?: string;
  name: string;
  color: string;
}

/** /admin: the pipeline (ordered stages with a colour), saved as one corp tag group. */
export function PipelineEditor() {
  const { data, error, mutate } = useSWR<Pipeline, ApiError>('/api/admin/pipeline', api.get, {
    revalidateOnFocus: false,
  });
  const [draft, setDraft] = useState<Draft[] | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (error) return <p className={styles.error}>{msg(error)}</p>;
  if (!data) return <p className={styles.muted}>加载中… / Loading…</p>;
  const stages: Draft[] = draft ?? data.stages.map((s) => ({ id: s.id, name: s.name, color: s.color }));
  const edit = (next: Draft[]) => setDraft(next);
  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await api.put<Pipeline>('/api/admin/pipeline', { stages });
      await mutate(saved, { revalidate: false });
      setDraft(null);
      setStatus({ ok: true, text: '已保存 / Saved' });
    } catch (err) {
      setStatus({ ok: false, text: msg(err) });
    } finally {
      setBusy(false);
    }
  }
  const invalid = stages.some(
    (s) => !s.name.trim() || [...s.name].length > LIMITS.tagName || !COLOR_RE.test(s.color),
  );
  return (
    <div className={`${styles.card} ${styles.form}`} data-testid="pipeline-editor">
      {stages.length === 0 ? <p className={styles.muted}>尚未设置阶段 / No stages yet</p> : null}
      <ol className={styles.list}>
        {stages.map((s, i) => (
          <li key={s.id ?? `new-${i}`} className={styles.row} data-testid="pipeline-stage">
            <input
              type="color"
              value={s.color}
              aria-label={`颜色 / Colour ${i + 1}`}
              onChange={(e) => edit(stages.map((x, j) => (j === i ? { ...x, color: e.target.value } : x)))}
            />
            <input
              value={s.name}
              maxLength={LIMITS.tagName}
              aria-label={`阶段 / Stage ${i + 1}`}
              onChange={(e) => edit(stages.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
            />
            <span className={styles.actions}>
              <button
                type="button"
                className={styles.linkButton}
                aria-label="上移 / Up"
                disabled={i === 0}
                onClick={() => {
                  const next = [...stages];
                  [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
                  edit(next);
                }}
              >
                ↑
              </button>
              <button
                type="button"
                className={styles.linkButton}
                aria-label="下移 / Down"
                disabled={i === stages.length - 1}
                onClick={() => {
                  const next = [...stages];
                  [next[i + 1], next[i]] = [next[i]!, next[i + 1]!];
                  edit(next);
                }}
              >
                ↓
              </button>
              <button
                type="button"
                className={styles.linkButton}
                onClick={() => edit(stages.filter((_, j) => j !== i))}
              >
                删除 / Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      <div className={styles.actions}>
        <Button
          size="small"
          disabled={stages.length >= LIMITS.stages}
          onClick={() =>
            edit([...stages, { name: '', color: STAGE_COLORS[stages.length % STAGE_COLORS.length]! }])
          }
        >
          添加阶段 / Add stage
        </Button>
        {stages.length === 0 && data.stages.length === 0 ? (
          <Button
            size="small"
            onClick={() =>
              edit(
                ['新线索', '意向', '报价', '成交', '流失'].map((name, i) => ({
                  name,
                  color: STAGE_COLORS[i]!,
                })),
              )
            }
          >
            使用默认阶段 / Use the default stages
          </Button>
        ) : null}
        <Button
          variant="primary"
          size="small"
          disabled={busy || invalid || draft === null}
          onClick={() => void save()}
        >
          保存 / Save
        </Button>
      </div>
      {status ? (
        <p className={status.ok ? styles.ok : styles.error} role="status">
          {status.text}
        </p>
      ) : null}
    </div>
  );
}
