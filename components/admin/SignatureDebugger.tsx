'use client';

import { useState } from 'react';
import { Button } from '@/components/ui';
import { api } from '@/lib/api-client';
import type { SignatureDebugResult } from '@/lib/signature-debug';
import styles from './admin.module.css';

function randomNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => chars[b % chars.length]).join('');
}

/**
 * Like WeCom's own JS-SDK signature tool: string1 and the signature for a url/noncestr/timestamp, computed on the
 * server with the current ticket, which is shown masked only.
 */
export function SignatureDebugger({ defaultUrl }: { defaultUrl: string }) {
  const [url, setUrl] = useState(defaultUrl);
  const [nonceStr, setNonceStr] = useState('');
  const [timestamp, setTimestamp] = useState('');
  const [kind, setKind] = useState<'corp' | 'agent'>('agent');
  const [result, setResult] = useState<SignatureDebugResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api.post<SignatureDebugResult>('/api/admin/signature-debug', {
          url,
          nonceStr,
          timestamp,
          kind,
        }),
      );
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} data-testid="signature-debugger">
      <label className={styles.field}>
        <span>url（当前页面完整地址，不含 # 之后的部分）/ page URL without the #fragment</span>
        <input
          className={styles.input}
          name="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
        />
      </label>
      <div className={styles.grid2}>
        <label className={styles.field}>
          <span>noncestr</span>
          <div className={styles.row}>
            <input
              className={styles.input}
              style={{ flex: 1, width: 'auto' }}
              name="nonceStr"
              value={nonceStr}
              onChange={(e) => setNonceStr(e.target.value)}
              required
            />
            <Button size="small" onClick={() => setNonceStr(randomNonce())}>
              随机 / Random
            </Button>
          </div>
        </label>
        <label className={styles.field}>
          <span>timestamp（秒 / seconds）</span>
          <div className={styles.row}>
            <input
              className={styles.input}
              style={{ flex: 1, width: 'auto' }}
              name="timestamp"
              inputMode="numeric"
              value={timestamp}
              onChange={(e) => setTimestamp(e.target.value)}
              required
            />
            <Button size="small" onClick={() => setTimestamp(String(Math.floor(Date.now() / 1000)))}>
              现在 / Now
            </Button>
          </div>
        </label>
      </div>
      <fieldset className={styles.field} style={{ border: 0, padding: 0, margin: 0 }}>
        <span>jsapi_ticket</span>
        <div className={styles.radios}>
          <label>
            <input
              type="radio"
              name="kind"
              value="agent"
              checked={kind === 'agent'}
              onChange={() => setKind('agent')}
            />
            应用 ticket（agentConfig）/ agent
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              value="corp"
              checked={kind === 'corp'}
              onChange={() => setKind('corp')}
            />
            企业 ticket（config）/ corp
          </label>
        </div>
      </fieldset>
      <div>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? '计算中… / Signing…' : '生成签名 / Sign'}
        </Button>
      </div>
      {error ? (
        <div className={styles.formError} role="alert" data-testid="signature-error">
          {error}
        </div>
      ) : null}
      {result ? (
        <div className={styles.output} data-testid="signature-result">
          <div>string1（ticket 已打码 / ticket masked）</div>
          <div className={styles.mono} data-testid="signature-string1">
            {result.string1}
          </div>
          {result.warning ? (
            <div className={styles.formError} data-testid="signature-warning">
              {result.warning.zh} / {result.warning.en}
            </div>
          ) : null}
          <div>signature = sha1(string1)</div>
          <div className={styles.mono} data-testid="signature-value">
            {result.signature}
          </div>
        </div>
      ) : null}
    </form>
  );
}
