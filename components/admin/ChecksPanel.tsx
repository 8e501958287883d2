'use client';

import useSWR from 'swr';
import { Button, Skeleton, StateMessage } from '@/components/ui';
import { api, type ApiError } from '@/lib/api-client';
import type { CheckReport } from '@/lib/checks';
import styles from './admin.module.css';

const ICON = { pass: '✓', fail: '✕', skip: '–' } as const;

/** The live configuration check: each setting green or red with the exact fix. */
export function ChecksPanel() {
  const { data, error, isValidating, mutate } = useSWR<CheckReport, ApiError>('/api/admin/checks', api.get, {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
  });
  const failed = data?.results.filter((r) => r.status !== 'pass').length ?? 0;
  return (
    <div
      data-testid="checks"
      data-loading={isValidating ? 'true' : 'false'}
      data-checked-at={data?.checkedAt}
    >
      <div className={styles.checksBar}>
        {data ? (
          <span
            className={`${styles.summary} ${data.ok ? styles.summaryOk : styles.summaryFail}`}
            data-testid="checks-summary"
            data-ok={data.ok ? 'true' : 'false'}
          >
            {data.ok ? '全部通过 / All checks passed' : `${failed} 项未通过 / ${failed} not passing`}
          </span>
        ) : (
          <span />
        )}
        <Button size="small" onClick={() => mutate()} disabled={isValidating} data-testid="checks-rerun">
          {isValidating ? '检查中… / Checking…' : '重新检查 / Re-check'}
        </Button>
      </div>
      {error && !data ? (
        <StateMessage
          tone="error"
          title="检查失败 / Could not run the checks"
          detail={String(error.message)}
        />
      ) : null}
      {!data && !error ? <Skeleton avatar={false} lines={6} label="正在检查 / Checking" /> : null}
      {data ? (
        <ul className={styles.checks}>
          {data.results.map((r) => (
            <li key={r.id} className={styles.check} data-testid={`check-${r.id}`} data-status={r.status}>
              <span className={styles.checkIcon} aria-label={r.status}>
                {ICON[r.status]}
              </span>
              <span className={styles.checkTitle}>
                {r.title.zh} <span className={styles.en}>{r.title.en}</span>
              </span>
              <div className={styles.checkDetail} data-testid="check-detail">
                {r.detail.zh}
                <br />
                <span className={styles.en} lang="en">
                  {r.detail.en}
                </span>
              </div>
              {r.fix ? (
                <div className={styles.checkFix} data-testid="check-fix">
                  <strong>修复 / Fix：</strong>
                  {r.fix.zh}
                  <br />
                  <span className={styles.en} lang="en">
                    {r.fix.en}
                  </span>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
