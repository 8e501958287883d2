import { randomBytes, randomInt } from 'node:crypto';

/** errmsg texts as the real server words them (the part before ", hint: ..."). */
const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40050: 'invalid group id',
  40056: 'invalid agentid',
  40058: 'invalid param',
  40068: 'invalid tagid',
  40091: 'secret is invalid',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'secret missing',
  41035: 'missing external userid',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  48002: 'api forbidden',
  50001: 'redirect_uri unauthorized',
  50002: 'user out of app visible range',
  90501: 'chat is not external group chat',
  48009: 'api forbidden for contact sync from new ip',
  42012: 'jsapi_ticket not usable',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  60111: 'userid not found',
  84014: 'user ticket expired',
  84015: 'invalid user ticket',
  84061: 'not external contact',
  301002: 'not allow operate another agent with this accesstoken.',
};

export function errText(errcode: number): string {
  return ERRMSG[errcode] ?? 'system error';
}

/** A 25-digit request id like the ones in real hints. */
function hintId(nowMs: number): string {
  let digits = String(Math.floor(nowMs / 1000));
  while (digits.length < 25) digits += String(randomInt(10));
  return digits;
}

export function formatErrmsg(errcode: number, text: string, ip: string, nowMs: number): string {
  const more = `more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
  // The real 42001 answer carries no hint / ip part.
  if (errcode === 42001) return `${text}, ${more}`;
  return `${text}, hint: [${hintId(nowMs)}], from ip: ${ip}, ${more}`;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers },
  });
}

/** Business error: HTTP 200, errcode/errmsg in the body and in Error-Code / Error-Msg headers. */
export function wecomError(
  errcode: number,
  ip: string,
  nowMs: number,
  text = errText(errcode),
  extra: Record<string, unknown> = {},
): Response {
  const errmsg = formatErrmsg(errcode, text, ip, nowMs);
  return json({ errcode, errmsg, ...extra }, 200, {
    'error-code': String(errcode),
    // Header values must be Latin-1; errmsg texts are ASCII except for ids echoed back.
    'error-msg': errmsg.replace(/[^\x20-\x7e]/g, '?'),
  });
}

export function ok(body: Record<string, unknown> = {}): Response {
  return json({ errcode: 0, errmsg: 'ok', ...body }, 200, { 'error-code': '0', 'error-msg': 'ok' });
}

export function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function randomString(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The caller's IP as the emulator sees it (set by the node wrapper, else proxy headers). */
export function callerIp(req: Request, known?: string): string {
  const raw =
    known ??
    req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ??
    req.headers.get('x-real-ip') ??
    '127.0.0.1';
  return raw.replace(/^::ffff:/, '');
}

/** Responses whose connection must be destroyed instead of answered (fault `drop`). */
export const droppedResponses = new WeakSet<Response>();

export function dropResponse(): Response {
  // For servers that can't reach the socket (embedded in the app): a body stream that fails mid-response.
  const body = new ReadableStream({
    start(controller) {
      controller.error(new Error('connection dropped by fault injection'));
    },
  });
  const res = new Response(body, { status: 200, headers: { 'content-type': JSON_TYPE } });
  droppedResponses.add(res);
  return res;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
