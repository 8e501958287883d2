import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '@/lib/http';
import {
  CONSOLE,
  WecomError,
  classify,
  describeErrcode,
  ipFromErrmsg,
  isWecomError,
  userMessageFor,
  wecomErrcodeOf,
} from '@/lib/wecom/errors';
import { redact, redactUrl, redactValue } from '@/lib/wecom/redact';

const err = (errcode: number, errmsg = '', api = 'externalcontact/get') =>
  new WecomError({ api, errcode, errmsg });

describe('WecomError', () => {
  it('classifies errcodes', () => {
    expect(classify(-1)).toBe('retryable');
    expect(classify(40014)).toBe('token-invalid');
    expect(classify(42001)).toBe('token-invalid');
    expect(classify(40001)).toBe('configuration');
    expect(classify(60020)).toBe('configuration');
    expect(classify(48002)).toBe('configuration');
    expect(classify(45009)).toBe('rate-limited');
    expect(classify(45033)).toBe('rate-limited');
    expect(classify(84061)).toBe('gone');
    expect(classify(40096)).toBe('not-found');
    expect(classify(40050)).toBe('not-found');
    expect(classify(90501)).toBe('not-found');
    expect(classify(60011)).toBe('permission');
    expect(classify(12345)).toBe('unknown');
    expect(classify(60111)).toBe('not-found');
    expect(classify(40029)).toBe('caller');
  });

  it('names the fix for 60020 with the IP from errmsg', () => {
    const e = err(
      60020,
      'not allow to access from your ip, hint: [1730458186056773912722469], from ip: 171.43.188.73, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
    );
    expect(ipFromErrmsg(e.errmsg)).toBe('171.43.188.73');
    const pub = e.toPublic();
    expect(pub).toBeInstanceOf(HttpError);
    expect(pub.status).toBe(502);
    expect(pub.code).toBe('wecom_60020');
    expect(pub.userMessage.zh).toContain(`在企业可信IP（${CONSOLE.trustedIp.zh}）中添加 171.43.188.73`);
    expect(pub.userMessage.en).toContain(`add 171.43.188.73 to the trusted IPs (${CONSOLE.trustedIp.en})`);
    expect(CONSOLE.trustedIp.zh).toBe('管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP');
  });

  it('gives actionable messages for configuration errors', () => {
    expect(userMessageFor(48002).zh).toContain('客户联系');
    expect(userMessageFor(48002).zh).toContain('可调用应用');
    for (const code of [40001, 40013, 40091]) {
      const m = userMessageFor(code);
      expect(m.zh).toContain('WECOM_CORP_ID');
      expect(m.zh).toContain('WECOM_AGENT_SECRET');
      expect(m.en).toContain('WECOM_AGENT_SECRET');
    }
    expect(userMessageFor(12345).zh).toContain('devtool/query?e=12345');
  });

  it('maps kinds to statuses', () => {
    expect(err(84061).toPublic().status).toBe(410);
    expect(err(60111).toPublic().status).toBe(404);
    expect(err(40096).toPublic().status).toBe(404);
    expect(err(40050).toPublic().status).toBe(404);
    expect(err(60011).toPublic().status).toBe(403);
    expect(err(-1).toPublic().status).toBe(503);
    expect(err(45009).toPublic().status).toBe(503);
    expect(err(40001).toPublic().status).toBe(502);
    const timeout = new WecomError({
      api: 'user/get',
      errcode: -1,
      errmsg: 'no answer',
      transport: 'timeout',
    });
    expect(timeout.kind).toBe('retryable');
    expect(timeout.toPublic().status).toBe(504);
    const notFound = new WecomError({
      api: 'user/get',
      errcode: -1,
      errmsg: '',
      transport: 'http',
      httpStatus: 404,
    });
    expect(notFound.kind).toBe('configuration');
    expect(
      new WecomError({ api: 'x', errcode: -1, errmsg: '', transport: 'http', httpStatus: 502 }).kind,
    ).toBe('retryable');
  });

  it('has a message naming the API and errcode', () => {
    expect(err(84061, 'not external contact').message).toBe(
      'WeCom externalcontact/get failed: errcode 84061 (not external contact)',
    );
  });
});

describe('recognising a WecomError', () => {
  it('recognises one made by another copy of the module (a production build duplicates it across chunks)', async () => {
    vi.resetModules();
    const other = await import('@/lib/wecom/errors');
    expect(other.WecomError).not.toBe(WecomError);
    const foreign = new other.WecomError({ api: 'user/get', errcode: 60011, errmsg: 'no privilege' });
    expect(foreign instanceof WecomError).toBe(false);
    expect(isWecomError(foreign)).toBe(true);
    expect(isWecomError(foreign, 60011)).toBe(true);
    expect(isWecomError(foreign, 48002)).toBe(false);
    expect(wecomErrcodeOf(foreign)).toBe(60011);
    expect(other.isWecomError(err(40007), 40007)).toBe(true);
  });

  it('is not fooled by look-alikes, and gives no errcode for a timeout or network failure', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'WecomError', errcode: 60011 });
    expect(isWecomError(lookAlike)).toBe(false);
    expect(wecomErrcodeOf(lookAlike)).toBeUndefined();
    expect(isWecomError(null)).toBe(false);
    expect(isWecomError({ errcode: 0 })).toBe(false);
    const timeout = new WecomError({ api: 'user/get', errcode: -1, errmsg: '', transport: 'timeout' });
    expect(isWecomError(timeout)).toBe(true);
    expect(wecomErrcodeOf(timeout)).toBeUndefined();
    expect(wecomErrcodeOf(err(48002))).toBe(48002);
  });
});

describe('the errcode vocabulary', () => {
  it('names the provider’s IP allow-list for third-party calls, the corp’s 企业可信IP otherwise', () => {
    const errmsg = 'not allow to access from your ip, hint: [1], from ip: 10.1.2.3, more info at x';
    const corp = describeErrcode(60020, { errmsg });
    const provider = describeErrcode(60020, { errmsg, thirdParty: true });
    expect(corp.fix?.zh).toContain(CONSOLE.trustedIp.zh);
    expect(corp.fix?.zh).not.toContain('服务商');
    expect(provider.fix?.zh).toContain('服务商管理后台 → 服务商信息 → 基本信息 → IP白名单');
    expect(provider.fix?.zh).toContain('10.1.2.3');
    expect(provider.fix?.zh).not.toContain('企业可信IP');
    const wire = new WecomError({ api: 'user/get', errcode: 60020, errmsg, thirdParty: true });
    expect(wire.toPublic().userMessage.en).toContain("service provider's IP allow-list");
  });

  it('gives 48009 and 42012 their own fixes', () => {
    const d48009 = describeErrcode(48009);
    expect(d48009.what.zh).toContain('通讯录同步');
    expect(d48009.fix?.zh).toContain(CONSOLE.appSecret.zh);
    expect(d48009.fix?.en).toContain('not the contact-sync secret');
    const d42012 = describeErrcode(42012);
    expect(d42012.fix?.zh).toContain('ticket/get?type=agent_config');
    expect(d42012.fix?.en).toContain("this app's own ticket");
    expect(d42012.fix).not.toEqual(d48009.fix);
  });

  it('record-level errcodes are "not found / no longer available" with no admin fix', () => {
    for (const code of [84061, 40050, 90501]) {
      const d = describeErrcode(code);
      expect(d.known).toBe(true);
      expect([404, 410]).toContain(d.status);
      expect(d.fix).toBeUndefined();
      expect(d.message.zh).not.toMatch(/管理后台|WECOM_/);
    }
    // 40096 may also mean the followers left the visible range: it says where that is set.
    expect(describeErrcode(40096).status).toBe(404);
    expect(describeErrcode(40096).fix?.zh).toContain(CONSOLE.visibleRange.zh);
  });

  it('an errcode without a rule is shown with its number and the devtool link, no guessed fix', () => {
    const d = describeErrcode(60099);
    expect(d).toMatchObject({ known: false, kind: 'unknown', status: 502 });
    expect(d.fix).toBeUndefined();
    expect(d.message.zh).toContain('60099');
    expect(d.message.zh).toContain('https://open.work.weixin.qq.com/devtool/query?e=60099');
    expect(d.message.zh).not.toMatch(/管理后台|WECOM_|可信/);
    const pub = err(60099).toPublic();
    expect(pub.code).toBe('wecom_unknown_60099');
    expect(err(48002).toPublic().code).toBe('wecom_48002');
  });

  it('visible-range errcodes say who widens the range and where', () => {
    for (const code of [60011, 50002, 60111]) {
      expect(describeErrcode(code).fix?.zh).toContain('企业管理员');
      expect(describeErrcode(code).fix?.zh).toContain(CONSOLE.visibleRange.zh);
    }
  });
});

describe('redact', () => {
  it('masks sensitive query parameters', () => {
    const text =
      'GET /cgi-bin/gettoken?corpid=ww1&corpsecret=S3cr3t-value and /cgi-bin/user/get?access_token=TOKEN123&userid=zhangwei ' +
      'callback?code=CODE42&state=abc suite_ticket=T1 permanent_code=P1';
    const out = redact(text);
    for (const secret of ['S3cr3t-value', 'TOKEN123', 'CODE42', 'T1 ', 'P1'])
      expect(out).not.toContain(secret);
    expect(out).toContain('corpid=ww1');
    expect(out).toContain('userid=zhangwei');
    expect(out).toContain('state=abc');
  });

  it('masks sensitive JSON fields but not errcode', () => {
    const out = redact(
      '{"errcode":0,"access_token":"tok-abc","ticket":"tic\\"ket","user_ticket":"ut","expires_in":7200,"code":"c1"}',
    );
    expect(out).toBe(
      '{"errcode":0,"access_token":"***","ticket":"***","user_ticket":"***","expires_in":7200,"code":"***"}',
    );
    expect(redact("errcode: 'x', code: 'y'")).toBe("errcode: 'x', code: '***'");
  });

  it('masks known values anywhere', () => {
    expect(redact('token abcdefgh1234 leaked', ['abcdefgh1234'])).toBe('token *** leaked');
  });

  it('redacts URLs and objects', () => {
    expect(redactUrl('https://q.example/cgi-bin/gettoken?corpid=ww1&corpsecret=xyz')).toBe(
      'https://q.example/cgi-bin/gettoken?corpid=ww1&corpsecret=***',
    );
    expect(redactValue({ a: { access_token: 't', list: [{ secret: 's', ok: 1 }] } })).toEqual({
      a: { access_token: '***', list: [{ secret: '***', ok: 1 }] },
    });
  });
});
