import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { DOC_IDS } from '../../emulator/seed';
import {
  addFault,
  loginInClient,
  resetEmulator,
  setClient,
  setSwitches,
  WELL_KNOWN,
  WECOM_UA,
} from './helpers';

/**
 * WeCom as documented, seen by a user: the IDs printed in WeCom's docs (30, 31 and 32 characters long), record-level
 * and unknown errcodes, the app's visible range, a sign-in by a non-member, and the admin checks behind an
 * untrusted IP.
 */

async function visibleRange(request: APIRequestContext, body: unknown) {
  const res = await request.post('/wecom-emulator/visible-range', { data: body });
  expect(res.ok()).toBe(true);
}

async function openSidebar(
  page: Page,
  request: APIRequestContext,
  client: { entry: 'single_chat_tools' | 'group_chat_tools'; externalUserId?: string; chatId?: string },
) {
  await setClient(request, { userId: 'zhangwei', ...client });
  await page.goto('/sidebar');
  await expect(page).toHaveURL((url) => url.pathname === '/sidebar');
}

async function keep(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test.describe('the docs’ example IDs', () => {
  test('the simulator lists them and the sidebar shows those customers and groups', async ({
    page,
    request,
  }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(request, {
      userId: 'zhangwei',
      entry: 'single_chat_tools',
      externalUserId: DOC_IDS.listWecomCustomer,
    });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('郑凯');
    await expect(page.getByTestId(`conversation-${DOC_IDS.listWechatCustomer}`)).toBeVisible();
    await expect(page.getByTestId(`conversation-${DOC_IDS.chat}`)).toBeVisible();

    await page.getByTestId(`conversation-${DOC_IDS.getCustomer}`).click();
    await expect(frame.getByTestId('customer-name')).toHaveText('李四');
    // The 企业微信 customer's 对外资料 (external_profile) and a personal (type 2) tag.
    const attrs = frame.getByTestId('external-attr');
    await expect(attrs).toHaveCount(3);
    await expect(attrs.filter({ hasText: '文本名称' })).toContainText('文本');
    await expect(attrs.filter({ hasText: '网页名称' }).getByRole('link', { name: '标题' })).toHaveAttribute(
      'href',
      'http://www.test.com',
    );
    await expect(attrs.filter({ hasText: '测试app' })).toContainText('小程序：my miniprogram');
    await expect(frame.getByTestId('tag-group').filter({ hasText: '个人标签' })).toContainText('标签名称');
    await expect(frame.getByTestId('add-way')).toHaveText('视频号添加');
    await keep(page, testInfo, 'doc-customer.png');

    await page.getByTestId(`conversation-${DOC_IDS.chat}`).click();
    await expect(frame.getByText('销售客服群').first()).toBeVisible();
    await expect(frame.getByText('文明沟通，拒绝脏话')).toBeVisible();
    await keep(page, testInfo, 'doc-group.png');
  });

  test('the API answers for the 31- and 30-character ids; a malformed id is a bilingual 400', async ({
    page,
  }) => {
    await loginInClient(page, '/');
    const contact = await page.request.get(`/api/contacts/${DOC_IDS.listWecomCustomer}`);
    expect(contact.status()).toBe(200);
    expect(((await contact.json()) as { name: string }).name).toBe('郑凯');
    const chat = await page.request.get(`/api/group-chats/${DOC_IDS.chat}`);
    expect(chat.status()).toBe(200);
    expect(((await chat.json()) as { chatId: string }).chatId).toBe(DOC_IDS.chat);
    for (const bad of ['not%20an%20id', 'w'.repeat(129), 'wm%2E%2E']) {
      const res = await page.request.get(`/api/contacts/${bad}`);
      expect(res.status(), bad).toBe(400);
      const body = (await res.json()) as { error: { messageZh: string; messageEn: string } };
      expect(body.error.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(body.error.messageEn).toMatch(/[A-Za-z]/);
    }
  });
});

test.describe('record-level and unknown errcodes inside the client', () => {
  test.use({ userAgent: WECOM_UA, viewport: { width: 360, height: 760 } });

  test('a customer nobody follows any more (84061) is "no longer available", not an admin error', async ({
    page,
    request,
  }) => {
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: WELL_KNOWN.noFollowers });
    const state = page.locator('[data-state="gone"]');
    await expect(state).toContainText('该记录已不可用');
    await expect(state).toContainText('已不是你的客户');
    await expect(page.locator('[data-state="configuration"]')).toHaveCount(0);
  });

  test('a dissolved or unknown group chat (40050) is "not found"', async ({ page, request }) => {
    await openSidebar(page, request, { entry: 'group_chat_tools', chatId: 'wrGoneChat0000000000000000000' });
    await expect(page.locator('[data-state="not-found"]')).toContainText('客户群不存在或已解散');
  });

  test('an errcode without a rule shows its number and WeCom’s devtool link', async ({
    page,
    request,
  }, testInfo) => {
    await addFault(request, { api: 'externalcontact/get', errcode: 60099 });
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: WELL_KNOWN.linXiaomei });
    const state = page.locator('[data-state="wecom-unknown"]');
    await expect(state).toContainText('60099');
    await expect(state.getByTestId('errcode-link')).toHaveAttribute(
      'href',
      'https://open.work.weixin.qq.com/devtool/query?e=60099',
    );
    await expect(page.locator('[data-state="configuration"]')).toHaveCount(0);
    await keep(page, testInfo, 'unknown-errcode.png');
  });
});

test.describe('visible range (可见范围)', () => {
  test.use({ userAgent: WECOM_UA, viewport: { width: 360, height: 760 } });

  test('a customer whose followers are all outside the range: not found, and where the range is set', async ({
    page,
    request,
  }) => {
    // Sign in while in range, then the admin narrows the range to the 客户服务部 department.
    await openSidebar(page, request, {
      entry: 'single_chat_tools',
      externalUserId: DOC_IDS.listWecomCustomer,
    });
    await expect(page.getByTestId('customer-name')).toHaveText('郑凯');
    await visibleRange(request, { party: [3] });
    // The member is now outside the range too: the client refuses them, and the page says where to widen it.
    await page.reload();
    await expect(page.locator('[data-permission-cause="visible-range"]')).toBeVisible();
    await expect(page.locator('[data-state="sdk-no-permission"]')).toContainText(
      '应用管理 → 本应用 → 可见范围',
    );
    await expect(page.getByTestId('customer-name')).toHaveCount(0);
    // The server API answers the customer as not found, naming the range.
    const res = await page.request.get(`/api/contacts/${DOC_IDS.listWecomCustomer}`);
    expect(res.status()).toBe(404);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('可见范围');
    expect(body).toContain('应用管理 → 本应用 → 可见范围');
  });

  test('a member outside the range gets a page saying who widens it and where', async ({
    page,
    request,
  }, testInfo) => {
    await setClient(request, { userId: 'liuyang' });
    await visibleRange(request, { party: [2] });
    await page.goto('/api/auth/login?returnTo=%2Fsidebar&client=1');
    const refused = page.locator('[data-error-code="outside-visible-range"]');
    await expect(refused).toContainText('你不在本应用的可见范围内');
    await expect(refused).toContainText('企业管理员');
    await expect(refused).toContainText('管理后台 → 应用管理 → 本应用 → 可见范围');
    expect(((await (await page.request.get('/api/session')).json()) as { user: unknown }).user).toBeNull();
    await keep(page, testInfo, 'outside-visible-range.png');
  });

  test('the authorization rule holds: an in-range follower still cannot see another member’s customer', async ({
    page,
    request,
  }) => {
    await visibleRange(request, { party: [2] });
    await openSidebar(page, request, { entry: 'single_chat_tools', externalUserId: WELL_KNOWN.onlyLina });
    await expect(page.locator('[data-state="forbidden"]')).toContainText('不是你的客户');
    await expect(page.locator('body')).not.toContainText('陈思远');
  });
});

test.describe('sign-in by someone outside the corp', () => {
  test.use({ userAgent: WECOM_UA });

  test('gets a clear "not a member of this corp" page', async ({ page, request }) => {
    const res = await request.post('/wecom-emulator/oauth/visitor', {
      data: { externalUserId: WELL_KNOWN.linXiaomei },
    });
    expect(res.ok()).toBe(true);
    await page.goto('/api/auth/login?returnTo=%2Fsidebar&client=1');
    const refused = page.locator('[data-error-code="not-a-member"]');
    await expect(refused).toContainText('你不是本企业成员');
    await expect(refused).toContainText('not a member');
    expect(((await (await page.request.get('/api/session')).json()) as { user: unknown }).user).toBeNull();
  });
});

test('admin checks behind an untrusted IP: credentials OK, IP not trusted', async ({ page, request }) => {
  await loginInClient(page, '/admin');
  await setSwitches(request, { ipBlocked: true });
  const report = (await (await page.request.get('/api/admin/checks')).json()) as {
    results: Array<{ id: string; status: string; fix?: { zh: string } }>;
  };
  const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
  expect(byId.credentials!.status).toBe('pass');
  expect(byId.trustedIp!.status).toBe('fail');
  expect(byId.trustedIp!.fix!.zh).toContain('管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP');
});

test.describe('third-party mode', () => {
  // The demo server that runs as a third-party app (WECOM_DEMO_SUITE=1).
  test.use({ baseURL: `http://localhost:${process.env.E2E_SUITE_PORT ?? 3300}`, userAgent: WECOM_UA });

  test('a member outside the app’s visible range in their corp is refused with the same page', async ({
    page,
    request,
  }) => {
    expect(
      (await request.post('/wecom-emulator/suite/client', { data: { corpId: 'ww7a1d4c9e2b6f8035' } })).ok(),
    ).toBe(true);
    await setClient(request, { userId: 'wujun' });
    await visibleRange(request, { party: [], user: ['sunli', 'zhoumin'] });
    try {
      await page.goto('/api/auth/login?returnTo=%2Fsidebar&client=1');
      await expect(page.locator('[data-error-code="outside-visible-range"]')).toContainText('可见范围');
      await visibleRange(request, { reset: true });
      await page.goto('/api/auth/login?returnTo=%2Fsidebar&client=1');
      await expect(page).toHaveURL((url) => url.pathname === '/sidebar');
    } finally {
      await visibleRange(request, { reset: true });
      await setClient(request, { userId: 'sunli' });
    }
  });
});
