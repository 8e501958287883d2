/**
 * Classifies what the WeCom client (through @wecom/jssdk) answered, so every failure gets its own state and message.
 * The SDK rejects with the client's result object or, for its own problems, an Error. Clients word the same
 * failure in many ways (wecom-crm.md §6.8): `agentConfig:fail_invalid signature`, `agentConfig:fail` with the
 * errcode only in `hint`/`err_Info`, `wx.config:invalid signature more info at …e=40093`, an unprefixed
 * `not match any reliable domain … e=80001` that the SDK turns into `agentConfig://…?e=80001`, `err_code: 2` with
 * `no permission to execute`, and an `agentConfig:ok` whose `errmsg` says `fail_permission denied`. So the
 * classifier reads every field a client may put a reason or an errcode in.
 */

export type SdkStep =
  | 'load'
  | 'agentConfig'
  | 'getContext'
  | 'getCurExternalContact'
  | 'getCurExternalChat'
  | 'sendChatMessage'
  | 'checkJsApi'
  | 'openUserProfile'
  | 'openEnterpriseChat';

export type SdkErrorKind =
  /** Not opened inside the WeCom client (plain browser). */
  | 'not-wecom'
  /** The client did not answer in time. */
  | 'timeout'
  /** The client is too old for the API (e.g. getContext needs WeCom 3.0.24). */
  | 'unsupported'
  /** 40093: the signature does not verify. */
  | 'invalid-signature'
  /** 42012: signed with a ticket of the wrong kind (the corp's jsapi_ticket for agentConfig, or another app's). */
  | 'ticket-kind'
  /** 40013: the corpid is not the corp the member is signed in to. */
  | 'invalid-corpid'
  /** 40056: the agentid is not an app of that corp. */
  | 'invalid-agentid'
  /** 80001 / `invalid url domain`: the page's host is not a trusted domain of the app. */
  | 'invalid-domain'
  /** The app lacks 客户联系 permission, or the member lacks it, or is outside the visible range. */
  | 'no-permission'
  /** The page was not opened from a chat that carries a customer / group context. */
  | 'without-context'
  /** PC clients refuse a link card without a cover (`sendChatMessage:fail, invalid param`) or a non-http cover. */
  | 'invalid-param'
  /** sendChatMessage refused a media_id: unknown to WeCom, of another type, or older than three days. */
  | 'invalid-media'
  /** The signature endpoint of our own server failed. */
  | 'signature-endpoint'
  | 'cancel'
  | 'failed';

/** The failures a fresh pair of tickets and signatures can cure: worth the one refresh before an error is shown. */
export const SIGNATURE_KINDS: ReadonlySet<SdkErrorKind> = new Set(['invalid-signature', 'ticket-kind']);

export class SdkError extends Error {
  override name = 'SdkError';
  constructor(
    readonly kind: SdkErrorKind,
    readonly step: SdkStep,
    /** The client's errMsg (or our own description); shown verbatim to help the admin. */
    readonly errMsg: string,
    /** For signature-endpoint failures: the HTTP status of our own endpoint. */
    readonly status?: number,
    /** The WeCom errcode the client reported (in err_code, a hint or a `…?e=` link), when there is one. */
    readonly errcode?: number,
  ) {
    super(`${step}: ${errMsg}`);
  }

  /** WeCom's errcode lookup page for this failure, when the client named an errcode. */
  get devtoolUrl(): string | undefined {
    return this.errcode === undefined
      ? undefined
      : `https://open.work.weixin.qq.com/devtool/query?e=${this.errcode}`;
  }
}

/** The kind each WeCom errcode of the client means (wecom-platform.md §2; 80001 trusted domain). */
const KIND_BY_ERRCODE: Record<number, SdkErrorKind> = {
  40093: 'invalid-signature',
  42012: 'ticket-kind',
  40013: 'invalid-corpid',
  40056: 'invalid-agentid',
  80001: 'invalid-domain',
};

export function kindOfErrMsg(errMsg: string): SdkErrorKind {
  const m = errMsg.toLowerCase();
  if (m.includes('invalid signature')) return 'invalid-signature';
  if (m.includes('jsapi_ticket') || m.includes('jsapiticket')) return 'ticket-kind';
  if (m.includes('invalid corpid')) return 'invalid-corpid';
  if (m.includes('invalid agentid')) return 'invalid-agentid';
  if (
    m.includes('invalid url domain') ||
    m.includes('invalidurldomain') ||
    m.includes('reliable domain') ||
    m.includes('reliabledomain')
  ) {
    return 'invalid-domain';
  }
  if (m.includes('function not exist') || m.includes('not support') || m.includes('unsupported'))
    return 'unsupported';
  if (m.includes('without context')) return 'without-context';
  if (
    m.includes('no permission') ||
    m.includes('nopermission') ||
    m.includes('permission denied') ||
    m.includes('offline verifying')
  ) {
    return 'no-permission';
  }
  if (m.includes('invalid mediaid') || m.includes('invalid media_id')) return 'invalid-media';
  if (m.includes('invalid param') || m.includes('invalid imgurl')) return 'invalid-param';
  if (/:cancel\b/.test(m)) return 'cancel';
  return 'failed';
}

const TEXT_FIELDS = ['errMsg', 'err_msg', 'errmsg', 'err_Info', 'err_info', 'hint'] as const;

/** Every reason a client result carries, in the order clients fill them. */
function textsOf(result: Record<string, unknown>): string[] {
  return TEXT_FIELDS.map((k) => result[k]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** An errcode from `…?e=<code>` or a hint `'<stamp>:<id>:<code>'`; err_code when it is a WeCom errcode. */
export function errcodeOf(result: Record<string, unknown>): number | undefined {
  for (const text of textsOf(result)) {
    const link = /[?&]e=(-?\d+)/.exec(text);
    if (link) return Number(link[1]);
    const hint = /:(-?\d{4,6})'/.exec(text);
    if (hint) return Number(hint[1]);
  }
  // err_code 2 or -1 are generic; WeCom errcodes have five digits or more.
  for (const key of ['err_code', 'errCode'] as const) {
    const v = result[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (Number.isInteger(n) && Math.abs(n) >= 10000) return n;
  }
  return undefined;
}

/** Kind, message and errcode of one client result (a rejected ww.* call, or an agentConfig that "succeeded"). */
export function classifyResult(result: Record<string, unknown>): {
  kind: SdkErrorKind;
  errMsg: string;
  errcode?: number;
} {
  const texts = textsOf(result);
  const errcode = errcodeOf(result);
  // The SDK's errMsg first; a hint adds the request id support asks for.
  const hint = typeof result.hint === 'string' && result.hint !== texts[0] ? ` (${result.hint})` : '';
  const errMsg = (texts[0] ?? 'fail') + hint;
  const byCode = errcode === undefined ? undefined : KIND_BY_ERRCODE[errcode];
  if (byCode) return { kind: byCode, errMsg, errcode };
  let kind: SdkErrorKind = 'failed';
  for (const text of texts) {
    const k = kindOfErrMsg(text);
    if (k !== 'failed') {
      kind = k;
      break;
    }
  }
  return { kind, errMsg, errcode };
}

const OK_KEYWORD = /^(ok|yes|confirm)$/i;

/**
 * A resolved agentConfig whose raw reply still reports a refusal (`{"errmsg":"fail_permission denied",
 * "errMsg":"agentConfig:ok"}`, wecom-crm.md §6.8): the SDK resolves it, the app must not.
 */
export function refusalInSuccess(result: unknown, step: SdkStep): SdkError | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  for (const key of ['errmsg', 'err_msg'] as const) {
    const raw = r[key];
    if (typeof raw !== 'string' || !raw) continue;
    const keyword = raw.includes(':') ? raw.slice(raw.indexOf(':') + 1) : raw;
    if (OK_KEYWORD.test(keyword.trim())) continue;
    const { kind, errcode } = classifyResult({ err_msg: raw, hint: r.hint });
    if (kind === 'failed' && !/fail/i.test(raw)) continue;
    return new SdkError(
      kind,
      step,
      `${String(r.errMsg ?? '')} · ${raw}`.replace(/^ · /, ''),
      undefined,
      errcode,
    );
  }
  return null;
}

/** Turns whatever a ww.* promise rejected with into an SdkError. */
export function toSdkError(err: unknown, step: SdkStep): SdkError {
  if (err instanceof SdkError) return err;
  if (typeof err === 'object' && err !== null) {
    if (err instanceof Error) {
      // The SDK's own errors ("SDK Error: Aborted" when the URL changed during config) carry no errMsg.
      return new SdkError('failed', step, err.message);
    }
    const r = err as Record<string, unknown>;
    if (textsOf(r).length > 0) {
      const { kind, errMsg, errcode } = classifyResult(r);
      return new SdkError(kind, step, errMsg, undefined, errcode);
    }
  }
  return new SdkError('failed', step, `${step}:fail`);
}
