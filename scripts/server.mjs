// The production server. `npm run build` copies it into the standalone output (<distDir>/standalone/server.mjs)
// beside Next's own server.js; `npm start` (scripts/start.mjs) runs it. It wraps Next's request handler with what
// an operator needs: a request id (x-request-id, also handed to the pages), one JSON log line per request,
// request metrics, a clear page instead of a blank 431 or 400, and a graceful shutdown on SIGTERM.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const require = module.createRequire(import.meta.url);

process.env.NODE_ENV = 'production';
process.chdir(dir);

const nextConfig = JSON.parse(readFileSync(path.join(dir, 'next-config.json'), 'utf8'));
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(nextConfig);

const port = Number.parseInt(process.env.PORT ?? '', 10) || 3000;
const hostname = process.env.HOST || '0.0.0.0';
const shutdownTimeoutMs = Number.parseInt(process.env.SHUTDOWN_TIMEOUT_MS ?? '', 10) || 25_000;
const keepAliveTimeout = Number.parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? '', 10);
// How many reverse proxies in front of this server append to X-Forwarded-For (nginx: 1). 0 = none, trust nobody.
const trustProxyHops = Number.parseInt(process.env.TRUST_PROXY_HOPS ?? '0', 10) || 0;

const pino = require('pino');
const promClient = require('prom-client');
const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });

// Shared with the app bundle (lib/request-context.ts, lib/shutdown.ts, lib/metrics.ts) through globalThis.
const CONTEXT = Symbol.for('wecom-sidebar.request-context');
const SHUTDOWN = Symbol.for('wecom-sidebar.shutdown');
const METRICS = Symbol.for('wecom-sidebar.http-metrics');
const HEADERS = Symbol.for('wecom-sidebar.security-headers');
const requestContext = (globalThis[CONTEXT] ??= new AsyncLocalStorage());
const shutdown = (globalThis[SHUTDOWN] ??= { stopping: false, hooks: [] });

const httpMetrics = (globalThis[METRICS] ??= {
  requests: new promClient.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
  }),
  duration: new promClient.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to the end of the response, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  inFlight: new promClient.Gauge({ name: 'http_requests_in_flight', help: 'Requests being answered' }),
});

// Route patterns (`/api/contacts/[id]`) from the build's manifest: logs and metrics never carry ids or queries.
const manifest = JSON.parse(readFileSync(path.join(dir, nextConfig.distDir, 'routes-manifest.json'), 'utf8'));
const staticRoutes = new Map(manifest.staticRoutes.map((r) => [r.page, r.page]));
const dynamicRoutes = manifest.dynamicRoutes.map((r) => ({ page: r.page, re: new RegExp(r.regex) }));
function routeOf(pathname) {
  if (pathname.startsWith('/_next/static/')) return '/_next/static';
  if (pathname.startsWith('/_next/')) return '/_next';
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (staticRoutes.has(p)) return p;
  for (const r of dynamicRoutes) if (r.re.test(p)) return r.page;
  if (/^\/WW_verify_[A-Za-z0-9]{16}\.txt$/.test(p)) return '/WW_verify_[code].txt';
  return '(unmatched)';
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const isLoopback = (address) =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

function clientIp(req) {
  const socketIp = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return socketIp;
  const hops = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustProxyHops] ?? socketIp;
}

const escapeHtml = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** A small bilingual page for requests that never reach the app (bad method, malformed URL, oversized headers). */
function plainPage(status, title, detail, requestId) {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title.zh)} · ${escapeHtml(title.en)}</title>
<style>body{margin:0;background:#f5f6f7;color:#1f2329;font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:520px;margin:12vh auto;padding:24px;background:#fff;border:1px solid #dee0e3;border-radius:10px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;font-weight:500;color:#646a73;margin:0 0 16px}.en,code{color:#646a73}code{font-size:12px}</style>
</head><body><main role="alert" data-error-code="http-${status}">
<h1>${escapeHtml(title.zh)}</h1><h2 lang="en">${escapeHtml(title.en)}</h2>
<p>${escapeHtml(detail.zh)}</p><p class="en" lang="en">${escapeHtml(detail.en)}</p>
${requestId ? `<p><code>请求编号 / Request ID: ${escapeHtml(requestId)}</code></p>` : ''}
</main></body></html>
`;
}

function answerPlain(res, status, title, detail, requestId, extraHeaders = {}) {
  const body = plainPage(status, title, detail, requestId);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
  });
  res.end(body);
}

/** Refusals that need no app code: methods we never serve and URLs that cannot be decoded. */
function refuseEarly(req, res, requestId) {
  if (!ALLOWED_METHODS.has(req.method)) {
    answerPlain(
      res,
      405,
      { zh: '不支持的请求方法', en: 'Method not allowed' },
      { zh: `本应用不接受 ${req.method} 请求。`, en: `This app does not accept ${req.method} requests.` },
      requestId,
      { allow: [...ALLOWED_METHODS].join(', ') },
    );
    return true;
  }
  const pathname = (req.url ?? '/').split('?', 1)[0];
  try {
    decodeURIComponent(pathname);
  } catch {
    answerPlain(
      res,
      400,
      { zh: '地址无效', en: 'Invalid address' },
      {
        zh: '请求地址中含有无法解析的 % 编码，请检查链接。',
        en: 'The address contains a malformed % escape; please check the link.',
      },
      requestId,
    );
    return true;
  }
  return false;
}

const next = require('next');
const server = http.createServer();
if (Number.isFinite(keepAliveTimeout) && keepAliveTimeout >= 0) server.keepAliveTimeout = keepAliveTimeout;
const app = next({ dir, dev: false, hostname, port, conf: nextConfig, httpServer: server });

let inFlight = 0;
let drained = () => {};

server.on('request', (req, res) => {
  const started = process.hrtime.bigint();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.headers['x-request-id'] = requestId;
  // Whether the caller is this machine; only the server sets it (the demo emulator's control API uses it).
  req.headers['x-wecom-peer'] = isLoopback(req.socket.remoteAddress) ? 'loopback' : 'remote';
  // The client's IP for rate limits: the socket's, or the one our trusted proxies recorded.
  req.headers['x-wecom-client-ip'] = clientIp(req);
  res.setHeader('x-request-id', requestId);
  if (shutdown.stopping) res.setHeader('connection', 'close');
  // Security headers (lib/ops/security-headers.ts, handed over at start-up) with a fresh nonce, which Next puts
  // on its inline scripts because the request carries the policy too; pages read it from x-nonce.
  const policy = globalThis[HEADERS];
  if (policy) {
    const nonce = randomBytes(16).toString('base64');
    const headers = policy(nonce);
    req.headers['content-security-policy'] = headers['content-security-policy'];
    req.headers['x-nonce'] = nonce;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  } else {
    delete req.headers['content-security-policy'];
    delete req.headers['x-nonce'];
  }

  const pathname = (req.url ?? '/').split('?', 1)[0];
  const ctx = { requestId, route: routeOf(pathname), corpId: undefined, userId: undefined };
  inFlight++;
  httpMetrics.inFlight.inc();
  res.once('close', () => {
    inFlight--;
    httpMetrics.inFlight.dec();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = res.writableFinished ? res.statusCode : 499;
    httpMetrics.requests.inc({ method: req.method, route: ctx.route, status: String(status) });
    httpMetrics.duration.observe({ method: req.method, route: ctx.route }, seconds);
    log.info({
      msg: 'request',
      reqId: requestId,
      method: req.method,
      route: ctx.route,
      status,
      durationMs: Math.round(seconds * 10000) / 10,
      ...(ctx.corpId ? { corp: ctx.corpId } : {}),
      ...(ctx.userId ? { userid: ctx.userId } : {}),
    });
    if (inFlight === 0) drained();
  });

  if (refuseEarly(req, res, requestId)) return;
  requestContext.run(ctx, () => {
    handler(req, res).catch((err) => {
      log.error({
        msg: 'request failed',
        reqId: requestId,
        err: err instanceof Error ? err.name : 'unknown',
      });
      if (!res.headersSent)
        answerPlain(
          res,
          500,
          { zh: '服务器内部错误', en: 'Internal server error' },
          { zh: '请稍后重试。', en: 'Please try again later.' },
          requestId,
        );
      else res.end();
    });
  });
});

// Oversized headers (typically a browser that piled up cookies) or a malformed request: a clear page, not a blank one.
server.on('clientError', (err, socket) => {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = tooLarge
    ? plainPage(
        431,
        { zh: '请求头过大', en: 'Request headers too large' },
        {
          zh: '浏览器为本站保存的 Cookie 过多或过大。请在浏览器设置中清除本站的 Cookie 后重新打开应用。',
          en: 'Your browser holds too many or too large cookies for this site. Clear this site’s cookies in the browser settings and open the app again.',
        },
      )
    : plainPage(
        400,
        { zh: '请求无效', en: 'Bad request' },
        { zh: '服务器无法解析该请求。', en: 'The server could not parse this request.' },
      );
  log.warn({ msg: 'client error', code: err.code, status });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'content-type: text/html; charset=utf-8\r\ncache-control: no-store\r\nconnection: close\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
});

/**
 * SIGTERM (or SIGINT): stop accepting connections, tell the app to stop starting work (its 'stop' hooks, e.g. a
 * scheduler that claims jobs), let requests in flight finish for up to SHUTDOWN_TIMEOUT_MS, then run the 'close'
 * hooks (release locks, close the store) and exit 0.
 */
async function gracefulShutdown(signal) {
  if (shutdown.stopping) return;
  shutdown.stopping = true;
  log.info({ msg: 'shutting down', signal, inFlight, timeoutMs: shutdownTimeoutMs });
  server.close();
  server.closeIdleConnections();
  const runHooks = async (phase) => {
    for (const hook of shutdown.hooks.filter((h) => h.phase === phase)) {
      try {
        await hook.fn();
      } catch (err) {
        log.warn({
          msg: 'shutdown hook failed',
          hook: hook.name,
          err: err instanceof Error ? err.message : 'unknown',
        });
      }
    }
  };
  await runHooks('stop');
  if (inFlight > 0) {
    const idle = setInterval(() => server.closeIdleConnections(), 250);
    const timedOut = await Promise.race([
      new Promise((resolve) => (drained = () => resolve(false))),
      new Promise((resolve) => setTimeout(() => resolve(true), shutdownTimeoutMs).unref()),
    ]);
    clearInterval(idle);
    if (timedOut) log.warn({ msg: 'shutdown timeout reached', inFlight });
  }
  server.closeAllConnections();
  await runHooks('close');
  log.info({ msg: 'stopped' });
  process.exit(0);
}
process.on('SIGTERM', () => void gracefulShutdown('SIGTERM'));
process.on('SIGINT', () => void gracefulShutdown('SIGINT'));

let handler;
try {
  await app.prepare();
  handler = app.getRequestHandler();
} catch (err) {
  log.fatal({ msg: 'start-up failed', err: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
server.listen(port, hostname, () => {
  log.info({ msg: 'listening', url: `http://${hostname}:${port}` });
});
