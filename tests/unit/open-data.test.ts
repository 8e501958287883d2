import { describe, expect, it } from 'vitest';
import { openDataScriptUrl } from '@/lib/config';

const suite = { suiteId: 'wwsuite', suiteSecret: 's', token: 't', encodingAesKey: 'k' };

describe('the open-data SDK script (jwxwork-1.0.0.js)', () => {
  it('live third-party mode loads it from open.work.weixin.qq.com, or WECOM_OPEN_BASE', () => {
    const live = { mode: 'live' as const, appBaseUrl: 'https://sidebar.example.com', suite };
    expect(openDataScriptUrl(live, {})).toBe('https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js');
    expect(openDataScriptUrl(live, { WECOM_OPEN_BASE: 'http://127.0.0.1:4100/' })).toBe(
      'http://127.0.0.1:4100/wwopen/js/jwxwork-1.0.0.js',
    );
  });

  it('the third-party demo loads the emulator’s; a self-built app none (it gets names from the API)', () => {
    expect(openDataScriptUrl({ mode: 'demo', appBaseUrl: 'http://localhost:3000', suite }, {})).toBe(
      'http://localhost:3000/wwopen/js/jwxwork-1.0.0.js',
    );
    expect(
      openDataScriptUrl({ mode: 'live', appBaseUrl: 'https://a.example', suite: undefined }, {}),
    ).toBeNull();
  });
});
