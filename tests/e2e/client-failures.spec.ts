import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { DEMO_PORT } from '../../playwright.config';
import {
  WELL_KNOWN,
  resetEmulator,
  setApp,
  setClient,
  setEmployee,
  setSwitches,
  setVisibleRange,
} from './helpers';

// Every way a real WeCom client reports a failure (wecom-crm.md §6.8), answered raw by the emulated client and run
// through the unmodified @wecom/jssdk in the real sidebar: the page must classify each one and show its fix.

/** Real user agents of each client (wecom-platform.md §7.1). */
const UA = {
  windows:
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat MailPlugin_Electron WeMail embeddisk',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) wxwork/3.1.8 (MicroMessenger/6.2) WeChat/2.0.4',
  ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh',
  android:
    'Mozilla/5.0 (Linux; Android 13; M2012K11AC Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light',
} as const;
type Flavour = keyof typeof UA;

const LIN = WELL_KNOWN.linXiaomei;
const BASE = `http://localhost:${DEMO_PORT}`;

/** The sidebar in a client of that flavour; `signatures` lists the page's requests for fresh signatures. */
async function sidebar(browser: Browser, flavour: Flavour) {
  const context = await browser.newContext({ userAgent: UA[flavour], baseURL: BASE, locale: 'zh-CN' });
  const page = await context.newPage();
  const signatures: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/jssdk/signature') signatures.push(url.search);
  });
  return { context, page, signatures };
}

async function open(page: Page) {
  await page.goto('/sidebar');
  await expect(page).toHaveURL((url) => url.pathname === '/sidebar');
}

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
  await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
});

async function failing(request: APIRequestContext, failure: string, formats: Record<string, string> | null) {
  await setSwitches(request, { agentConfigFailure: failure as 'signature' });
  await setClient(request, { formats });
}

test.describe('a signature failure in any wording gets one refresh, then its own state', () => {
  for (const format of ['legacy', 'spaced', 'code', 'hint', 'wx-config', 'unprefixed']) {
    test(`40093 ${format}`, async ({ browser, request }) => {
      await failing(request, 'signature', { signature: format });
      const { context, page, signatures } = await sidebar(browser, 'windows');
      await open(page);
      const state = page.locator('[data-state="sdk-invalid-signature"]');
      await expect(state).toContainText('应用身份校验失败');
      await expect(state).toContainText('已重新获取签名并重试一次');
      expect(signatures).toEqual([expect.stringMatching(/&refresh=1$/)]);
      await context.close();
    });
  }

  for (const format of ['code', 'hint']) {
    test(`42012 (ticket of the wrong kind) ${format}`, async ({ browser, request }) => {
      await failing(request, 'ticket', { ticket: format });
      const { context, page, signatures } = await sidebar(browser, 'windows');
      await open(page);
      const state = page.locator('[data-state="sdk-ticket-kind"]');
      await expect(state).toContainText('jsapi_ticket 类型不对');
      await expect(state).toContainText('ticket/get?type=agent_config');
      await expect(page.getByTestId('sdk-errcode')).toContainText('42012');
      expect(signatures).toEqual([expect.stringMatching(/&refresh=1$/)]);
      await context.close();
    });
  }
});

test.describe('other agentConfig failures are shown at once with their fix', () => {
  for (const format of ['legacy', 'unprefixed', 'hint', 'wx-config']) {
    test(`untrusted domain (80001) ${format}`, async ({ browser, request }) => {
      await failing(request, 'domain', { domain: format });
      const { context, page, signatures } = await sidebar(browser, 'windows');
      await open(page);
      const state = page.locator('[data-state="sdk-invalid-domain"]');
      await expect(state).toContainText('页面域名不是应用的可信域名');
      await expect(state).toContainText('可信域名');
      expect(signatures).toEqual([]);
      await context.close();
    });
  }

  test('40013: the corpid is not the signed-in corp', async ({ browser, request }) => {
    await failing(request, 'corpid', { corpid: 'legacy' });
    const { context, page, signatures } = await sidebar(browser, 'windows');
    await open(page);
    await expect(page.locator('[data-state="sdk-invalid-corpid"]')).toContainText(
      '企业 ID 与当前登录企业不一致',
    );
    expect(signatures).toEqual([]);
    await context.close();
  });

  test('-30001 (only in a hint) shows the code and WeCom’s lookup link', async ({ browser, request }) => {
    await failing(request, 'client-error', null);
    const { context, page } = await sidebar(browser, 'windows');
    await open(page);
    const state = page.locator('[data-state="sdk-failed"]');
    await expect(state).toContainText('应用注册失败');
    await expect(page.getByTestId('sdk-errcode')).toContainText('-30001');
    await expect(page.getByTestId('sdk-errcode').getByRole('link')).toHaveAttribute(
      'href',
      'https://open.work.weixin.qq.com/devtool/query?e=-30001',
    );
    await context.close();
  });
});

test.describe('each client flavour words failures its own way; the page understands all', () => {
  for (const flavour of Object.keys(UA) as Flavour[]) {
    test(`${flavour}: bad signature, then untrusted domain`, async ({ browser, request }) => {
      await failing(request, 'signature', null);
      const { context, page, signatures } = await sidebar(browser, flavour);
      await open(page);
      await expect(page.locator('[data-state="sdk-invalid-signature"]')).toBeVisible();
      expect(signatures).toEqual([expect.stringMatching(/&refresh=1$/)]);
      await setSwitches(request, { agentConfigFailure: 'domain' });
      await page.reload();
      await expect(page.locator('[data-state="sdk-invalid-domain"]')).toBeVisible();
      await context.close();
    });
  }
});

test.describe('permission: the sidebar says which of app, member or visible range to fix', () => {
  for (const permission of [
    'fail-space',
    'fail-underscore',
    'nopermission',
    'unprefixed',
    'denied',
    'to-execute',
  ]) {
    test(`app not in 客户联系 → 可调用应用, worded ${permission}`, async ({ browser, request }) => {
      await setApp(request, { agentId: '1000002', externalContact: false });
      await setClient(request, { formats: { permission } });
      const { context, page } = await sidebar(browser, 'windows');
      await open(page);
      await expect(page.locator('[data-permission-cause="app-not-in-contact"]')).toBeVisible();
      const state = page.locator('[data-state="sdk-no-permission"]');
      await expect(state).toContainText('应用未加入「客户联系」可调用应用');
      await expect(state).toContainText('可调用接口的应用');
      await expect(state).not.toContainText('权限配置');
      await context.close();
    });
  }

  test('a member without 客户联系 (iOS wording, err_code 2)', async ({ browser, request }) => {
    await setEmployee(request, { userId: 'zhangwei', externalContact: false });
    const { context, page } = await sidebar(browser, 'ios');
    await open(page);
    await expect(page.locator('[data-permission-cause="member-without-contact"]')).toBeVisible();
    const state = page.locator('[data-state="sdk-no-permission"]');
    await expect(state).toContainText('你还没有开通「客户联系」');
    await expect(state).toContainText('权限配置');
    await expect(state).toContainText('permission denied');
    await context.close();
  });

  test('a member outside the visible range, also when agentConfig says ok', async ({ browser, request }) => {
    const { context, page } = await sidebar(browser, 'windows');
    await open(page); // signed in while still inside the range
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
    await setVisibleRange(request, { party: [3], user: ['lina'] });
    await page.reload();
    await expect(page.locator('[data-permission-cause="visible-range"]')).toBeVisible();
    await expect(page.locator('[data-state="sdk-no-permission"]')).toContainText('你不在本应用的可见范围内');
    await expect(page.locator('[data-state="sdk-no-permission"]')).toContainText('可见范围');
    // {"errmsg":"fail_permission denied","errMsg":"agentConfig:ok"}: the SDK resolves, the page does not.
    await setClient(request, { formats: { permission: 'misleading-ok' } });
    await page.reload();
    const state = page.locator('[data-state="sdk-no-permission"]');
    await expect(state).toContainText('fail_permission denied');
    await expect(page.locator('[data-permission-cause="visible-range"]')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('visible-range.png') });
    await context.close();
  });
});

test('the simulator’s client settings choose the client and the failure', async ({ page }) => {
  await page.goto('/simulator');
  await page.getByTestId('client-settings').locator('summary').click();
  await page.getByTestId('client-flavour').selectOption('mac');
  await page.getByTestId('client-failure').selectOption('signature');
  const frame = page.frameLocator('[data-testid="sidebar-frame"]');
  const state = frame.locator('[data-state="sdk-invalid-signature"]');
  // The Mac client's own wording, kept verbatim by the SDK and understood by the page.
  await expect(state).toContainText(
    'wx.config:invalid signature more info at https://open.work.weixin.qq.com/devtool/query?e=40093',
  );
  const ua = await page.frame({ name: 'wecom-sidebar' })!.evaluate(() => navigator.userAgent);
  expect(ua).toMatch(/Macintosh.*wxwork\//);
  await page.getByTestId('client-failure').selectOption('');
  // A controlled checkbox: it flips once the emulator confirmed the change.
  await page.getByTestId('member-external-contact').click();
  await expect(page.getByTestId('member-external-contact')).not.toBeChecked();
  await expect(frame.locator('[data-permission-cause="member-without-contact"]')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('simulator-client-settings.png') });
});
