import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import {
  WELL_KNOWN,
  addFault,
  bridgeMessages,
  clearFaults,
  resetEmulator,
  rotateTickets,
  setApp,
  setClient,
  setSwitches,
  type ClientPatch,
} from './helpers';

/** The Windows WeCom desktop client; the demo bridge script installs the emulated client bridge for it. */
const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat';

const LIN = WELL_KNOWN.linXiaomei;
const ONLY_LINA = WELL_KNOWN.onlyLina;
const VIP = WELL_KNOWN.vipChat;
const SIGNATURE = '/api/jssdk/signature';

/** Requests our page's JavaScript made to the app's own API (not the emulated client's internals). */
function trackApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (['fetch', 'xhr'].includes(req.resourceType()) && url.pathname.startsWith('/api/')) {
      seen.push(`${url.pathname}${url.search}`);
    }
  });
  return seen;
}

async function openSidebar(page: Page, request: APIRequestContext, client: ClientPatch) {
  await setClient(request, { userId: 'zhangwei', ...client });
  await page.goto('/sidebar');
  await expect(page).toHaveURL((url) => url.pathname === '/sidebar');
}

async function keep(
  page: Page,
  testInfo: TestInfo,
  name: string,
  target?: { screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown> },
) {
  const path = testInfo.outputPath(name);
  await (target ?? page).screenshot({ path, ...(target ? {} : { fullPage: true }) });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test.describe('through the simulator', () => {
  test('first open signs in silently, shows the profile, and a quick reply lands in the chat pane', async ({
    page,
    request,
  }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    const navigations: string[] = [];
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.frame() !== page.mainFrame())
        navigations.push(new URL(req.url()).pathname);
    });

    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');
    // The toolbar frame went through the in-client OAuth (silent, snsapi_base) and came back to /sidebar.
    expect(navigations).toEqual([
      '/sidebar',
      '/api/auth/login',
      '/connect/oauth2/authorize',
      '/api/auth/callback',
      '/sidebar',
    ]);

    await expect(frame.getByTestId('customer-type')).toHaveText('@微信');
    await expect(frame.getByTestId('remark')).toHaveText('林晓梅-采购主管');
    await expect(frame.getByTestId('description')).toContainText('华南区经销商');
    await expect(frame.getByTestId('mobiles')).toContainText('13812345678');
    const groups = frame.getByTestId('tag-group');
    await expect(groups.filter({ hasText: '客户等级' })).toContainText('重要客户');
    await expect(groups.filter({ hasText: '意向产品' })).toContainText('企业版');
    await expect(frame.getByTestId('add-way')).toHaveText('扫描二维码');
    await expect(frame.getByTestId('other-followers')).toHaveText('另有 2 位同事也添加了该客户');
    // Other employees' notes about this customer never reach the page.
    await expect(frame.locator('body')).not.toContainText('林姐');
    await keep(page, testInfo, 'profile.png', page.getByTestId('sidebar-frame'));

    await frame.getByRole('tab', { name: '快捷回复' }).click();
    const reply = frame.getByTestId('quick-reply').filter({ hasText: '问候语' });
    await expect(reply).toBeVisible();
    // Scoped replies: single-chat replies show here, group-only ones do not.
    await expect(frame.getByTestId('quick-reply').filter({ hasText: '服务时间' })).toBeVisible();
    await expect(frame.getByTestId('quick-reply').filter({ hasText: 'VIP 群专属顾问' })).toHaveCount(0);
    await frame.getByRole('searchbox').fill('问候');
    await expect(frame.getByTestId('quick-reply')).toHaveCount(1);
    await reply.click();
    await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
    await expect(page.getByTestId('chat-messages')).toContainText('您好，我是星河科技的客户经理');
    const sent = await bridgeMessages(request);
    expect(sent).toEqual([
      expect.objectContaining({ target: expect.objectContaining({ externalUserId: LIN }), msgtype: 'text' }),
    ]);
    await keep(page, testInfo, 'simulator-quick-reply.png');
  });
});

test.describe('inside the WeCom client', () => {
  test.use({ userAgent: WECOM_UA, viewport: { width: 360, height: 760 } });

  test('a rotated ticket recovers through one signature refresh', async ({ page, request }) => {
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');

    // The server still caches the old tickets: its rendered signatures fail, one refresh=1 request fixes it.
    await rotateTickets(request);
    const api = trackApiRequests(page);
    await page.reload();
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
    expect(api.filter((u) => u.startsWith(SIGNATURE))).toEqual([
      expect.stringMatching(/^\/api\/jssdk\/signature\?url=.*&refresh=1$/),
    ]);
  });

  test('after the HTML, the profile is the only request', async ({ page, request }) => {
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
    const api = trackApiRequests(page);
    await page.reload();
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
    await expect(page.getByTestId('tags')).toContainText('方案报价');
    expect(api).toEqual([`/api/contacts/${LIN}`]);
  });

  test('the early name gives way to the card, React takes the page over cleanly, and other tabs load when opened', async ({
    page,
    request,
  }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
    // One name on screen: the boot's early one is gone once the card shows.
    await expect(page.locator('#wecom-boot-name')).toHaveCount(0);
    await expect(page.getByText('林晓梅', { exact: true })).toHaveCount(1);
    // The panels behind the other tabs arrive when their tab opens.
    await page.getByRole('tab', { name: '快捷回复' }).click();
    await expect(page.locator('#panel-replies')).toBeVisible();
    await expect(page.locator('#panel-replies [data-testid="skeleton"]')).toHaveCount(0);
    expect(errors.filter((e) => /hydrat|did not match|Minified React error/i.test(e))).toEqual([]);
  });

  test('a forced bad signature asks for fresh signatures once, then shows the error', async ({
    page,
    request,
  }) => {
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    await expect(page.getByTestId('customer-name')).toBeVisible();
    await setSwitches(request, { agentConfigFailure: 'signature' });
    const api = trackApiRequests(page);
    await page.reload();
    const state = page.locator('[data-state="sdk-invalid-signature"]');
    await expect(state).toBeVisible();
    await expect(state).toContainText('应用身份校验失败');
    await expect(state).toContainText('agentConfig:invalid signature');
    await expect(state).toContainText('可信域名');
    expect(api.filter((u) => u.startsWith(SIGNATURE))).toEqual([expect.stringMatching(/&refresh=1$/)]);
    expect(api.filter((u) => u.startsWith('/api/contacts'))).toEqual([]);
  });

  test('a group chat shows name, owner, notice and members split into customers and employees', async ({
    page,
    request,
  }, testInfo) => {
    await openSidebar(page, request, { entry: 'group_chat_tools', chatId: VIP });
    await expect(page.getByTestId('group-name')).toHaveText('VIP客户服务群');
    await expect(page.getByText('群主：张伟（我）')).toBeVisible();
    await expect(page.getByTestId('group-notice')).toContainText('VIP 客户服务群');
    const customers = page.getByTestId('group-customers');
    await expect(customers.getByTestId('member-customer').filter({ hasText: '林晓梅' })).toContainText(
      '入群',
    );
    await expect(customers.getByTestId('member-customer').filter({ hasText: '周建国' })).toBeVisible();
    const employees = page.getByTestId('group-employees');
    const employee = (name: string) =>
      employees
        .getByTestId('member-employee')
        .filter({ has: page.getByTestId('member-name').getByText(name, { exact: true }) });
    await expect(employee('张伟')).toContainText('群主');
    await expect(employee('刘洋')).toContainText('管理员');
    await keep(page, testInfo, 'group.png');

    // This group has its own replies; single-chat-only replies are not offered here.
    await page.getByRole('tab', { name: '快捷回复' }).click();
    await expect(page.getByTestId('group-name')).toBeHidden();
    await expect(page.getByTestId('quick-reply').filter({ hasText: 'VIP 群专属顾问' })).toBeVisible();
    await expect(page.getByTestId('quick-reply').filter({ hasText: '服务时间' })).toHaveCount(0);
    await page.getByTestId('quick-reply').filter({ hasText: 'VIP 客户答谢会' }).click();
    await expect(page.getByTestId('toast')).toHaveText('已发送到当前会话');
    const sent = await bridgeMessages(request);
    expect(sent).toEqual([
      expect.objectContaining({
        target: expect.objectContaining({ chatId: VIP }),
        msgtype: 'news',
        news: expect.objectContaining({
          title: 'VIP 客户答谢会报名',
          link: expect.stringMatching(/^https:/),
          // The reply has no cover of its own: the app's default, absolute on its origin (PC clients refuse none).
          imgUrl: expect.stringMatching(/^http:\/\/localhost:\d+\/share-cover\.png$/),
        }),
      }),
    ]);
    await keep(page, testInfo, 'group-quick-replies.png');
  });

  test('a customer the employee does not follow shows the 403 state', async ({ page, request }) => {
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: ONLY_LINA });
    const state = page.locator('[data-state="forbidden"]');
    await expect(state).toBeVisible();
    await expect(state).toContainText('不是你的客户');
    await expect(page.locator('body')).not.toContainText('陈思远');
  });

  test('upstream down shows a retry button that recovers once WeCom answers again', async ({
    page,
    request,
  }) => {
    await addFault(request, { api: 'externalcontact/get', httpStatus: 502 });
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    const state = page.locator('[data-state="upstream"]');
    await expect(state).toBeVisible();
    await expect(state).toContainText('企业微信暂时无法访问');
    await clearFaults(request);
    await state.getByRole('button', { name: '重试' }).click();
    await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
  });

  test('a busy WeCom (errcode -1) is the same retry state; an expired session offers sign-in', async ({
    page,
    request,
    context,
  }) => {
    await addFault(request, { api: 'externalcontact/get', errcode: -1 });
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    const state = page.locator('[data-state="upstream"]');
    await expect(state).toContainText('企业微信系统繁忙');
    await context.clearCookies();
    await clearFaults(request);
    await state.getByRole('button', { name: '重试' }).click();
    const expired = page.locator('[data-state="session-expired"]');
    await expect(expired).toBeVisible();
    await expect(expired.getByRole('link', { name: '重新登录' })).toHaveAttribute(
      'href',
      /^\/api\/auth\/login\?returnTo=%2Fsidebar&client=1$/,
    );
  });

  test('a 企业微信 customer shows the corp and position', async ({ page, request }) => {
    await openSidebar(page, request, { entry: 'contact_profile', externalUserId: WELL_KNOWN.zhouJianguo });
    await expect(page.getByTestId('customer-name')).toHaveText('周建国');
    await expect(page.getByTestId('customer-type')).toHaveText('@华信科技');
    await expect(page.getByTestId('customer-profile')).toContainText('上海华信科技有限公司');
    await expect(page.getByTestId('customer-profile')).toContainText('采购总监');
    await expect(page.getByTestId('other-followers')).toHaveText('只有你添加了该客户');
  });

  test('no permission, a 48002 from WeCom and no chat context are their own states', async ({
    page,
    request,
  }) => {
    await setApp(request, { agentId: '1000002', externalContact: false });
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
    const denied = page.locator('[data-state="sdk-no-permission"]');
    await expect(page.locator('[data-permission-cause="app-not-in-contact"]')).toBeVisible();
    await expect(denied).toContainText('应用未加入「客户联系」可调用应用');
    await expect(denied).toContainText('可调用接口的应用');

    // The server side of the same misconfiguration: WeCom answers 48002 and the page says what to fix.
    await setApp(request, { agentId: '1000002', externalContact: true });
    await setSwitches(request, { externalContactForbidden: true });
    await page.reload();
    const config = page.locator('[data-state="configuration"]');
    await expect(config).toContainText('企业微信配置有误');
    await expect(config).toContainText('可调用应用');
    await setSwitches(request, { externalContactForbidden: false });

    await setClient(request, { entry: 'normal' });
    await page.reload();
    const normal = page.locator('[data-state="normal-entry"]');
    await expect(normal).toContainText('请在客户聊天中打开');
    await expect(normal.getByRole('link', { name: '打开工作台' })).toHaveAttribute('href', '/workbench');

    // Opened from a group chat toolbar, but the client has no group context (the seed client has no chat id).
    await setClient(request, { entry: 'group_chat_tools' });
    await page.reload();
    await expect(page.locator('[data-state="sdk-without-context"]')).toContainText('没有读取到当前会话');
  });

  test.describe('dark mode', () => {
    test.use({ userAgent: `${WECOM_UA} ColorScheme/Dark` });
    test('follows the client theme', async ({ page, request }, testInfo) => {
      await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: LIN });
      await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      const bg = await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).toBe('rgb(27, 28, 30)');
      await keep(page, testInfo, 'profile-dark.png');
    });
  });
});

test.describe('in a plain browser', () => {
  test('says to open it inside WeCom, without a sign-in detour', async ({ page }) => {
    await page.goto('/sidebar');
    await expect(page).toHaveURL((url) => url.pathname === '/sidebar');
    const state = page.locator('[data-state="sdk-not-wecom"]');
    await expect(state).toContainText('请在企业微信客户端中打开');
    await expect(state).toContainText('Open this page inside the WeCom client');
    await expect(state.getByRole('link', { name: '打开企业微信模拟器' })).toHaveAttribute(
      'href',
      '/simulator',
    );
  });

  test.describe('in English', () => {
    test.use({ locale: 'en-US', extraHTTPHeaders: { 'accept-language': 'en-US,en;q=0.9' } });
    test('speaks English when the browser prefers it', async ({ page }) => {
      await page.goto('/sidebar');
      const state = page.locator('[data-state="sdk-not-wecom"]');
      await expect(state).toContainText('Open this page inside the WeCom client');
      await expect(state).not.toContainText('请在企业微信客户端中打开');
    });
  });
});
