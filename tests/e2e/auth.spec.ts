import { expect, test, type Page } from '@playwright/test';
import { LIVE_PORT } from '../../playwright.config';
import { resetEmulator } from './helpers';

const COOKIE = 'wecom_sidebar_session';
const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
  'wxwork/4.1.22 (MicroMessenger/7.0.1) WindowsWechat Language/zh ColorScheme/Light';

async function sessionUser(page: Page) {
  const res = await page.request.get('/api/session');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { user: { userId: string; name?: string } | null }).user;
}

/**
 * Walks the in-client OAuth by hand (no redirects followed) and returns the callback URL WeCom sent back,
 * so tests can replay or tamper with it. Cookies land in the page's browser context.
 */
async function captureCallback(page: Page, returnTo = '/'): Promise<URL> {
  const login = await page.request.get(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}&client=1`, {
    maxRedirects: 0,
  });
  expect(login.status()).toBe(302);
  const authorize = new URL(login.headers()['location']!);
  expect(authorize.pathname).toBe('/connect/oauth2/authorize');
  expect(authorize.hash).toBe('#wechat_redirect');
  authorize.hash = '';
  const consent = await page.request.get(authorize.toString(), { maxRedirects: 0 });
  expect(consent.status()).toBe(302);
  const callback = new URL(consent.headers()['location']!, authorize);
  expect(callback.pathname).toBe('/api/auth/callback');
  expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
  expect(callback.searchParams.get('code')).toBeTruthy();
  return callback;
}

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test.describe('inside the WeCom client', () => {
  test.use({ userAgent: WECOM_UA });

  test('signs in silently and comes back to returnTo with a session', async ({ page }) => {
    expect(await sessionUser(page)).toBeNull();
    await page.goto('/api/auth/login?returnTo=%2F%3Ffrom%3Dsilent');
    // The callback ends the redirect chain with its own (empty) fragment, so `#wechat_redirect` does not stick.
    await expect(page).toHaveURL(/\/\?from=silent#?$/);
    expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei', name: '张伟' });
  });

  test('with consent (snsapi_privateinfo) the session also gets the avatar', async ({ page }) => {
    await page.goto('/api/auth/login?returnTo=%2F%3Fconsent%3D1&scope=privateinfo');
    await page.getByRole('button', { name: '同意 / Allow' }).click();
    await expect(page).toHaveURL(/\/\?consent=1#?$/);
    const user = await sessionUser(page);
    expect(user).toMatchObject({ userId: 'zhangwei', name: '张伟' });
    expect((user as { avatar?: string }).avatar).toMatch(
      /^http:\/\/localhost:\d+\/wecom-emulator\/avatars\/.+\.svg$/,
    );
  });

  test('declining consent explains that sign-in was not completed', async ({ page }) => {
    await page.goto('/api/auth/login?returnTo=%2F&scope=privateinfo');
    await page.getByRole('button', { name: '拒绝 / Deny' }).click();
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'code-missing');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('未完成授权');
    expect(await sessionUser(page)).toBeNull();
  });

  test.describe('open redirect attempts land on the home page', () => {
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/.//evil.example',
    ]) {
      test(`returnTo=${returnTo}`, async ({ page }) => {
        await page.goto(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
        const url = new URL(page.url());
        expect(url.origin).toBe(new URL(test.info().project.use.baseURL!).origin);
        expect(url.pathname).toBe('/');
        expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
      });
    }
  });
});

const setCookie = (res: { headersArray(): { name: string; value: string }[] }, name: string) =>
  res.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith(`${name}=`))
    ?.value ?? '';

test('the sign-in state and the session cookie are set on the redirect responses themselves', async ({
  page,
}) => {
  const login = await page.request.get('/api/auth/login?returnTo=%2F&client=1', { maxRedirects: 0 });
  const state = new URL(login.headers()['location']!).searchParams.get('state');
  const stateCookie = setCookie(login, `wecom_oauth_${state}`);
  expect(stateCookie).toMatch(/HttpOnly/i);
  expect(stateCookie).toMatch(/Path=\/api\/auth(;|$)/);

  const callback = await captureCallback(page, '/?after=cookie');
  const res = await page.request.get(callback.toString(), { maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers()['location']).toBe('/?after=cookie#');
  const session = setCookie(res, COOKIE);
  expect(session).toContain(`${COOKIE}=Fe26.2*`);
  expect(session).toMatch(/HttpOnly/i);
  expect(session).toMatch(/SameSite=Lax/i);
  expect(session).toMatch(/Path=\//);
  const maxAge = Number(/Max-Age=(\d+)/i.exec(session)?.[1]);
  expect(maxAge).toBeGreaterThan(6 * 24 * 3600);
  expect(maxAge).toBeLessThanOrEqual(7 * 24 * 3600);
  // Demo runs over plain http: a Secure cookie would never come back.
  expect(session).not.toMatch(/;\s*Secure/i);
  expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
});

test('a PC browser gets the web login; picking 李娜 signs in as lina', async ({ page }) => {
  await page.goto('/api/auth/login?returnTo=%2F%3Fweb%3D1');
  await expect(page).toHaveURL(/\/wwlogin\/sso\/login\?/);
  await expect(page).toHaveTitle(/企业微信登录/);
  await page.getByText('李娜', { exact: false }).first().click();
  await expect(page).toHaveURL(/\/\?web=1#?$/);
  expect(await sessionUser(page)).toMatchObject({ userId: 'lina', name: '李娜' });
});

test('two sign-ins started together in one browser both complete (toolbar and workbench frames)', async ({
  page,
}) => {
  const first = await captureCallback(page, '/?first=1');
  const second = await captureCallback(page, '/?second=1');
  await page.goto(first.toString());
  await expect(page).toHaveURL(/\/\?first=1#?$/);
  await page.goto(second.toString());
  await expect(page).toHaveURL(/\/\?second=1#?$/);
  expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
});

test.describe('refused callbacks', () => {
  test('a state that does not match the one this browser started is refused with 400', async ({ page }) => {
    const callback = await captureCallback(page);
    callback.searchParams.set('state', 'WrongState123');
    const res = await page.goto(callback.toString());
    expect(res?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'state-mismatch');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录校验失败');
    await expect(page.getByRole('link', { name: '重新登录 / Sign in again' })).toBeVisible();
    expect(await sessionUser(page)).toBeNull();
  });

  test('a callback without state is refused with 400', async ({ page }) => {
    const res = await page.goto('/api/auth/callback?code=abc');
    expect(res?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'state-missing');
  });

  test('the same callback URL works once; replayed, its state is refused with 400', async ({ page }) => {
    const callback = await captureCallback(page, '/?once=1');
    await page.goto(callback.toString());
    await expect(page).toHaveURL(/\/\?once=1#?$/);
    await page.context().clearCookies();
    const replay = await page.goto(callback.toString());
    expect(replay?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'state-unknown');
    expect(await sessionUser(page)).toBeNull();
  });

  test('a used code with a fresh state is refused with 400 (WeCom 40029)', async ({ page }) => {
    const first = await captureCallback(page, '/?replay=1');
    await page.goto(first.toString());
    await expect(page).toHaveURL(/\/\?replay=1#?$/);
    await page.context().clearCookies();

    // Start a new sign-in to get a fresh, valid state, then present the old code with it.
    const login = await page.request.get('/api/auth/login?returnTo=%2F&client=1', { maxRedirects: 0 });
    const freshState = new URL(login.headers()['location']!).searchParams.get('state')!;
    const replay = new URL(first);
    replay.searchParams.set('state', freshState);
    const res = await page.goto(replay.toString());
    expect(res?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'code-invalid');
    await expect(page.getByText('登录码已失效或已被使用')).toBeVisible();
    await expect(page.getByText('This login code has expired or was already used')).toBeVisible();
    expect(await sessionUser(page)).toBeNull();

    // The state was spent by that attempt: presenting it again is refused before reaching WeCom.
    const again = await page.goto(replay.toString());
    expect(again?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'state-unknown');
  });
});

test('a tampered session cookie is no session, never a 500', async ({ page, context, baseURL }) => {
  const callback = await captureCallback(page);
  await page.goto(callback.toString());
  expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
  const cookie = (await context.cookies()).find((c) => c.name === COOKIE)!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe('Lax');

  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const variants = [
    flip(cookie.value, Math.floor(cookie.value.length / 2)),
    cookie.value.replace('Fe26.2', 'Fe26.1'),
    cookie.value
      .split('*')
      .map((p, i) => (i === 5 ? 'abc' : p))
      .join('*'),
    cookie.value.slice(0, -12),
    'not-a-session',
  ];
  for (const value of variants) {
    await context.addCookies([{ name: COOKIE, value, url: baseURL! }]);
    const res = await page.request.get('/api/session');
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ user: null, isAdmin: false });
    const login = await page.request.get('/api/auth/login?returnTo=%2F&client=1', { maxRedirects: 0 });
    expect(login.status()).toBe(302);
  }
});

test('/api/session never exposes anything secret', async ({ page }) => {
  const callback = await captureCallback(page);
  await page.goto(callback.toString());
  const res = await page.request.get('/api/session');
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual({
    user: { corpId: 'ww5f3c2a1b9e8d7c60', userId: 'zhangwei', name: '张伟' },
    isAdmin: true,
  });
  expect(JSON.stringify(body)).not.toMatch(/ticket|token|secret|code/i);
});

test('logout clears the session; another site cannot log us out', async ({ page, baseURL }) => {
  const callback = await captureCallback(page);
  await page.goto(callback.toString());
  expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });

  const crossSite = await page.request.post('/api/auth/logout', {
    headers: { origin: 'https://evil.example' },
  });
  expect(crossSite.status()).toBe(403);
  expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });

  const res = await page.request.post('/api/auth/logout', {
    headers: { origin: new URL(baseURL!).origin, accept: 'application/json' },
  });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  expect(await sessionUser(page)).toBeNull();

  const form = await page.request.post('/api/auth/logout', { maxRedirects: 0 });
  expect(form.status()).toBe(303);
  expect(form.headers()['location']).toBe('/');
});

test('pages that need a user send a visitor without a session to sign-in on the server', async ({
  request,
}) => {
  for (const [page, returnTo] of [
    ['/workbench', '/workbench'],
    ['/admin', '/admin'],
  ]) {
    const res = await request.get(page!, { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(res.status());
    const location = new URL(res.headers()['location']!, 'http://x');
    expect(location.pathname).toBe('/api/auth/login');
    expect(location.searchParams.get('returnTo')).toBe(returnTo);
  }
});

test('the chat-toolbar page inside WeCom signs in silently and reopens the same URL', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ userAgent: WECOM_UA, baseURL });
  const page = await context.request.get('/sidebar?entry=single_chat_tools', { maxRedirects: 0 });
  expect([302, 303, 307]).toContain(page.status());
  const location = new URL(page.headers()['location']!, 'http://x');
  expect(location.pathname).toBe('/api/auth/login');
  expect(location.searchParams.get('client')).toBe('1');
  expect(location.searchParams.get('returnTo')).toBe('/sidebar?entry=single_chat_tools');
  await context.close();
});

test('live mode signs in through the separate WeCom origin and comes back', async ({ page }) => {
  const live = `http://localhost:${LIVE_PORT}`;
  await page.goto(`${live}/api/auth/login?returnTo=%2F%3Flive%3D1`);
  await expect(page).toHaveURL(/\/wwlogin\/sso\/login\?/);
  expect(new URL(page.url()).origin).not.toBe(live);
  await page.getByText('张伟', { exact: false }).first().click();
  await expect(page).toHaveURL(new RegExp(`^${live}/\\?live=1#?$`));
  const res = await page.request.get(`${live}/api/session`);
  expect(((await res.json()) as { user: { userId: string } }).user).toMatchObject({ userId: 'zhangwei' });
});

test.describe('found by the security probe', () => {
  test('a sign-in state works once on the server, even for a client that keeps its state cookie', async ({
    page,
  }) => {
    const callback = await captureCallback(page, '/?kept=1');
    const state = callback.searchParams.get('state')!;
    const kept = (await page.context().cookies()).find((c) => c.name === `wecom_oauth_${state}`)!;
    expect(kept).toBeTruthy();
    await page.goto(callback.toString());
    await expect(page).toHaveURL(/\/\?kept=1#?$/);
    // The client puts the spent state cookie back and replays the callback (with its session dropped).
    await page.context().clearCookies();
    await page.context().addCookies([kept]);
    const replay = await page.goto(callback.toString());
    expect(replay?.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'state-unknown');
    expect(await sessionUser(page)).toBeNull();
  });

  test('abandoned sign-ins never pile up cookies: at most four are pending', async ({ page }) => {
    for (let i = 0; i < 12; i++) {
      const res = await page.request.get(`/api/auth/login?returnTo=%2F%3Fn%3D${i}&client=1`, {
        maxRedirects: 0,
      });
      expect(res.status()).toBe(302);
    }
    const pending = (await page.context().cookies()).filter((c) => c.name.startsWith('wecom_oauth_'));
    expect(pending.length).toBe(4);
    // The newest one still completes.
    const callback = await captureCallback(page, '/?last=1');
    await page.goto(callback.toString());
    await expect(page).toHaveURL(/\/\?last=1#?$/);
    expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
  });

  test('logout ends the session everywhere: a copied cookie stops working', async ({
    page,
    browser,
    baseURL,
  }) => {
    const callback = await captureCallback(page);
    await page.goto(callback.toString());
    const copied = (await page.context().cookies()).find((c) => c.name === COOKIE)!;
    const thief = await browser.newContext({ baseURL });
    await thief.addCookies([copied]);
    const thiefPage = await thief.newPage();
    expect(await sessionUser(thiefPage)).toMatchObject({ userId: 'zhangwei' });

    const out = await page.request.post('/api/auth/logout', { headers: { accept: 'application/json' } });
    expect(out.status()).toBe(200);
    expect(await sessionUser(thiefPage)).toBeNull();
    await thief.close();
  });

  test('an admin signs a member out everywhere', async ({ page, browser, baseURL, request }) => {
    // 李娜 signs in in her own browser.
    const lina = await browser.newContext({ baseURL, userAgent: WECOM_UA });
    const linaPage = await lina.newPage();
    await request.post('/wecom-emulator/client', { data: { userId: 'lina' } });
    await linaPage.goto('/api/auth/login?returnTo=%2F&client=1');
    expect(await sessionUser(linaPage)).toMatchObject({ userId: 'lina' });

    // 张伟 (admin) revokes her sessions; a non-admin cannot.
    await request.post('/wecom-emulator/client', { data: { userId: 'zhangwei' } });
    const callback = await captureCallback(page);
    await page.goto(callback.toString());
    const notAdmin = await linaPage.request.post('/api/admin/sessions/revoke', {
      data: { userId: 'zhangwei' },
    });
    expect(notAdmin.status()).toBe(403);
    const res = await page.request.post('/api/admin/sessions/revoke', { data: { userId: 'lina' } });
    expect(res.status()).toBe(200);
    expect(await sessionUser(linaPage)).toBeNull();
    expect(await sessionUser(page)).toMatchObject({ userId: 'zhangwei' });
    await lina.close();
  });
});
