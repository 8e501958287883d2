import { expect, test, type Page } from '@playwright/test';

// Third-party demo (WECOM_DEMO_SUITE=1): two emulated corps install the app; the simulator switches between them
// and the sidebar, the workbench and the data endpoints follow the signed-in member's corp.
// Runs against the demo server that playwright.config.ts starts with WECOM_DEMO_SUITE=1.
test.use({ baseURL: `http://localhost:${process.env.E2E_SUITE_PORT ?? 3300}` });

const CORP_A = 'ww5f3c2a1b9e8d7c60';
const CORP_B = 'ww7a1d4c9e2b6f8035';
const LIN_XIAOMEI = 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn'; // corp A's customer
const HE_XIAOYU = 'wmYf3Kp8Qr2Tz6Vb1Nc5Lm9Hs4Jd7GwA'; // corp B's customer
const B_GROUP_CHAT = 'wrYf6Hs2Kd8Fg4Jw0Ay6Qm2Xr8Tz4VbE'; // corp B's 云帆外贸客户群

async function openSimulatorAs(page: Page, corpId: string) {
  await page.goto('/simulator');
  const switcher = page.getByTestId('corp-switcher');
  await expect(switcher.locator('option')).toHaveCount(2);
  await switcher.selectOption(corpId);
  await expect(switcher).toHaveValue(corpId);
}

test('each corp sees its own customers in the sidebar, and names come from ww-open-data', async ({
  page,
}) => {
  await openSimulatorAs(page, CORP_B);
  const sidebar = page.frameLocator('[data-testid=sidebar-frame]');
  await expect(sidebar.getByText('何晓雨').first()).toBeVisible({ timeout: 60_000 });

  await page.getByRole('button', { name: /手机工作台/ }).click();
  const phone = page.frameLocator('[data-testid=phone-frame]');
  // The client draws the name where page code cannot read it: what it guarantees is the bound element.
  await expect(
    phone.getByTestId('employee-name').locator('ww-open-data[type=userName][openid=sunli]'),
  ).toHaveAttribute('data-open-data', 'bound', { timeout: 60_000 });

  // The session belongs to corp B: corp A's customer is refused, corp B's is served.
  const api = page.context().request;
  expect((await api.get(`/api/contacts/${HE_XIAOYU}`)).status()).toBe(200);
  expect((await api.get(`/api/contacts/${LIN_XIAOMEI}`)).ok()).toBe(false);
  expect(((await (await api.get('/api/session')).json()) as { user: { corpId: string } }).user.corpId).toBe(
    CORP_B,
  );

  await openSimulatorAs(page, CORP_A);
  await expect(page.frameLocator('[data-testid=sidebar-frame]').getByText('林晓梅').first()).toBeVisible({
    timeout: 60_000,
  });
});

test('a group chat names its employees through ww-open-data; customers keep the names from the API', async ({
  page,
}) => {
  await openSimulatorAs(page, CORP_B);
  await page.getByTestId(`conversation-${B_GROUP_CHAT}`).click();
  const sidebar = page.frameLocator('[data-testid=sidebar-frame]');
  await expect(sidebar.getByTestId('group-name')).toHaveText('云帆外贸客户群', { timeout: 60_000 });

  // The API gave userids only. The page loaded WeCom's open-data SDK, ran ww.initOpenData and bound each
  // <ww-open-data>; the client draws the names inside a closed shadow root, so the page (and this test) can read
  // only what it put there itself: the userid fallback. A screenshot shows the drawn names.
  const frame = page.frame({ name: 'wecom-sidebar' })!;
  const script = frame.locator('script#wwopen-data-sdk');
  await expect(script).toHaveAttribute('src', /\/wwopen\/js\/jwxwork-1\.0\.0\.js$/);
  await expect(script).toHaveAttribute('referrerpolicy', 'origin');
  const employees = sidebar.getByTestId('group-employees');
  const names = employees.getByTestId('member-name').locator('ww-open-data[type=userName]');
  await expect(names).toHaveCount(2);
  await expect(names.nth(0)).toHaveAttribute('openid', 'sunli');
  await expect(names.nth(1)).toHaveAttribute('openid', 'zhoumin');
  for (const i of [0, 1]) await expect(names.nth(i)).toHaveAttribute('data-open-data', 'bound');
  const owner = sidebar.getByTestId('group-owner').locator('ww-open-data[openid=sunli]');
  await expect(owner).toHaveAttribute('data-open-data', 'bound');
  // Page code sees no name: not in the element's text, not in the document, no open shadow root.
  const readable = await frame.evaluate(() => {
    const els = [...document.querySelectorAll('ww-open-data')];
    return {
      texts: els.map((e) => e.textContent),
      shadow: els.some((e) => e.shadowRoot !== null),
      body: document.body.innerText,
    };
  });
  expect(readable.texts).toEqual(expect.arrayContaining(['sunli', 'zhoumin']));
  expect(readable.shadow).toBe(false);
  expect(readable.body).not.toContain('周敏');
  // What a person sees: the drawn names (kept as an artifact).
  const shot = test.info().outputPath('open-data-group.png');
  await page.locator('[data-testid=sidebar-frame]').screenshot({ path: shot });
  await test.info().attach('open-data-group.png', { path: shot, contentType: 'image/png' });

  // Customers keep the names from the API; who invited them is an employee, bound for the client to draw.
  const heXiaoyu = sidebar
    .getByTestId('group-customers')
    .getByTestId('member-customer')
    .filter({ hasText: '何晓雨' });
  await expect(heXiaoyu.getByTestId('member-name')).toHaveText('何晓雨');
  await expect(heXiaoyu.getByTestId('member-name').locator('ww-open-data')).toHaveCount(0);
  await expect(heXiaoyu.getByTestId('member-invitor').locator('ww-open-data[openid=sunli]')).toHaveAttribute(
    'data-open-data',
    'bound',
  );
});

test('the provider install page sends a signed-in admin through WeCom and back', async ({ page }) => {
  // Signed out: starting an install is refused (each start costs WeCom calls and a stored record).
  await page.goto('/install');
  await page.getByTestId('install').click();
  await expect(page).toHaveURL(/\/install\?error=install-admin-required/);
  await expect(page.locator('[data-state="install-error"]')).toContainText('应用管理员');

  // The demo admin (张伟 of corp A) signs in, then installs for corp B.
  await openSimulatorAs(page, CORP_A);
  await page.goto('/api/auth/login?returnTo=%2Finstall&client=1');
  await expect(page).toHaveURL(/\/install(#)?$/);
  await page.getByTestId('install').click();
  await expect(page).toHaveURL(/\/3rdapp\/install\?/);
  await page.locator(`button[data-corpid="${CORP_B}"]`).click();
  await expect(page).toHaveURL(/\/install\?result=/);
  await expect(page.locator('[data-state="installed"]')).toContainText('云帆贸易');
});

test('/install?installed=<corpid> tells nobody whether a corp installed the app', async ({ page }) => {
  await page.goto(`/install?installed=${CORP_B}`);
  await expect(page.getByTestId('install')).toBeVisible();
  await expect(page.locator('[data-state="installed"]')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('云帆贸易');
  await page.goto('/install?result=forged');
  await expect(page.locator('[data-state="installed"]')).toHaveCount(0);
});
