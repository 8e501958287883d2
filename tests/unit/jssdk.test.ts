import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/http';
import { randomNonce, sign, signableUrl } from '@/lib/wecom/jssdk';

// Official worked example of WeCom doc 96909 (JS-SDK 签名算法), copied from the published page.
const VECTOR_96909 = {
  jsapiTicket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  noncestr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
  signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
};
// WeChat JS-SDK appendix 1: same ticket, nonce and time, URL without a query.
const VECTOR_WECHAT = {
  url: 'http://mp.weixin.qq.com',
  signature: 'f4d90daf4b3bca3078ab155816175ba34c443a7b',
};

describe('sign', () => {
  it('matches the official vector of doc 96909', () => {
    const v = VECTOR_96909;
    expect(sign(v.url, v.jsapiTicket, v.noncestr, v.timestamp)).toBe(v.signature);
    expect(sign(v.url, v.jsapiTicket, v.noncestr, String(v.timestamp))).toBe(v.signature);
  });

  it('matches the WeChat appendix vector', () => {
    const v = VECTOR_96909;
    expect(sign(VECTOR_WECHAT.url, v.jsapiTicket, v.noncestr, v.timestamp)).toBe(VECTOR_WECHAT.signature);
  });

  it('signs raw values: any change of URL, nonce, time or ticket changes the signature', () => {
    const v = VECTOR_96909;
    const base = sign(v.url, v.jsapiTicket, v.noncestr, v.timestamp);
    expect(sign(encodeURI(v.url + ' x'), v.jsapiTicket, v.noncestr, v.timestamp)).not.toBe(base);
    expect(sign(v.url, v.jsapiTicket, 'other', v.timestamp)).not.toBe(base);
    expect(sign(v.url, v.jsapiTicket, v.noncestr, v.timestamp + 1)).not.toBe(base);
    expect(sign(v.url, v.jsapiTicket + 'x', v.noncestr, v.timestamp)).not.toBe(base);
  });
});

describe('randomNonce', () => {
  it('gives 16 alphanumeric characters, different every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => randomNonce()));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9]{16}$/);
  });
});

describe('signableUrl', () => {
  const base = 'https://sidebar.example.com';

  it('cuts the fragment and keeps the query untouched', () => {
    expect(signableUrl('https://sidebar.example.com/sidebar?code=a%20b&state=x#/detail?id=1', base)).toBe(
      'https://sidebar.example.com/sidebar?code=a%20b&state=x',
    );
    expect(signableUrl('https://sidebar.example.com/', base)).toBe('https://sidebar.example.com/');
  });

  function rejects(url: string, code: string) {
    try {
      signableUrl(url, base);
    } catch (err) {
      expect(err).toBeInstanceOf(HttpError);
      const e = err as HttpError;
      expect(e.status).toBe(400);
      expect(e.code).toBe(code);
      expect(e.userMessage.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.userMessage.en.length).toBeGreaterThan(10);
      return;
    }
    throw new Error(`accepted ${url}`);
  }

  it('refuses other origins (host, port, scheme, userinfo tricks)', () => {
    rejects('https://evil.example.com/sidebar', 'foreign_origin');
    rejects('https://sidebar.example.com:8443/sidebar', 'foreign_origin');
    rejects('http://sidebar.example.com/sidebar', 'foreign_origin');
    rejects('https://sidebar.example.com@evil.example.com/', 'foreign_origin');
    rejects('https://sidebar.example.com.evil.example.com/', 'foreign_origin');
  });

  it('refuses what is not an absolute URL', () => {
    rejects('/sidebar', 'invalid_url');
    rejects('javascript:alert(1)', 'foreign_origin');
    rejects('', 'invalid_url');
  });

  it('refuses URLs longer than 2048 characters (after cutting the fragment)', () => {
    const head = 'https://sidebar.example.com/sidebar?q=';
    expect(signableUrl(head + 'a'.repeat(2048 - head.length), base)).toHaveLength(2048);
    rejects(head + 'a'.repeat(2049 - head.length), 'url_too_long');
    expect(signableUrl(head + 'a#' + 'f'.repeat(5000), base)).toBe(head + 'a');
  });
});
