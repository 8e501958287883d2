import { expect, test, type APIRequestContext } from '@playwright/test';

const SIGNATURE = '/api/jssdk/signature';

interface Signatures {
  corpId: string;
  agentId: string;
  config: { timestamp: number; nonceStr: string; signature: string };
  agentConfig: { timestamp: number; nonceStr: string; signature: string };
}

async function login(request: APIRequestContext) {
  const res = await request.get('/api/auth/login?returnTo=/&client=1');
  expect(res.ok()).toBe(true);
  const session = await request.get('/api/session');
  expect(((await session.json()) as { user: { userId: string } | null }).user).not.toBeNull();
}

const signatureUrl = (baseURL: string | undefined, page: string) =>
  `${SIGNATURE}?url=${encodeURIComponent(new URL(page, baseURL).toString())}`;

test('without a session the signature endpoint answers 401', async ({ request, baseURL }) => {
  const res = await request.get(signatureUrl(baseURL, '/sidebar'));
  expect(res.status()).toBe(401);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = (await res.json()) as { error: { code: string; messageZh: string; messageEn: string } };
  expect(body.error.code).toBe('unauthenticated');
  expect(body.error.messageZh).toBeTruthy();
});

test.describe('signed in', () => {
  test.beforeEach(async ({ request }) => {
    await login(request);
  });

  test('returns both signatures with fresh nonces and no ticket', async ({ request, baseURL }) => {
    const res = await request.get(signatureUrl(baseURL, '/sidebar?entry=single#/profile'));
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toContain('no-store');
    const text = await res.text();
    expect(text.toLowerCase()).not.toContain('ticket');
    const body = JSON.parse(text) as Signatures;
    expect(Object.keys(body).sort()).toEqual(['agentConfig', 'agentId', 'config', 'corpId']);
    expect(body.corpId).toMatch(/^ww/);
    expect(body.agentId).toMatch(/^\d+$/);
    for (const sig of [body.config, body.agentConfig]) {
      expect(Object.keys(sig).sort()).toEqual(['nonceStr', 'signature', 'timestamp']);
      expect(sig.signature).toMatch(/^[0-9a-f]{40}$/);
      expect(sig.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(Number.isInteger(sig.timestamp)).toBe(true);
      expect(Math.abs(sig.timestamp - Date.now() / 1000)).toBeLessThan(300);
    }
    expect(body.config.nonceStr).not.toBe(body.agentConfig.nonceStr);

    const again = (await (
      await request.get(signatureUrl(baseURL, '/sidebar?entry=single'))
    ).json()) as Signatures;
    expect(again.config.nonceStr).not.toBe(body.config.nonceStr);
  });

  test('refuses another origin, an over-long URL and a missing url with 400', async ({
    request,
    baseURL,
  }) => {
    const foreign = await request.get(
      `${SIGNATURE}?url=${encodeURIComponent('https://evil.example.com/sidebar')}`,
    );
    expect(foreign.status()).toBe(400);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('foreign_origin');

    const long = await request.get(signatureUrl(baseURL, `/sidebar?q=${'a'.repeat(2100)}`));
    expect(long.status()).toBe(400);
    expect(((await long.json()) as { error: { code: string } }).error.code).toBe('url_too_long');

    const missing = await request.get(SIGNATURE);
    expect(missing.status()).toBe(400);
  });
});
