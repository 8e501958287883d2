import { describe, expect, it } from 'vitest';
import { findLeaks } from '../e2e/log-leaks';

describe('the log leak check', () => {
  it('passes ordinary request and upstream lines', () => {
    const lines = [
      '{"level":30,"time":"2026-11-29T19:00:50.023Z","pid":2385,"msg":"request","reqId":"5e09c4a3-1697-48e3-94e5-f9f87779f786","method":"GET","route":"/api/ready","status":200,"durationMs":456.1}',
      '{"level":30,"msg":"wecom call","api":"gettoken","errcode":0,"durationMs":173.5,"attempt":1}',
      '{"msg":"request","reqId":"1211196e-d95e-4b13-8785-15482314463a","route":"/api/metrics","status":401}',
    ].join('\n');
    expect(findLeaks(lines, ['demo-agent-secret-123'])).toEqual([]);
  });

  it('finds secrets, tokens, codes, cookies and mobiles', () => {
    const token = 'a'.repeat(20) + 'B-_c'.repeat(10);
    const cases = [
      'failed: demo-agent-secret-123',
      `GET /cgi-bin/user/get?access_token=${token.slice(0, 20)}`,
      '/api/auth/callback?code=abcdefghijklmnopqrstu&state=x',
      'cookie: wecom_sidebar_session=Fe26.2*1*abc',
      `token ${token}`,
      'customer 13812345678 called',
      '{"ticket":"kgt8ON7yVITDhtdwci0qeZ"}',
    ];
    for (const line of cases) expect(findLeaks(line, ['demo-agent-secret-123']), line).not.toEqual([]);
  });
});
