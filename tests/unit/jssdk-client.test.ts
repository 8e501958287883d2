import { describe, expect, it } from 'vitest';
import {
  createSignatureSource,
  kindOfErrMsg,
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
      initial: { url: 'u', error: { status: 504, message: '企业微信响应超时' } },
      fetchPair: async (url, refresh) => {
        calls.push([url, refresh]);
        return pair('endpoint');
      },
    });
    await expect(source.get('u')).rejects.toMatchObject({ name: 'SignatureFetchError', status: 504 });
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
