'use client';

import { useState } from 'react';
import { Button, ButtonLink } from '@/components/ui';
import { api } from '@/lib/api-client';
import type { ImportReport } from './types';
import admin from '@/components/admin/admin.module.css';
import styles from './content.module.css';

const EXPORT = '/api/admin/quick-replies/export';
const IMPORT = '/api/admin/quick-replies/import';

const formatOf = (file: File): 'json' | 'csv' =>
  /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'csv' : 'json';

function Report({ report }: { report: ImportReport }) {
  return (
    <div data-testid="import-report" data-dry-run={report.dryRun ? 'true' : 'false'}>
      <p>
        {report.dryRun ? '预演结果（尚未保存）/ Dry run (nothing saved yet)' : '已导入 / Imported'}:{' '}
        <span data-testid="import-created">新增 / created {report.created}</span> ·{' '}
        <span data-testid="import-updated">更新 / updated {report.updated}</span> ·{' '}
        <span data-testid="import-unchanged">未变 / unchanged {report.unchanged}</span> ·{' '}
        {report.categoriesCreated ? (
          <>
            <span data-testid="import-categories">新分类 / new categories {report.categoriesCreated}</span>{' '}
            ·{' '}
          </>
        ) : null}
        <span data-testid="import-errors">错误 / errors {report.errors.length}</span>
      </p>
      {report.errors.length > 0 ? (
        <ul className={styles.importErrors}>
          {report.errors.map((e, i) => (
            <li key={i} data-testid="import-error">
              第 {e.row} 行 / Row {e.row}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The corp library as a file (JSON or CSV; media by reference): download it, or upload one — first a dry run that
 * reports what would change, then the import itself once confirmed.
 */
export function ImportExport({ onImported }: { onImported: () => Promise<unknown> }) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(f: File, dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.set('file', f);
      const res = await api.post<ImportReport>(IMPORT, form, {
        query: { format: formatOf(f), dryRun: dryRun ? 1 : undefined },
      });
      setReport(res);
      if (!dryRun) {
        setFile(null);
        await onImported();
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.transfer} data-testid="import-export">
      <h3 className={styles.subhead}>导入导出 / Import and export</h3>
      <div className={admin.row}>
        <ButtonLink size="small" href={`${EXPORT}?format=json`} download>
          导出 JSON / Export JSON
        </ButtonLink>
        <ButtonLink size="small" href={`${EXPORT}?format=csv`} download>
          导出 CSV / Export CSV
        </ButtonLink>
        <label className={styles.upload}>
          <span>导入文件（JSON 或 CSV）/ Import file (JSON or CSV)</span>
          <input
            type="file"
            accept=".json,.csv,application/json,text/csv"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              setFile(f);
              setReport(null);
              void send(f, true);
            }}
          />
        </label>
      </div>
      {busy ? <span className={admin.hint}>处理中… / Working…</span> : null}
      {error ? (
        <div className={admin.formError} role="alert" data-testid="import-failure">
          {error}
        </div>
      ) : null}
      {report ? <Report report={report} /> : null}
      {report?.dryRun && file ? (
        <div className={admin.row}>
          {report.errors.length > 0 ? (
            <span className={admin.hint}>
              文件有错误，修正后重新选择文件；导入是全部或全不 / Fix the errors and choose the file again; an
              import is all or nothing
            </span>
          ) : null}
          <Button
            variant="primary"
            disabled={busy || report.errors.length > 0}
            onClick={() => void send(file, false)}
          >
            确认导入 / Apply import
          </Button>
          <Button
            disabled={busy}
            onClick={() => {
              setFile(null);
              setReport(null);
            }}
          >
            取消 / Cancel
          </Button>
        </div>
      ) : null}
    </div>
  );
}
