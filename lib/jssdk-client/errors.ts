/**
 * Classifies what the WeCom client (through @wecom/jssdk) answered, so every failure gets its own state and message.
 * The SDK rejects with the client's result object ({errMsg, errCode}) or, for its own problems, an Error.
 */

export type SdkStep =
  | 'load'
  | 'agentConfig'
  | 'getContext'
  | 'getCurExternalContact'
  | 'getCurExternalChat'
  | 'sendChatMessage'
  | 'openUserProfile'
  | 'openEnterpriseChat';

export type SdkErrorKind =
  /** Not opened inside the WeCom client (plain browser). */
  | 'not-wecom'
  /** The client did not answer in time. */
  | 'timeout'
  /** The client is too old for the API (e.g. getContext needs WeCom 3.0.24). */
  | 'unsupported'
  | 'invalid-signature'
  | 'invalid-domain'
  /** The app lacks 客户联系 permission, or the member lacks it, or the signature was not accepted for the API. */
  | 'no-permission'
  /** The page was not opened from a chat that carries a customer / group context. */
  | 'without-context'
  /** The signature endpoint of our own server failed. */
  | 'signature-endpoint'
  | 'cancel'
  | 'failed';

export class SdkError extends Error {
  override name = 'SdkError';
  constructor(
    readonly kind: SdkErrorKind,
    readonly step: SdkStep,
    /** The client's errMsg (or our own description); shown verbatim to help the admin. */
    readonly errMsg: string,
    /** For signature-endpoint failures: the HTTP status of our own endpoint. */
    readonly status?: number,
  ) {
    super(`${step}: ${errMsg}`);
  }
}

export function kindOfErrMsg(errMsg: string): SdkErrorKind {
  const m = errMsg.toLowerCase();
  if (m.includes('invalid signature')) return 'invalid-signature';
  if (m.includes('invalid url domain') || m.includes('invalidurldomain')) return 'invalid-domain';
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
  if (/:cancel\b/.test(m)) return 'cancel';
  return 'failed';
}

/** Turns whatever a ww.* promise rejected with into an SdkError. */
export function toSdkError(err: unknown, step: SdkStep): SdkError {
  if (err instanceof SdkError) return err;
  if (typeof err === 'object' && err !== null) {
    const errMsg = (err as { errMsg?: unknown }).errMsg;
    if (typeof errMsg === 'string' && errMsg) return new SdkError(kindOfErrMsg(errMsg), step, errMsg);
    if (err instanceof Error) {
      // The SDK's own errors ("SDK Error: Aborted" when the URL changed during config) carry no errMsg.
      return new SdkError('failed', step, err.message);
    }
  }
  return new SdkError('failed', step, `${step}:fail`);
}
