/**
 * How WeCom delivers a callback push (DOC 90238, wecom-crm.md §5.1): "企业微信服务器在五秒内收不到响应会断掉连接，
 * 并且重新发起请求，总共重试三次". A delivery that is not answered in time, or not with what WeCom expects, is sent
 * again, up to three more times. Third-party instruction callbacks must answer exactly `success`, and auth events
 * within 1000 ms (wecom-platform.md §5); other callbacks count any HTTP 200 as received. Each attempt is sealed
 * anew (fresh timestamp and nonce around the same message), so a receiver recognises a retry by its content.
 */

export const PUSH_TIMEOUT_MS = 5000;
/** Auth events of a third-party app (create_auth, change_auth, cancel_auth, reset_permanent_code). */
export const AUTH_PUSH_TIMEOUT_MS = 1000;
export const PUSH_RETRIES = 3;

/** The outcome of a delivery: the last attempt's answer, how many attempts it took, what was sent last. */
export interface Delivered {
  ok: boolean;
  status: number;
  body: string;
  attempts: number;
  /** The last request sent (tests replay it). */
  sent?: { url: string; body: string };
}

export interface DeliverOptions {
  doFetch: typeof fetch;
  /** Seals the message for one attempt. */
  seal: () => { url: URL; body: string };
  /** What counts as received. */
  accept: (status: number, body: string) => boolean;
  timeoutMs?: number;
  retries?: number;
  /** Test fault: this many answers are lost on the way back (after the receiver acted on them); counts down. */
  faults?: { loseAnswers: number };
}

export async function deliver(opts: DeliverOptions): Promise<Delivered> {
  const retries = opts.retries ?? PUSH_RETRIES;
  const result: Delivered = { ok: false, status: 0, body: '', attempts: 0 };
  for (let i = 0; i <= retries && !result.ok; i++) {
    const { url, body } = opts.seal();
    result.sent = { url: url.toString(), body };
    result.attempts = i + 1;
    result.status = 0;
    try {
      const res = await opts.doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? PUSH_TIMEOUT_MS),
      });
      result.status = res.status;
      result.body = (await res.text()).slice(0, 500);
      result.ok = opts.accept(res.status, result.body);
      if (result.ok && opts.faults && opts.faults.loseAnswers > 0) {
        opts.faults.loseAnswers--;
        result.ok = false;
        result.body = `answer lost: ${result.body}`;
      }
    } catch (err) {
      result.body = `push failed: ${err instanceof Error ? err.message : 'unknown'}`;
    }
  }
  return result;
}
