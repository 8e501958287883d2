import { requestContext } from '@/lib/ops/request-context';
import type { Bilingual } from '@/lib/http';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface AuthPage {
  status: number;
  /** Stable code, also in a data attribute for tests and support. */
  code: string;
  title: Bilingual;
  detail: Bilingual;
  /** A same-origin link offered as "重新登录 / Sign in again". */
  retryHref?: string;
}

/**
 * A small self-contained HTML page for sign-in failures: the browser landed here by a redirect from WeCom, so a
 * JSON error would be useless. Chinese first, English below; no technical details beyond a stable code.
 */
export function authPageResponse(page: AuthPage): Response {
  const requestId = requestContext()?.requestId;
  const retry = page.retryHref
    ? `<p><a class="button" href="${escapeHtml(page.retryHref)}">重新登录 / Sign in again</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title.zh)} · ${escapeHtml(page.title.en)}</title>
<style>
:root{color-scheme:light dark;--bg:#f5f6f7;--surface:#fff;--text:#1f2329;--muted:#646a73;--accent:#0b7cff;--border:#dee0e3}
@media (prefers-color-scheme:dark){:root{--bg:#1b1c1f;--surface:#25272b;--text:#e8e9eb;--muted:#a2a7ae;--accent:#4c9dff;--border:#3a3d42}}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:520px;margin:12vh auto;padding:24px;background:var(--surface);border:1px solid var(--border);border-radius:10px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;font-weight:500;color:var(--muted);margin:0 0 16px}
p{margin:8px 0}.en{color:var(--muted)}code{font-size:12px;color:var(--muted)}
a.button{display:inline-block;margin-top:12px;padding:8px 16px;border-radius:6px;background:var(--accent);color:#fff;text-decoration:none}
</style>
</head>
<body>
<main role="alert" data-error-code="${escapeHtml(page.code)}">
<h1>${escapeHtml(page.title.zh)}</h1>
<h2 lang="en">${escapeHtml(page.title.en)}</h2>
<p>${escapeHtml(page.detail.zh)}</p>
<p class="en" lang="en">${escapeHtml(page.detail.en)}</p>
${retry}
<p><code>${escapeHtml(page.code)}</code>${requestId ? ` · <code>请求编号 / Request ID: ${escapeHtml(requestId)}</code>` : ''}</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: page.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-robots-tag': 'noindex',
    },
  });
}
