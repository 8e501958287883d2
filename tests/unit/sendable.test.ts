import { describe, expect, it } from 'vitest';
import { unsendableKinds } from '@/lib/jssdk-client';

const mac = (v: string) =>
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) wxwork/${v} (MicroMessenger/6.2) WeChat/2.0.4`;
const windows = (v: string) =>
  `Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36 Language/zh wxwork/${v} (MicroMessenger/6.2) WindowsWechat`;
const iphone = (v: string) =>
  `Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/${v} MicroMessenger/7.0.1 Language/zh`;

describe('unsendableKinds (wecom-crm.md §6.2)', () => {
  it('hides mini-program cards on Mac clients before 4.1.26 only', () => {
    expect([...unsendableKinds({ userAgent: mac('4.1.22'), entry: 'single_chat_tools' })]).toEqual([
      ['miniprogram', 'client-version'],
    ]);
    expect(unsendableKinds({ userAgent: mac('4.1.26'), entry: 'single_chat_tools' }).size).toBe(0);
    expect(unsendableKinds({ userAgent: windows('4.1.22'), entry: 'single_chat_tools' }).size).toBe(0);
    expect(unsendableKinds({ userAgent: iphone('4.0.0'), entry: 'group_chat_tools' }).size).toBe(0);
    expect(unsendableKinds({ userAgent: windows('3.0.36') }).get('miniprogram')).toBe('client-version');
  });

  it('hides everything when checkJsApi says sendChatMessage is missing, or from the attachment bar on Mac', () => {
    const none = unsendableKinds({ userAgent: windows('4.1.22'), checkResult: { sendChatMessage: false } });
    expect(none.size).toBe(6);
    expect(none.get('text')).toBe('no-api');
    expect(unsendableKinds({ userAgent: mac('4.1.30'), entry: 'chat_attachment' }).get('text')).toBe(
      'mac-attachment',
    );
    expect(
      unsendableKinds({ userAgent: windows('4.1.22'), checkResult: { sendChatMessage: true } }).size,
    ).toBe(0);
  });

  it('hides nothing outside WeCom (nothing is known)', () => {
    expect(unsendableKinds({ userAgent: 'Mozilla/5.0 (Macintosh) Chrome/120' }).size).toBe(0);
  });
});
