'use client';

import type { ReactNode } from 'react';
import { MAX_SEQUENCE_PARTS } from '@/lib/content/body';
import { Button } from '@/components/ui';
import {
  emptyPart,
  KIND_LABELS,
  type BodyKind,
  type FieldErrors,
  type PartDraft,
  type PartKind,
} from './draft';
import { MediaPicker } from './MediaPicker';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

export function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className={admin.field}>
      <span>{label}</span>
      {children}
      {error ? (
        <span className={admin.fieldError} role="alert" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </label>
  );
}

export type MediaRoutes = { list: string; upload: string | null };

const PART_KINDS: PartKind[] = ['text', 'news', 'image', 'video', 'file', 'miniprogram'];

/** The fields of one part (a single reply, or one part of a sequence), named `${prefix}field`. */
export function PartFields({
  part,
  prefix,
  errors,
  mediaRoute,
  onChange,
}: {
  part: PartDraft;
  prefix: string;
  errors: FieldErrors;
  mediaRoute: MediaRoutes;
  onChange: (p: PartDraft) => void;
}) {
  const set = <K extends keyof PartDraft>(k: K, v: PartDraft[K]) => onChange({ ...part, [k]: v });
  const input = (
    k: 'link' | 'newsTitle' | 'desc' | 'imgUrl' | 'appid' | 'page' | 'mpTitle',
    label: string,
    placeholder?: string,
  ) => (
    <Field label={label} error={errors[prefix + k]}>
      <input
        className={admin.input}
        name={prefix + k}
        value={part[k]}
        aria-invalid={errors[prefix + k] ? true : undefined}
        onChange={(e) => set(k, e.target.value)}
        placeholder={placeholder}
      />
    </Field>
  );
  switch (part.kind) {
    case 'text':
      return (
        <Field label="内容 / Text" error={errors[`${prefix}text`]}>
          <textarea
            className={admin.textarea}
            name={`${prefix}text`}
            value={part.text}
            aria-invalid={errors[`${prefix}text`] ? true : undefined}
            onChange={(e) => set('text', e.target.value)}
          />
        </Field>
      );
    case 'news':
      return (
        <div className={admin.grid2}>
          {input('link', '链接 / Link', 'https://')}
          {input('newsTitle', '卡片标题 / Card title')}
          {input('desc', '描述 / Description')}
          {input('imgUrl', '封面图链接（可选）/ Cover image URL (optional)', 'https://')}
        </div>
      );
    case 'miniprogram':
      return (
        <div className={admin.grid2}>
          {input('appid', '小程序 AppID / Mini-program AppID', 'wx…')}
          {input('page', '页面路径 / Page path', 'pages/index.html')}
          {input('mpTitle', '卡片标题 / Card title')}
          {
            <MediaPicker
              routes={mediaRoute}
              kind="image"
              name={`${prefix}coverMediaId`}
              label="封面图 / Cover image"
              value={part.coverMediaId}
              error={errors[`${prefix}coverMediaId`]}
              onChange={(id) => set('coverMediaId', id)}
            />
          }
        </div>
      );
    default:
      return (
        <MediaPicker
          routes={mediaRoute}
          kind={part.kind}
          name={`${prefix}mediaId`}
          label={KIND_LABELS[part.kind]}
          value={part.mediaId}
          error={errors[`${prefix}mediaId`]}
          onChange={(id) => set('mediaId', id)}
        />
      );
  }
}

/** A reply's body: its kind, then that kind's fields; a sequence is up to 9 parts, each of any other kind. */
export function ReplyBodyEditor({
  kind,
  main,
  parts,
  errors,
  mediaRoute,
  onKind,
  onMain,
  onParts,
}: {
  kind: BodyKind;
  main: PartDraft;
  parts: PartDraft[];
  errors: FieldErrors;
  mediaRoute: MediaRoutes;
  onKind: (k: BodyKind) => void;
  onMain: (p: PartDraft) => void;
  onParts: (p: PartDraft[]) => void;
}) {
  const kinds = PART_KINDS;
  const setPart = (i: number, p: PartDraft) => onParts(parts.map((x, j) => (j === i ? p : x)));
  const move = (i: number, delta: -1 | 1) => {
    const next = [...parts];
    const j = i + delta;
    [next[i], next[j]] = [next[j]!, next[i]!];
    onParts(next);
  };
  return (
    <>
      <div className={admin.radios} role="radiogroup" aria-label="类型 / Kind">
        {[...kinds, 'sequence' as const].map((k) => (
          <label key={k}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => onKind(k)} />{' '}
            {KIND_LABELS[k]}
          </label>
        ))}
      </div>
      {kind !== 'sequence' ? (
        <PartFields
          part={{ ...main, kind }}
          prefix=""
          errors={errors}
          mediaRoute={mediaRoute}
          onChange={onMain}
        />
      ) : (
        <div className={styles.parts} data-testid="sequence-parts">
          <span className={admin.hint}>
            按顺序发送，最多 {MAX_SEQUENCE_PARTS} 条 / Sent in order, at most {MAX_SEQUENCE_PARTS} parts
          </span>
          {parts.map((p, i) => (
            <fieldset key={i} className={styles.part} data-testid="sequence-part">
              <legend>
                第 {i + 1} 条 / Part {i + 1}
              </legend>
              <div className={admin.row}>
                <label className={styles.inline}>
                  <span>类型 / Kind</span>
                  <select
                    className={admin.select}
                    name={`parts.${i}.kind`}
                    aria-label="类型 / Kind"
                    value={p.kind}
                    onChange={(e) => setPart(i, { ...p, kind: e.target.value as PartKind })}
                  >
                    {kinds.map((k) => (
                      <option key={k} value={k}>
                        {KIND_LABELS[k]}
                      </option>
                    ))}
                  </select>
                </label>
                <span className={styles.spacer} />
                <Button
                  size="small"
                  variant="ghost"
                  aria-label={`上移第 ${i + 1} 条 / Move part ${i + 1} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="small"
                  variant="ghost"
                  aria-label={`下移第 ${i + 1} 条 / Move part ${i + 1} down`}
                  disabled={i === parts.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </Button>
                <Button
                  size="small"
                  variant="ghost"
                  aria-label={`移除第 ${i + 1} 条 / Remove part ${i + 1}`}
                  disabled={parts.length === 1}
                  onClick={() => onParts(parts.filter((_, j) => j !== i))}
                >
                  ✕
                </Button>
              </div>
              <PartFields
                part={p}
                prefix={`parts.${i}.`}
                errors={errors}
                mediaRoute={mediaRoute}
                onChange={(next) => setPart(i, next)}
              />
            </fieldset>
          ))}
          {errors.parts ? (
            <span className={admin.fieldError} role="alert" data-testid="field-error">
              {errors.parts}
            </span>
          ) : null}
          <Button
            size="small"
            disabled={parts.length >= MAX_SEQUENCE_PARTS}
            onClick={() => onParts([...parts, emptyPart()])}
          >
            + 添加一条 / Add a part
          </Button>
        </div>
      )}
    </>
  );
}
