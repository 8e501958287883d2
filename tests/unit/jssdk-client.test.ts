import { describe, expect, it } from 'vitest';
import {
  classifyResult,
  coverUrl,
  createSignatureSource,
  kindOfErrMsg,
  permissionFixMessage,
  refusalInSuccess,
  SdkError,
  sdkErrorMessage,
  toSdkError,
  versionBelow,
  wecomVersion,
  withTimeout,
  type SignaturePair,
} from '@/lib/jssdk-client';

const pair = (tag: string): SignaturePair => ({
  corpId: 'ww5f3c2a1b9e8d7c60',
  agentId: '1000002',
  config: { timestamp: 1, nonceStr: `c-${tag}`, signature: 'a'.repeat(40) },
  agentConfig: { timestamp: 1, nonceStr: `a-${tag}`, signature: 'b'.repeat(40) },
});

describe('signature source', () => {
  it('serves the server-rendered pair for its URL without a request, and one request per other URL', async () => {
    const calls: Array<[string, boolean]> = [];
    const source = createSignatureSource({
      initial: { url: 'https://app.example.com/sidebar', pair: pair('html') },
      fetchPair: async (url, refresh) => {
        calls.push([url, refresh]);
        return pair(`${url}-${refresh}`);
      },
    });
    expect((await source.get('https://app.example.com/sidebar')).config.nonceStr).toBe('c-html');
    expect((await source.get('https://app.example.com/sidebar')).agentConfig.nonceStr).toBe('a-html');
    expect(calls).toEqual([]);
    await source.get('https://app.example.com/sidebar?x=1');
    await source.get('https://app.example.com/sidebar?x=1');
    expect(calls).toEqual([['https://app.example.com/sidebar?x=1', false]]);
  });

  it("answers the server's signing failure once for its URL, then asks the endpoint", async () => {
    const calls: Array<[string, boolean]> = [];
    const source = createSignatureSource({
      initial: {
        url: 'u',
        error: {
          status: 504,
          code: 'wecom_timeout',
          message: { zh: '企业微信响应超时', en: 'WeCom timed out' },
        },
      },
      fetchPair: async (url, refresh) => {
        calls.push([url, refresh]);
        return pair('endpoint');
      },
    });
    await expect(source.get('u')).rejects.toMatchObject({
      name: 'ApiError',
      status: 504,
      code: 'wecom_timeout',
    });
    expect(calls).toEqual([]);
    expect((await source.get('u')).config.nonceStr).toBe('c-endpoint');
    expect(calls).toEqual([['u', false]]);
  });

  it('after refreshNext asks once with refresh=true and then keeps the fresh pair', async () => {
    const calls: Array<[string, boolean]> = [];
    const source = createSignatureSource({
      initial: { url: 'u', pair: pair('html') },
      fetchPair: async (url, refresh) => {
        calls.push([url, refresh]);
        return pair('fresh');
      },
    });
    source.refreshNext();
    expect((await source.get('u')).config.nonceStr).toBe('c-fresh');
    expect((await source.get('u')).config.nonceStr).toBe('c-fresh');
    expect(calls).toEqual([['u', true]]);
    expect(source.refreshes).toBe(1);
  });

  it('does not cache a failed request', async () => {
    let n = 0;
    const source = createSignatureSource({
      fetchPair: async () => {
        n += 1;
        if (n === 1) throw new Error('down');
        return pair('ok');
      },
    });
    await expect(source.get('u')).rejects.toThrow('down');
    expect((await source.get('u')).config.nonceStr).toBe('c-ok');
  });
});

// Every client reply of wecom-crm.md §6.8 / wecom-platform.md §4, §7 verbatim, as @wecom/jssdk hands it to the app:
// the raw fields kept, errMsg added by formatErrMsg where the client sent none (third column of §6.8), errCode from
// err_code or -1.
const MORE = 'https://open.work.weixin.qq.com/devtool/query?e=';
const VERBATIM: Array<[string, Record<string, unknown>, string, number?]> = [
  [
    'fail_ underscore',
    { err_msg: 'agentConfig:fail_invalid signature', errMsg: 'agentConfig:invalid signature' },
    'invalid-signature',
  ],
  [
    'fail with a space',
    { err_msg: 'agentConfig:fail invalid signature', errMsg: 'agentConfig:fail invalid signature' },
    'invalid-signature',
  ],
  [
    'config (old clients)',
    { err_msg: 'config:invalid signature', errMsg: 'preVerifyJSAPI:invalid signature' },
    'invalid-signature',
  ],
  [
    'Mac wx.config … e=40093',
    {
      errMsg: `wx.config:invalid signature more info at ${MORE}40093`,
      err_msg: `wx.config:invalid signature more info at ${MORE}40093`,
    },
    'invalid-signature',
    40093,
  ],
  [
    '40093 only in the hint',
    {
      err_Info: 'fail',
      errMsg: 'agentConfig:fail',
      hint: `Hint: '0522135707:CWGDa4KA1SFG79GeQHd8EQ:40093'. More info at ${MORE}40093`,
    },
    'invalid-signature',
    40093,
  ],
  [
    '42012 with err_code',
    {
      err_code: 42012,
      err_msg: 'agentConfig:fail_invalid jsapi_ticket',
      errMsg: 'agentConfig:invalid jsapiticket',
      errCode: 42012,
    },
    'ticket-kind',
    42012,
  ],
  [
    '42012 only in the hint',
    {
      err_Info: 'fail',
      errMsg: 'agentConfig:fail',
      hint: `Hint: '0522135707:CWGDa4KA1SFG79GeQHd8EQ:42012'. More info at ${MORE}42012`,
    },
    'ticket-kind',
    42012,
  ],
  [
    '40013 invalid corpid',
    { err_msg: 'agentConfig:fail_invalid corpid', errMsg: 'agentConfig:invalid corpid' },
    'invalid-corpid',
  ],
  [
    '40013 Mac',
    {
      errMsg: `wx.config:invalid corpid more info at ${MORE}40013`,
      err_msg: `wx.config:invalid corpid more info at ${MORE}40013`,
    },
    'invalid-corpid',
    40013,
  ],
  [
    'invalid url domain',
    { err_msg: 'agentConfig:fail_invalid url domain', errMsg: 'agentConfig:invalid url domain' },
    'invalid-domain',
  ],
  [
    'unprefixed reliable domain (e=80001)',
    {
      err_msg: `not match any reliable domain, more info at ${MORE}80001`,
      errMsg: 'agentConfig://open.work.weixin.qq.com/devtool/query?e=80001',
    },
    'invalid-domain',
    80001,
  ],
  [
    '-30001 in a hint (cause unknown)',
    {
      err_Info: 'fail',
      errMsg: 'agentConfig:fail',
      hint: `Hint: '0522135707:CWGDa4KA1SFG79GeQHd8EQ:-30001'. More info at ${MORE}-30001`,
    },
    'failed',
    -30001,
  ],
  [
    'agentConfig:fail (app vs 工作台 mix-up)',
    { errMsg: 'agentConfig:fail', err_msg: 'agentConfig:fail' },
    'failed',
  ],
  [
    'fail no permission (documented)',
    {
      err_msg: 'getCurExternalContact:fail no permission',
      errMsg: 'getCurExternalContact:fail no permission',
    },
    'no-permission',
  ],
  [
    'fail_no permission',
    { err_msg: 'getCurExternalContact:fail_no permission', errMsg: 'getCurExternalContact:no permission' },
    'no-permission',
  ],
  [
    'fail_nopermission',
    { err_msg: 'sendChatMessage:fail_nopermission', errMsg: 'sendChatMessage:nopermission' },
    'no-permission',
  ],
  [
    'as typed with a space',
    { err_msg: 'sendChatMessage: fail_nopermission', errMsg: 'sendChatMessage: failnopermission' },
    'no-permission',
  ],
  [
    'no permission, unprefixed',
    { err_msg: 'no permission', errMsg: 'getCurExternalContact:no permission' },
    'no-permission',
  ],
  [
    'fail: no permission',
    {
      err_msg: 'getCurExternalContact:fail: no permission',
      errMsg: 'getCurExternalContact:fail: no permission',
    },
    'no-permission',
  ],
  [
    'permission denied',
    { err_msg: 'getCurExternalContact:permission denied', errMsg: 'getCurExternalContact:permission denied' },
    'no-permission',
  ],
  [
    'iOS err_code 2, no permission to execute',
    {
      err_code: 2,
      err_msg: 'getCurExternalChat:fail_no permission to execute',
      errMsg: 'getCurExternalChat:permission denied',
      errCode: 2,
    },
    'no-permission',
  ],
  [
    'err_code 2, nopermission to execute',
    {
      err_code: 2,
      err_msg: 'getCurExternalChat:fail_nopermission to execute',
      errMsg: 'getCurExternalChat:nopermission to execute',
      errCode: 2,
    },
    'no-permission',
  ],
  [
    'offline verifying',
    {
      err_msg: 'getContext:the permission value is offline verifying',
      errMsg: 'getContext:the permission value is offline verifying',
    },
    'no-permission',
  ],
  [
    'without context (2020)',
    {
      err_msg: 'getCurExternalContact:fail_without context of external contact',
      errMsg: 'getCurExternalContact:without context of external contact',
    },
    'without-context',
  ],
  [
    'empty news imgUrl on PC',
    { err_msg: 'sendChatMessage:fail, invalid param', errMsg: 'sendChatMessage:fail, invalid param' },
    'invalid-param',
  ],
  [
    'non-http imgUrl',
    { err_msg: 'sendChatMessage:fail invalid imgUrl', errMsg: 'sendChatMessage:fail invalid imgurl' },
    'invalid-param',
  ],
  [
    'function not exist',
    { err_msg: 'getContext:function not exist', errMsg: 'getContext:function not exist' },
    'unsupported',
  ],
  [
    'cross corp',
    {
      err_msg: 'sendChatMessage:fail_not allow to cross corp',
      errMsg: 'sendChatMessage:not allow to cross corp',
    },
    'failed',
  ],
];

describe('every client failure format of the reference', () => {
  for (const [label, result, kind, errcode] of VERBATIM) {
    it(`${label} → ${kind}`, () => {
      const c = classifyResult(result);
      expect(c.kind).toBe(kind);
      if (errcode !== undefined) expect(c.errcode).toBe(errcode);
      const err = toSdkError(result, 'agentConfig');
      expect(err.kind).toBe(kind);
      if (errcode !== undefined) {
        expect(err.devtoolUrl).toBe(`${MORE}${errcode}`);
      }
    });
  }

  it('an agentConfig that resolves with a refusal beside it is a permission failure', () => {
    const misleading = { errmsg: 'fail_permission denied', errMsg: 'agentConfig:ok', errCode: 0 };
    expect(refusalInSuccess(misleading, 'agentConfig')).toMatchObject({
      kind: 'no-permission',
      step: 'agentConfig',
    });
    const checkJsApi = { errmsg: 'fail_permission denied', errMsg: 'checkJsApi:ok' };
    expect(refusalInSuccess(checkJsApi, 'agentConfig')?.kind).toBe('no-permission');
    expect(
      refusalInSuccess(
        { err_msg: 'agentConfig:ok', errMsg: 'agentConfig:ok', checkResult: {} },
        'agentConfig',
      ),
    ).toBeNull();
    expect(refusalInSuccess({ errMsg: 'agentConfig:ok' }, 'agentConfig')).toBeNull();
  });

  it('each permission cause names the one setting to fix', () => {
    expect(permissionFixMessage('app-not-in-contact').adminChecks?.[0]?.zh).toContain('可调用接口的应用');
    expect(permissionFixMessage('member-without-contact').adminChecks?.[0]?.zh).toContain('权限配置');
    expect(permissionFixMessage('visible-range').adminChecks?.[0]?.zh).toContain('可见范围');
    expect(permissionFixMessage('visible-range').title.en).toContain('visible range');
  });

  it('a link card always gets an absolute http(s) cover', () => {
    expect(coverUrl(undefined, 'https://sidebar.example.com')).toBe(
      'https://sidebar.example.com/share-cover.png',
    );
    expect(coverUrl('', 'http://localhost:3000')).toBe('http://localhost:3000/share-cover.png');
    expect(coverUrl('/img/x.png', 'https://a.example')).toBe('https://a.example/share-cover.png');
    expect(coverUrl('https://cdn.example/c.png', 'https://a.example')).toBe('https://cdn.example/c.png');
  });
});

describe('client errors', () => {
  it('classifies the client’s errMsg', () => {
    expect(kindOfErrMsg('agentConfig:invalid signature')).toBe('invalid-signature');
    expect(kindOfErrMsg('agentConfig:fail invalid url domain')).toBe('invalid-domain');
    expect(kindOfErrMsg('getCurExternalContact:fail no permission')).toBe('no-permission');
    expect(kindOfErrMsg('getContext:nopermission')).toBe('no-permission');
    expect(kindOfErrMsg('getCurExternalChat:fail without context of external contact')).toBe(
      'without-context',
    );
    expect(kindOfErrMsg('getContext:function not exist')).toBe('unsupported');
    expect(kindOfErrMsg('sendChatMessage:cancel')).toBe('cancel');
    expect(kindOfErrMsg('sendChatMessage:fail')).toBe('failed');
  });

  it('wraps rejections and gives each kind a bilingual message with admin checks where useful', () => {
    const err = toSdkError({ errMsg: 'agentConfig:invalid signature', errCode: -1 }, 'agentConfig');
    expect(err).toMatchObject({ kind: 'invalid-signature', step: 'agentConfig' });
    const m = sdkErrorMessage(err);
    expect(m.title.zh).toContain('签名');
    expect(m.title.en).toContain('signature');
    expect(m.adminChecks?.some((c) => c.zh.includes('可信域名'))).toBe(true);
    const perm = sdkErrorMessage(new SdkError('no-permission', 'getCurExternalContact', 'x'));
    expect(perm.adminChecks?.some((c) => c.zh.includes('客户联系'))).toBe(true);
    expect(toSdkError(new Error('SDK Error: Aborted'), 'getContext').kind).toBe('failed');
  });

  it('never waits forever', async () => {
    const never = new Promise<never>(() => {});
    const err = await withTimeout(never, 10, 'getContext').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdkError);
    expect((err as SdkError).kind).toBe('timeout');
    expect(await withTimeout(Promise.resolve(7), 10, 'getContext')).toBe(7);
  });

  it('reads the WeCom version from the user agent', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat';
    expect(wecomVersion(ua)).toBe('4.1.10');
    expect(wecomVersion('Mozilla/5.0 Chrome/120')).toBeUndefined();
    expect(versionBelow('3.0.23', '3.0.24')).toBe(true);
    expect(versionBelow('3.0.24', '3.0.24')).toBe(false);
    expect(versionBelow('4.1', '3.0.24')).toBe(false);
  });
});
