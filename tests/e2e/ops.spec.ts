import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_VERIFY_FILE } from '../../lib/config';
import { DEMO_PORT, LIVE_PORT, LOG_DIR, METRICS_TOKEN } from '../../playwright.config';
import { loginInClient, resetEmulator, setClient, WELL_KNOWN } from './helpers';

// Operating the production server (npm start): health, readiness, metrics, logs, headers, refusals.
const LIVE = `http://localhost:${LIVE_PORT}`;

/** One raw HTTP/1.1 exchange (for requests a browser or fetch would not send as they are). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
  });
}

function logLines(name: string): Record<string, unknown>[] {
  return readFileSync(path.join(LOG_DIR, `${name}.log`), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test.describe('health and readiness', () => {
  test('health answers 200 and says nothing about the configuration', async ({ request }) => {
    for (const base of ['', LIVE]) {
      const res = await request.get(`${base}/api/health`);
      expect(res.status()).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  test('ready checks the store, the database, the schema and the WeCom credentials', async ({ request }) => {
    const res = await request.get(`${LIVE}/api/ready`);
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      status: 'ready',
      checks: { store: 'ok', database: 'ok', schema: 'ok', wecom: 'ok' },
    });
  });
});

test.describe('metrics', () => {
  test('are 404 without METRICS_TOKEN, 401 without the bearer token, Prometheus text with it', async ({
    request,
  }) => {
    expect((await request.get('/api/metrics')).status()).toBe(404);
    expect((await request.get(`${LIVE}/api/metrics`)).status()).toBe(401);
    expect(
      (await request.get(`${LIVE}/api/metrics`, { headers: { authorization: 'Bearer wrong' } })).status(),
    ).toBe(401);
    await request.get(`${LIVE}/api/ready`);
    const res = await request.get(`${LIVE}/api/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/ready",status="200"\} \d+/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/ready"\}/m,
    );
    expect(text).toMatch(/^wecom_upstream_calls_total\{api="gettoken",errcode="0"\} \d+/m);
    expect(text).toMatch(/^wecom_credential_cache_total\{kind="token",outcome="(hit|fetch)"\} \d+/m);
    for (const name of ['scheduler_jobs_total', 'knowledge_base_searches_total'])
      expect(text).toContain(`# TYPE ${name} counter`);
    expect(text).not.toContain(METRICS_TOKEN);
  });
});

test.describe('request ids and logs', () => {
  test('every response carries x-request-id; a signed-in request is logged with its route, corp and userid', async ({
    page,
  }) => {
    await resetEmulator(page.request);
    await setClient(page.request, { userId: 'zhangwei' });
    await loginInClient(page, '/workbench');
    const res = await page.request.get('/api/session');
    const requestId = res.headers()['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => logLines(`demo-${DEMO_PORT}`).find((l) => l.reqId === requestId && l.msg === 'request'))
      .toMatchObject({
        method: 'GET',
        route: '/api/session',
        status: 200,
        corp: 'ww5f3c2a1b9e8d7c60',
        userid: 'zhangwei',
      });
    const line = logLines(`demo-${DEMO_PORT}`).find((l) => l.reqId === requestId && l.msg === 'request')!;
    expect(typeof line.time).toBe('string');
    expect(typeof line.durationMs).toBe('number');
  });

  test('upstream WeCom calls get their own line with api, errcode, duration and attempt', async ({
    page,
  }) => {
    await resetEmulator(page.request);
    await setClient(page.request, { userId: 'zhangwei' });
    await loginInClient(page, '/workbench');
    const res = await page.request.get(`/api/contacts/${WELL_KNOWN.linXiaomei}`);
    expect(res.status()).toBe(200);
    const requestId = res.headers()['x-request-id'];
    await expect
      .poll(() => logLines(`demo-${DEMO_PORT}`).find((l) => l.reqId === requestId && l.msg === 'wecom call'))
      .toMatchObject({ api: 'externalcontact/get', errcode: 0, attempt: 1 });
    const line = logLines(`demo-${DEMO_PORT}`).find((l) => l.reqId === requestId && l.msg === 'wecom call')!;
    expect(typeof line.durationMs).toBe('number');
  });

  test('a JSON error and an error page carry the request id', async ({ request }) => {
    const res = await request.get('/api/contacts/wm123');
    expect(res.status()).toBe(401);
    expect((await res.json()).error.requestId).toBe(res.headers()['x-request-id']);
    const page = await request.get('/api/auth/callback?state=bad');
    expect(page.status()).toBe(400);
    expect(await page.text()).toContain(page.headers()['x-request-id']!);
  });
});

test.describe('security headers', () => {
  test('pages carry a nonce CSP without unsafe-eval, and the nonce is on every script', async ({ page }) => {
    const res = await page.goto('/simulator');
    const headers = res!.headers();
    const csp = headers['content-security-policy']!;
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['strict-transport-security']).toBeUndefined();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const inline = await page
      .locator('script:not([src])')
      .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(inline.length).toBeGreaterThan(0);
    for (const n of inline) expect(n).toBe(nonce);
    // The simulator still frames the sidebar (same origin in demo mode).
    await expect(page.getByTestId('simulator')).toBeVisible();
  });

  test('live mode lets nobody frame its pages', async ({ request }) => {
    const res = await request.get(`${LIVE}/sidebar`, { maxRedirects: 0 });
    const csp = res.headers()['content-security-policy']!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers()['x-frame-options']).toBe('DENY');
  });
});

test.describe('refusals', () => {
  test('TRACE answers 405 and a malformed % in an id path 400, with a page, never 500', async () => {
    const trace = await rawRequest(
      DEMO_PORT,
      'TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(trace).toMatch(/^HTTP\/1\.1 405 /);
    const bad = await rawRequest(
      DEMO_PORT,
      'GET /api/contacts/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(bad).toContain('malformed % escape');
    const page = await rawRequest(
      DEMO_PORT,
      'GET /workbench/customers/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(page).toMatch(/^HTTP\/1\.1 400 /);
  });

  test('oversized cookies get a clear 431 page instead of a blank one', async () => {
    const cookie = `big=${'x'.repeat(20_000)}`;
    const res = await rawRequest(
      DEMO_PORT,
      `GET /workbench HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(res).toMatch(/^HTTP\/1\.1 431 /);
    expect(res).toContain('清除本站的 Cookie');
    expect(res).toContain('Clear this site’s cookies');
  });

  test('the demo corp’s verification file is served in demo mode only', async ({ request }) => {
    expect((await request.get(`/${DEMO_VERIFY_FILE}`)).status()).toBe(200);
    const live = await request.get(`${LIVE}/${DEMO_VERIFY_FILE}`);
    expect(live.status()).toBe(404);
    expect(await live.text()).not.toContain(DEMO_VERIFY_FILE.slice(10, 26));
  });

  test('the simulator frames only paths of its own origin', async ({ page }) => {
    for (const panel of [
      '/\t/evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/.//evil.example',
      'https://evil.example',
    ]) {
      await page.goto(`/simulator?panel=${encodeURIComponent(panel)}`);
      await expect(page.getByTestId('sidebar-frame')).toHaveAttribute('src', '/sidebar');
    }
    await page.goto(`/simulator?panel=${encodeURIComponent('/workbench')}`);
    await expect(page.getByTestId('sidebar-frame')).toHaveAttribute('src', '/workbench');
  });

  test('sign-in is rate limited per IP with 429, Retry-After and a clear page', async ({ request }) => {
    test.setTimeout(120_000);
    // Against the live server (its own store), so the other tests' sign-ins on the demo are unaffected.
    let limited: Awaited<ReturnType<typeof request.get>> | undefined;
    // Up to two windows' worth, in case the loop crosses a window boundary.
    for (let i = 0; i < 485 && !limited; i++) {
      const res = await request.get(`${LIVE}/api/auth/login?returnTo=%2F`, { maxRedirects: 0 });
      if (res.status() === 429) limited = res;
      else expect(res.status()).toBe(302);
    }
    expect(limited, 'no 429 within 485 sign-ins').toBeDefined();
    const retryAfter = Number(limited!.headers()['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited!.text()).toContain('登录尝试过于频繁');
    // Let the window pass so that later live sign-ins work.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
    expect((await request.get(`${LIVE}/api/auth/login?returnTo=%2F`, { maxRedirects: 0 })).status()).toBe(
      302,
    );
  });
});
