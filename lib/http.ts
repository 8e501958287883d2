import { NextResponse } from 'next/server';

export type Lang = 'zh' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * An error that is safe to show: a status, a stable code and a message in Chinese and English.
 * Route handlers throw it (or an error that implements `toPublic()`, like WecomError) and `handle()` answers it.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: Bilingual,
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

/** Chinese first; English when the caller's Accept-Language prefers it. */
export function pickLang(acceptLanguage: string | null | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

export function errorBody(err: HttpError, lang: Lang) {
  return {
    error: {
      code: err.code,
      message: err.userMessage[lang],
      messageZh: err.userMessage.zh,
      messageEn: err.userMessage.en,
    },
  };
}

/** Turns any thrown value into a JSON error response; unknown errors become a generic 500 without details. */
export function errorResponse(err: unknown, req?: Request): NextResponse {
  const lang = pickLang(req?.headers.get('accept-language'));
  if (isPublicConvertible(err)) {
    const pub = err.toPublic();
    // Server-side failures are worth a line for operators; messages of public errors carry no secrets.
    if (pub.status >= 500)
      console.error(`[api] ${pub.code}: ${err instanceof Error ? err.message : pub.code}`);
    return NextResponse.json(errorBody(pub, lang), {
      status: pub.status,
      headers: { 'cache-control': 'no-store' },
    });
  }
  console.error('[api] unexpected error:', err instanceof Error ? err.message : 'unknown');
  const internal = new HttpError(500, 'internal', {
    zh: '服务器内部错误，请稍后重试',
    en: 'Internal server error, please try again later',
  });
  return NextResponse.json(errorBody(internal, lang), {
    status: 500,
    headers: { 'cache-control': 'no-store' },
  });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** Wraps a route handler so that every failure becomes a clear JSON error, never a stack trace. */
export function handle<C>(fn: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await fn(req, ctx);
    } catch (err) {
      return errorResponse(err, req);
    }
  };
}

export const unauthorized = () =>
  new HttpError(401, 'unauthenticated', { zh: '请先登录', en: 'Please sign in first' });

export const forbidden = (what: Bilingual = { zh: '无权查看该记录', en: 'You may not see this record' }) =>
  new HttpError(403, 'forbidden', what);

export const badRequest = (code: string, message: Bilingual) => new HttpError(400, code, message);
