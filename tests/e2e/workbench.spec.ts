import { expect, test } from '@playwright/test';
import { CUSTOMERS, TAG } from '../../emulator/seed';
import { loginInClient, resetEmulator, setClient, WELL_KNOWN } from './helpers';

const mine = (userId: string) =>
  CUSTOMERS.filter((c) => c.follow.some((f) => f.userid === userId)).map((c) => ({
    id: c.external_userid,
    name: c.name,
    remark: c.follow.find((f) => f.userid === userId)?.remark ?? '',
    tagIds: c.follow.find((f) => f.userid === userId)?.tagIds ?? [],
  }));

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('lists the employee and pages through all of their customers with 加载更多', async ({ page }) => {
  const expected = mine('zhangwei');
  expect(expected.length).toBeGreaterThan(10);
  await loginInClient(page, '/workbench?limit=5');

  await expect(page.getByTestId('employee-name')).toHaveText('张伟');
  await expect(page.getByTestId('customer-total')).toContainText(String(expected.length));
  const items = page.getByTestId('customer-item');
  await expect(items).toHaveCount(5);

  const pages = Math.ceil(expected.length / 5);
  for (let shown = 1; shown < pages; shown++) {
    await page.getByTestId('load-more').click();
    await expect(items).toHaveCount(Math.min(expected.length, (shown + 1) * 5));
  }
  await expect(page.getByTestId('load-more')).toHaveCount(0);
  await expect(page.getByText('已显示全部')).toBeVisible();
  const names = await page.getByTestId('customer-name').allTextContents();
  expect(names.sort()).toEqual(expected.map((c) => c.name).sort());
});

test('searches by name and by remark, and filters by a corp tag', async ({ page }) => {
  await loginInClient(page, '/workbench?limit=5');
  await expect(page.getByTestId('customer-item')).toHaveCount(5);

  await page.getByTestId('customer-search').fill('周建');
  await expect(page.getByTestId('customer-name')).toHaveText(['周建国']);

  // 林晓梅's remark for zhangwei is 林晓梅-采购主管: search the remark, not the name.
  const byRemark = mine('zhangwei').filter(
    (c) => c.remark.includes('采购主管') || c.name.includes('采购主管'),
  );
  await page.getByTestId('customer-search').fill('采购主管');
  await expect(page.getByTestId('customer-item')).toHaveCount(byRemark.length);
  await expect(page.getByTestId('customer-name').first()).toHaveText('林晓梅');

  await page.getByTestId('customer-search').fill('没有这个客户');
  await expect(page.locator('[data-state="no-match"]')).toBeVisible();

  await page.getByTestId('customer-search').fill('');
  const tagged = mine('zhangwei').filter((c) => c.tagIds.includes(TAG.important));
  expect(tagged.length).toBeGreaterThan(0);
  await page.getByTestId('customer-tag').selectOption(TAG.important);
  const shown = page.getByTestId('customer-name');
  await expect(shown).toHaveCount(Math.min(tagged.length, 5));
  if (tagged.length > 5) {
    await page.getByTestId('load-more').click();
  }
  await expect(page.getByTestId('load-more')).toHaveCount(0);
  expect((await shown.allTextContents()).sort()).toEqual(tagged.map((c) => c.name).sort());
});

test('a customer opens the same profile view as the sidebar', async ({ page }) => {
  await loginInClient(page, '/workbench');
  await page.getByTestId('customer-search').fill('周建国');
  // The search is debounced: wait for the filtered list rather than clicking whatever is first.
  await expect(page.getByTestId('customer-item')).toHaveCount(1);
  await page.getByTestId('customer-item').filter({ hasText: '周建国' }).click();
  await expect(page).toHaveURL(new RegExp(`/workbench/customers/${WELL_KNOWN.zhouJianguo}$`));
  await expect(page.getByTestId('customer-profile')).toBeVisible();
  await expect(page.getByTestId('customer-profile').getByTestId('customer-name')).toHaveText('周建国');

  // Someone else's customer: refused, not shown.
  await page.goto(`/workbench/customers/${WELL_KNOWN.onlyLina}`);
  await expect(page.locator('[data-state="forbidden"]')).toBeVisible();
  await expect(page.getByTestId('customer-profile')).toHaveCount(0);
});

test('an employee without customers (no 客户联系, 84061) gets a clear message', async ({ page, request }) => {
  await setClient(request, { userId: 'zhaolei' });
  await loginInClient(page, '/workbench');
  await expect(page.getByTestId('employee-name')).toHaveText('赵磊');
  const empty = page.locator('[data-state="no-customers"]');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('客户联系');
  await expect(page.getByTestId('customer-search')).toHaveCount(0);
});

test('the avatar shows after snsapi_privateinfo consent', async ({ page }) => {
  await loginInClient(page, '/workbench');
  const card = page.getByTestId('employee');
  await expect(card.locator('img')).toHaveCount(0);
  await page.getByTestId('avatar-consent').click();
  // The emulated WeCom consent page.
  await page.getByRole('button', { name: /同意/ }).click();
  await expect(page).toHaveURL(/\/workbench$/);
  await expect(card.locator('img')).toHaveCount(1);
  await expect(page.getByTestId('avatar-consent')).toHaveCount(0);
});

test('a PC browser signs in through the web login picker', async ({ page }) => {
  await page.goto('/workbench');
  await expect(page).toHaveTitle(/企业微信登录/);
  await page.getByText('李娜').first().click();
  await expect(page).toHaveURL(/\/workbench$/);
  await expect(page.getByTestId('employee-name')).toHaveText('李娜');
  await expect(page.getByTestId('customer-item').first()).toBeVisible();
});
