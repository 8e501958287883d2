import { describe, expect, it } from 'vitest';
import { authPageResponse } from '@/app/api/auth/auth-page';

describe('authPageResponse', () => {
  it('renders a bilingual HTML page with the status, Chinese first, and a retry link', async () => {
    const res = authPageResponse({
      status: 403,
      code: 'not-a-member',
      title: { zh: '你不是本企业成员', en: 'You are not a member of this organisation' },
      detail: { zh: '本应用仅供本企业的成员使用。', en: 'This app is only for members.' },
      retryHref: '/api/auth/login?returnTo=%2F&client=1',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html.indexOf('你不是本企业成员')).toBeLessThan(
      html.indexOf('You are not a member of this organisation'),
    );
    expect(html).toContain('data-error-code="not-a-member"');
    expect(html).toContain('href="/api/auth/login?returnTo=%2F&amp;client=1"');
    expect(html).toContain('重新登录 / Sign in again');
  });

  it('escapes everything it prints', async () => {
    const html = await authPageResponse({
      status: 400,
      code: '"><script>',
      title: { zh: '<b>x</b>', en: "it's" },
      detail: { zh: '&', en: '<img src=x onerror=alert(1)>' },
    }).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('it&#39;s');
    expect(html).not.toContain('重新登录');
  });
});
