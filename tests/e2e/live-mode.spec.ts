import { expect, test } from '@playwright/test';
import { LIVE_PORT } from '../../playwright.config';
import { WECOM_UA } from './helpers';

// The app configured with credentials (live mode), its upstream the standalone emulator on another port.
const LIVE = `http://localhost:${LIVE_PORT}`;

const EMULATOR_PATHS = [
  '/cgi-bin/gettoken?corpid=ww5f3c2a1b9e8d7c60&corpsecret=x',
  '/cgi-bin/externalcontact/get?access_token=x&external_userid=wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn',
  '/connect/oauth2/authorize?appid=ww5f3c2a1b9e8d7c60&redirect_uri=x&response_type=code&scope=snsapi_base',
  '/wwlogin/sso/login?login_type=CorpApp&appid=ww5f3c2a1b9e8d7c60&agentid=1000002&redirect_uri=x',
  '/wecom-emulator/bridge.js',
  '/wecom-emulator/health',
  '/wecom-emulator/state',
  '/wecom-emulator/client',
  '/simulator',
  '/simulator/bridge-check',
];

test.describe('live mode serves nothing of the emulator', () => {
  for (const path of EMULATOR_PATHS) {
    test(`GET ${path.split('?')[0]} → 404`, async ({ request }) => {
      const res = await request.get(`${LIVE}${path}`, { maxRedirects: 0 });
      expect(res.status()).toBe(404);
    });
  }

  test('POST /wecom-emulator/reset → 404', async ({ request }) => {
    const res = await request.post(`${LIVE}/wecom-emulator/reset`, { maxRedirects: 0 });
    expect(res.status()).toBe(404);
  });

  test('the served HTML carries no bridge and no demo banner', async ({ request }) => {
    const res = await request.get(`${LIVE}/`, { headers: { 'user-agent': WECOM_UA } });
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('bridge.js');
    expect(html).not.toContain('WeixinJSBridge');
    expect(html).not.toContain('wecom-emulator');
    expect(html).not.toContain('/simulator');
    expect(html).not.toContain('演示模式');
  });

  test.describe('in a browser with a WeCom user agent', () => {
    test.use({ userAgent: WECOM_UA });

    test('no WeixinJSBridge is installed', async ({ page }) => {
      await page.goto(`${LIVE}/`);
      expect(await page.evaluate(() => 'WeixinJSBridge' in window)).toBe(false);
    });
  });
});
