'use client';

import { useState } from 'react';
import { Button } from '@/components/ui';
import {
  emptyPart,
  validate,
  payload,
  splitIds,
  type FieldErrors,
  type ReplyDraft,
  type ReplyInput,
} from './draft';
import { Field, ReplyBodyEditor, type MediaRoutes } from './ReplyBodyEditor';
import type { ReplyCategory } from './types';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

export interface GroupChoice {
  chatId: string;
  name: string;
}

/**
 * One reply: title, body of any kind, where it applies (all chats, single chats, listed group chats) and its
 * category. `groups` lists the group chats to choose from (a member's own); without it, ids are typed.
 */
export function ReplyForm({
  initial,
  submitLabel,
  categories,
  groups,
  mediaRoute,
  onSubmit,
  onCancel,
}: {
  initial: ReplyDraft;
  submitLabel: string;
  categories: ReplyCategory[];
  groups?: GroupChoice[];
  mediaRoute: MediaRoutes;
  onSubmit: (body: ReplyInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<ReplyDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ReplyDraft>(k: K, v: ReplyDraft[K]) => setD((prev) => ({ ...prev, [k]: v }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const found = validate(d);
    setErrors(found);
    setServerError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(payload(d, initial.categoryId));
    } catch (err) {
      setServerError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const chosen = new Set(splitIds(d.chatIds));
  const toggleGroup = (chatId: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(chatId);
    else next.delete(chatId);
    set('chatIds', [...next].join('\n'));
  };

  return (
    <form className={`${admin.form} ${admin.editor}`} onSubmit={submit} noValidate data-testid="reply-editor">
      <div className={admin.grid2}>
        <Field label="标题 / Title" error={errors.title}>
          <input
            className={admin.input}
            name="title"
            value={d.title}
            aria-invalid={errors.title ? true : undefined}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label="分类 / Category">
          <select
            className={admin.select}
            name="categoryId"
            aria-label="分类 / Category"
            value={d.categoryId}
            onChange={(e) => set('categoryId', e.target.value)}
          >
            <option value="">未分类 / Uncategorised</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ReplyBodyEditor
        kind={d.kind}
        main={d.main}
        parts={d.parts}
        errors={errors}
        mediaRoute={mediaRoute}
        onKind={(kind) =>
          setD((prev) => {
            // Turning a single reply into a sequence keeps it as the first part (unless parts were written).
            const untouched =
              prev.parts.length === 1 && JSON.stringify(prev.parts[0]) === JSON.stringify(emptyPart());
            const parts =
              kind === 'sequence' && prev.kind !== 'sequence' && untouched
                ? [{ ...prev.main, kind: prev.kind }]
                : prev.parts;
            return { ...prev, kind, parts, main: kind === 'sequence' ? prev.main : { ...prev.main, kind } };
          })
        }
        onMain={(main) => set('main', main)}
        onParts={(parts) => set('parts', parts)}
      />
      <div className={admin.field}>
        <span id="scope-label">适用范围 / Scope</span>
        <div className={admin.radios} role="radiogroup" aria-labelledby="scope-label">
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
        groups ? (
          <fieldset className={styles.groups} aria-label="我的客户群 / My group chats">
            <legend>我的客户群 / My group chats</legend>
            {groups.length === 0 ? (
              <span className={admin.hint}>你还没有客户群 / You have no group chats</span>
            ) : (
              groups.map((g) => (
                <label key={g.chatId}>
                  <input
                    type="checkbox"
                    checked={chosen.has(g.chatId)}
                    onChange={(e) => toggleGroup(g.chatId, e.target.checked)}
                  />{' '}
                  {g.name}
                </label>
              ))
            )}
            {errors.chatIds ? (
              <span className={admin.fieldError} role="alert" data-testid="field-error">
                {errors.chatIds}
              </span>
            ) : null}
          </fieldset>
        ) : (
          <Field label="客户群 ID（每行一个）/ Group chat ids, one per line" error={errors.chatIds}>
            <textarea
              className={admin.textarea}
              name="chatIds"
              value={d.chatIds}
              aria-invalid={errors.chatIds ? true : undefined}
              onChange={(e) => set('chatIds', e.target.value)}
              placeholder="wr..."
            />
          </Field>
        )
      ) : null}
      {serverError ? (
        <div className={admin.formError} role="alert" data-testid="reply-server-error">
          {serverError}
        </div>
      ) : null}
      <div className={admin.row}>
        <Button type="submit" variant="primary" disabled={busy}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>取消 / Cancel</Button> : null}
      </div>
    </form>
  );
}
