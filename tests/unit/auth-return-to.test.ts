import { describe, expect, it } from 'vitest';
import { loginPath, safeReturnTo } from '@/lib/auth';

describe('safeReturnTo', () => {
  it.each([
    ['/sidebar', '/sidebar'],
    ['/sidebar?entry=single_chat_tools&x=1', '/sidebar?entry=single_chat_tools&x=1'],
    ['/workbench#customers', '/workbench#customers'],
    ['/', '/'],
    ['/客户', '/%E5%AE%A2%E6%88%B7'],
    ['/a/../admin', '/admin'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    'http://evil.example',
    '//evil.example',
    '//evil.example/sidebar',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/sidebar\u0000',
    '/.//evil.example',
    '/./\u0000',
    'javascript:alert(1)',
    'data:text/html,hi',
    'sidebar',
    ' /sidebar',
    '',
    '/api/auth/login?returnTo=/sidebar',
    '/api/auth/callback',
    '/API/AUTH/logout',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j', (input) => {
    expect(safeReturnTo(input)).toBe('/');
  });

  it('refuses values that are not strings', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(null)).toBe('/');
    expect(safeReturnTo(['/sidebar'])).toBe('/');
    expect(safeReturnTo(42)).toBe('/');
  });

  it('never produces something a browser would read as another host', () => {
    const tricky = ['/%2F%2Fevil.example', '/%5Cevil.example', '/..//evil.example', '/a/..//evil.example'];
    for (const input of tricky) {
      const out = safeReturnTo(input);
      expect(new URL(out, 'https://app.example').host).toBe('app.example');
    }
  });
});

describe('loginPath', () => {
  it('builds the sign-in entry with a sanitised returnTo and the in-client flag', () => {
    expect(loginPath('/sidebar?entry=single_chat_tools', { inClient: true })).toBe(
      '/api/auth/login?returnTo=%2Fsidebar%3Fentry%3Dsingle_chat_tools&client=1',
    );
    expect(loginPath('https://evil.example/')).toBe('/api/auth/login?returnTo=%2F');
    expect(loginPath('/workbench', { privateInfo: true })).toBe(
      '/api/auth/login?returnTo=%2Fworkbench&scope=privateinfo',
    );
  });
});
