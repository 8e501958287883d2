'use client';

import { useId, useState } from 'react';
import useSWR from 'swr';
import { api } from '@/lib/api-client';
import type { MediaItem } from './types';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

const KIND_ZH = { image: '图片', video: '视频', file: '文件' } as const;
const KIND_EN = { image: 'image', video: 'video', file: 'file' } as const;
const ACCEPT = { image: 'image/png,image/jpeg', video: 'video/mp4', file: undefined } as const;

const sizeOf = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/**
 * Chooses one uploaded media record of a kind: upload a new file (the server checks type and size and answers
 * 413/415 with the limit, shown here as it said it) or pick one uploaded before.
 */
export function MediaPicker({
  routes,
  kind,
  value,
  onChange,
  label,
  name,
  error,
}: {
  /** The media library's list route and, where the caller may upload, its upload route. */
  routes: { list: string; upload: string | null };
  kind: MediaItem['kind'];
  value: string;
  onChange: (id: string) => void;
  label: string;
  name: string;
  error?: string;
}) {
  const { data, mutate } = useSWR(routes.list, api.get<{ items: MediaItem[] }>, { revalidateOnFocus: false });
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const choices = (data?.items ?? []).filter((m) => m.kind === kind);
  const chosen = data?.items.find((m) => m.id === value);

  async function upload(file: File) {
    if (!routes.upload) return;
    setUploadError(null);
    setBusy(true);
    try {
      const form = new FormData();
      form.set('file', file);
      form.set('kind', kind);
      const res = await api.post<{ id: string }>(routes.upload, form);
      await mutate();
      onChange(res.id);
    } catch (err) {
      setUploadError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className={styles.media} aria-labelledby={`${id}-legend`} data-testid="media-picker">
      <legend id={`${id}-legend`}>{label}</legend>
      <div className={admin.row}>
        {routes.upload ? (
          <label className={styles.upload}>
            <span>
              上传{KIND_ZH[kind]} / Upload {KIND_EN[kind]}
            </span>
            <input
              type="file"
              accept={ACCEPT[kind]}
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void upload(file);
              }}
            />
          </label>
        ) : null}
        <label className={styles.inline}>
          <span>已上传的{KIND_ZH[kind]} / Uploaded</span>
          <select
            className={admin.select}
            name={name}
            aria-label={`已上传的${KIND_ZH[kind]} / Uploaded ${KIND_EN[kind]}s`}
            value={value}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="">— 请选择 / Choose —</option>
            {value && !chosen ? <option value={value}>{value}</option> : null}
            {choices.map((m) => (
              <option key={m.id} value={m.id}>
                {m.filename} ({sizeOf(m.size)})
              </option>
            ))}
          </select>
        </label>
      </div>
      {routes.upload ? null : <span className={admin.hint}>素材由管理员上传 / Admins upload media</span>}
      {busy ? <span className={admin.hint}>上传中… / Uploading…</span> : null}
      {value ? (
        <div className={styles.chosen} data-testid="media-chosen" data-media-id={value}>
          {kind === 'image' ? (
            // eslint-disable-next-line @next/next/no-img-element -- a private, session-checked preview
            <img src={`/api/media/${encodeURIComponent(value)}`} alt={chosen?.filename ?? '预览 / Preview'} />
          ) : null}
          <span>{chosen ? `${chosen.filename} · ${sizeOf(chosen.size)}` : value}</span>
        </div>
      ) : null}
      {uploadError ? (
        <span className={admin.fieldError} role="alert" data-testid="upload-error">
          {uploadError}
        </span>
      ) : null}
      {error ? (
        <span className={admin.fieldError} role="alert" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
