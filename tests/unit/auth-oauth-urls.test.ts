import { describe, expect, it } from 'vitest';
import {
  STATE_PATTERN,
  buildAuthorizeUrl,
  buildWebLoginUrl,
  isValidCode,
  isWecomClient,
  newOAuthState,
} from '@/lib/wecom/oauth';

const corp = { corpId: 'ww5f3c2a1b9e8d7c60', agentId: '1000002' };
const redirectUri = 'https://sidebar.example.com/api/auth/callback';

describe('buildAuthorizeUrl', () => {
  it('builds the in-client OAuth URL with the encoded callback and #wechat_redirect', () => {
    const url = buildAuthorizeUrl({
      ...corp,
      oauthBase: 'https://open.weixin.qq.com',
      redirectUri,
      state: 'abc123',
    });
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww5f3c2a1b9e8d7c60' +
        '&redirect_uri=https%3A%2F%2Fsidebar.example.com%2Fapi%2Fauth%2Fcallback' +
        '&response_type=code&scope=snsapi_base&state=abc123&agentid=1000002#wechat_redirect',
    );
  });

  it('asks for consent with snsapi_privateinfo and always sends the agentid it requires', () => {
    const url = new URL(
      buildAuthorizeUrl({
        ...corp,
        oauthBase: 'http://localhost:3910',
        redirectUri: 'http://localhost:3910/api/auth/callback',
        state: 'S',
        scope: 'snsapi_privateinfo',
      }),
    );
    expect(url.origin).toBe('http://localhost:3910');
    expect(url.searchParams.get('scope')).toBe('snsapi_privateinfo');
    expect(url.searchParams.get('agentid')).toBe('1000002');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3910/api/auth/callback');
    expect(url.hash).toBe('#wechat_redirect');
  });

  it('refuses a state WeCom would not accept', () => {
    const base = { ...corp, oauthBase: 'https://open.weixin.qq.com', redirectUri };
    expect(() => buildAuthorizeUrl({ ...base, state: 'a-b' })).toThrow();
    expect(() => buildAuthorizeUrl({ ...base, state: '' })).toThrow();
    expect(() => buildAuthorizeUrl({ ...base, state: 'a'.repeat(129) })).toThrow();
  });
});

describe('buildWebLoginUrl', () => {
  it('builds the CorpApp web login URL', () => {
    const url = buildWebLoginUrl({
      ...corp,
      loginBase: 'https://login.work.weixin.qq.com',
      redirectUri,
      state: 'xyz',
    });
    expect(url).toBe(
      'https://login.work.weixin.qq.com/wwlogin/sso/login?login_type=CorpApp&appid=ww5f3c2a1b9e8d7c60' +
        '&agentid=1000002&redirect_uri=https%3A%2F%2Fsidebar.example.com%2Fapi%2Fauth%2Fcallback&state=xyz',
    );
    expect(
      new URL(
        buildWebLoginUrl({ ...corp, loginBase: 'https://l.example', redirectUri, state: 'x', lang: 'en' }),
      ).searchParams.get('lang'),
    ).toBe('en');
  });
});

describe('state, code and client detection', () => {
  it('makes random states in WeCom’s alphabet', () => {
    const states = new Set(Array.from({ length: 200 }, () => newOAuthState()));
    expect(states.size).toBe(200);
    for (const s of states) expect(s).toMatch(STATE_PATTERN);
    expect(newOAuthState()).toHaveLength(32);
  });

  it('accepts plausible codes only', () => {
    expect(isValidCode('AAAAAAgG333qs9EdaPbCAP1VaOrjuNkiAZHTWgaWsZQ')).toBe(true);
    expect(isValidCode('')).toBe(false);
    expect(isValidCode(null)).toBe(false);
    expect(isValidCode('a b')).toBe(false);
    expect(isValidCode('x'.repeat(513))).toBe(false);
  });

  it('recognises the WeCom client by its user agent', () => {
    expect(
      isWecomClient(
        'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) wxwork/4.1.22 (MicroMessenger/7.0.1) WindowsWechat Language/zh ColorScheme/Light',
      ),
    ).toBe(true);
    expect(isWecomClient('Mozilla/5.0 (iPhone) MicroMessenger/8.0.40 NetType/WIFI')).toBe(false);
    expect(isWecomClient('Mozilla/5.0 Chrome/120')).toBe(false);
    expect(isWecomClient(null)).toBe(false);
  });
});
