import { z } from 'zod';
import { pickLang, type Bilingual, type Lang } from './bilingual';
import { logger } from './ops/log';
import { requestContext } from './ops/request-context';

export { pickLang };
export type { Bilingual, Lang };

/**
 * An error that is safe to show: a status, a stable code and a message in Chinese and English.
 * lib/ throws it (or an error that implements `toPublic()`, like WecomError, SuiteError or
 * StoreUnavailableError) and `route()` (lib/route.ts) answers it; `publicError()` is the one mapping.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: Bilingual,
    /** Extra response headers (e.g. Retry-After of a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(`${userMessage.zh} / ${userMessage.en}`);
    this.name = 'HttpError';
  }

  toPublic(): HttpError {
    return this;
  }
}

interface PublicConvertible {
  toPublic(): HttpError;
}

function isPublicConvertible(err: unknown): err is PublicConvertible {
  return typeof err === 'object' && err !== null && typeof (err as PublicConvertible).toPublic === 'function';
}

/** Which part of a request failed validation; it names the error code (`invalid_query`, …). */
export type InputPart = 'params' | 'query' | 'body' | 'input';

const PART: Record<InputPart, Bilingual> = {
  params: { zh: '路径参数', en: 'path parameter' },
  query: { zh: '查询参数', en: 'query parameter' },
  body: { zh: '请求体字段', en: 'body field' },
  input: { zh: '输入字段', en: 'input field' },
};

const zhIssue = z.locales.zhCN().localeError;
const enIssue = z.locales.en().localeError;

function localeText(map: typeof zhIssue, issue: z.core.$ZodIssue): string | undefined {
  const out = map(issue as Parameters<typeof zhIssue>[0]);
  return typeof out === 'string' ? out : out?.message;
}

/**
 * One zod issue in both languages. A schema's own message (`'客户 ID 格式不正确 / Malformed id'`) is split at
 * ` / `; zod's built-in messages come from its zh-CN and en locales.
 */
function issueText(issue: z.core.$ZodIssue): Bilingual {
  const builtIn = localeText(enIssue, issue);
  if (issue.message && issue.message !== builtIn) {
    const [zh, en] = issue.message.split(' / ');
    return { zh: zh!, en: en ?? zh! };
  }
  return { zh: localeText(zhIssue, issue) ?? issue.message, en: builtIn ?? issue.message };
}

/** A 400 naming the first invalid field: `invalid_query` “查询参数 limit 不正确：… / Invalid query parameter limit: …”. */
export function invalidInput(part: InputPart, error: z.ZodError): HttpError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const text = issue ? issueText(issue) : { zh: '格式不正确', en: 'malformed' };
  const what = PART[part];
  return badRequest(`invalid_${part}`, {
    zh: field ? `${what.zh} ${field} 不正确：${text.zh}` : `${what.zh}不正确：${text.zh}`,
    en: field ? `Invalid ${what.en} ${field}: ${text.en}` : `Invalid ${what.en}: ${text.en}`,
  });
}

const INTERNAL: Bilingual = {
  zh: '服务器内部错误，请稍后重试',
  en: 'Internal server error, please try again later',
};

/**
 * The one mapping from a thrown value to what a caller may see: HttpError and anything with `toPublic()` as they
 * say (WecomError → its HTTP error, store failures → 503, …), a ZodError → 400 naming the field, anything else a
 * generic 500 without details. Server-side failures are logged without secrets (public messages carry none).
 */
export function publicError(err: unknown): HttpError {
  if (isPublicConvertible(err)) {
    const pub = err.toPublic();
    if (pub.status >= 500)
      logger().error({
        msg: 'api error',
        code: pub.code,
        detail: err instanceof Error ? err.message : pub.code,
      });
    return pub;
  }
  if (err instanceof z.ZodError) return invalidInput('input', err);
  logger().error({ msg: 'api unexpected error', err: err instanceof Error ? err.name : 'unknown' });
  return new HttpError(500, 'internal', INTERNAL);
}

export function errorBody(err: HttpError, lang: Lang) {
  const requestId = requestContext()?.requestId;
  return {
    error: {
      code: err.code,
      // The id of this request in the server's logs, for the user to quote.
      ...(requestId ? { requestId } : {}),
      message: err.userMessage[lang],
      messageZh: err.userMessage.zh,
      messageEn: err.userMessage.en,
    },
  };
}

/** Any thrown value as a JSON error response (`publicError`), in the caller's language, never cached. */
export function errorResponse(err: unknown, req?: Request): Response {
  const pub = publicError(err);
  return Response.json(errorBody(pub, pickLang(req?.headers.get('accept-language'))), {
    status: pub.status,
    headers: { ...pub.headers, 'cache-control': 'no-store' },
  });
}

export const unauthorized = () =>
  new HttpError(401, 'unauthenticated', { zh: '请先登录', en: 'Please sign in first' });

export const forbidden = (what: Bilingual = { zh: '无权查看该记录', en: 'You may not see this record' }) =>
  new HttpError(403, 'forbidden', what);

export const badRequest = (code: string, message: Bilingual) => new HttpError(400, code, message);
