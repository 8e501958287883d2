import { expect, test, type Page } from '@playwright/test';
import { DOMAIN_VERIFY_CODE } from '../../emulator/seed';
import { emulator, loginInClient, resetEmulator, setClient, setSwitches, WELL_KNOWN } from './helpers';

const CHECK_IDS = [
  'credentials',
  'trustedIp',
  'corpTicket',
  'agentTicket',
  'externalContact',
  'domainFile',
  'https',
  'sessionSecret',
  'store',
];

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

async function openAdmin(page: Page) {
  await loginInClient(page, '/admin');
  await expect(page.getByTestId('admin')).toBeVisible();
  await expect(page.getByTestId('checks-summary')).toBeVisible();
}

async function recheck(page: Page) {
  const checks = page.getByTestId('checks');
  const before = await checks.getAttribute('data-checked-at');
  await page.getByTestId('checks-rerun').click();
  await expect(checks).not.toHaveAttribute('data-checked-at', before ?? '');
  await expect(checks).toHaveAttribute('data-loading', 'false');
}

test('is refused to a signed-out caller and to a member who is not an admin', async ({ page, request }) => {
  expect((await request.get('/api/admin/checks')).status()).toBe(401);

  await setClient(request, { userId: 'lina' });
  await loginInClient(page, '/admin');
  expect((await page.request.get('/admin')).status()).toBe(403);
  const refused = page.getByTestId('admin-forbidden');
  await expect(refused).toBeVisible();
  await expect(refused).toContainText('403');
  await expect(refused).toContainText('ADMIN_USERIDS');
  await expect(page.getByTestId('checks')).toHaveCount(0);
  expect((await page.request.get('/api/admin/checks')).status()).toBe(403);
  expect((await page.request.get('/api/admin/quick-replies')).status()).toBe(403);
  const post = await page.request.post('/api/admin/quick-replies', {
    data: { kind: 'text', title: 'x', text: 'y', scope: { type: 'all' } },
  });
  expect(post.status()).toBe(403);
});

test('shows the admin-console values and every check green in demo mode', async ({ page, baseURL }) => {
  await openAdmin(page);
  const origin = new URL(baseURL!);
  const value = (id: string) => page.getByTestId(`console-${id}`).getByTestId('console-value');
  await expect(value('homeUrl')).toHaveText(`${origin.origin}/workbench`);
  await expect(value('toolbarUrl')).toHaveText(`${origin.origin}/sidebar`);
  await expect(value('toolbarName')).toHaveText('客户资料');
  await expect(value('trustedDomain')).toHaveText(origin.host);
  await expect(value('oauthDomain')).toHaveText(origin.host);
  await expect(page.getByTestId('console-homeUrl').getByRole('button', { name: /Copy/ })).toBeVisible();

  await expect(page.getByTestId('checks-summary')).toHaveAttribute('data-ok', 'true');
  for (const id of CHECK_IDS) {
    await expect(page.getByTestId(`check-${id}`), id).toHaveAttribute('data-status', 'pass');
  }
  await expect(page.getByTestId('check-https')).toContainText('演示模式使用 http://localhost');
});

test('each emulator fault turns its own check red with the fix', async ({ page, request }) => {
  await openAdmin(page);

  await setSwitches(request, { ipBlocked: true });
  await recheck(page);
  const ip = page.getByTestId('check-trustedIp');
  await expect(ip).toHaveAttribute('data-status', 'fail');
  await expect(ip).toContainText('60020');
  await expect(ip.getByTestId('check-fix')).toContainText(/添加 (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/);
  await expect(ip.getByTestId('check-fix')).toContainText('企业可信IP');
  await expect(page.getByTestId('checks-summary')).toHaveAttribute('data-ok', 'false');

  await setSwitches(request, { ipBlocked: false, externalContactForbidden: true });
  await recheck(page);
  const ec = page.getByTestId('check-externalContact');
  await expect(ec).toHaveAttribute('data-status', 'fail');
  await expect(ec).toContainText('48002');
  await expect(ec.getByTestId('check-fix')).toContainText('可调用应用');
  await expect(page.getByTestId('check-trustedIp')).toHaveAttribute('data-status', 'pass');
  await expect(page.getByTestId('check-credentials')).toHaveAttribute('data-status', 'pass');

  // The app holds a cached token by now; the check still calls gettoken itself.
  await setSwitches(request, { externalContactForbidden: false, invalidSecret: true });
  await recheck(page);
  const cred = page.getByTestId('check-credentials');
  await expect(cred).toHaveAttribute('data-status', 'fail');
  await expect(cred).toContainText('40001');
  await expect(cred.getByTestId('check-fix')).toContainText('WECOM_AGENT_SECRET');
  await expect(page.getByTestId('check-externalContact')).toHaveAttribute('data-status', 'pass');

  await setSwitches(request, { invalidSecret: false });
  await recheck(page);
  await expect(page.getByTestId('checks-summary')).toHaveAttribute('data-ok', 'true');
});

test('the signature debugger shows string1 with the ticket masked and a signature WeCom accepts', async ({
  page,
  request,
  baseURL,
}) => {
  await openAdmin(page);
  const form = page.getByTestId('signature-debugger');
  const url = `${new URL(baseURL!).origin}/sidebar?from=debugger`;
  await form.locator('input[name="url"]').fill(`${url}#ignored`);
  await form.locator('input[name="nonceStr"]').fill('Wm3WZYTPz0wzccnW');
  await form.getByRole('button', { name: /现在/ }).click();
  const timestamp = await form.locator('input[name="timestamp"]').inputValue();
  await form.getByRole('button', { name: /生成签名/ }).click();

  const string1 = await page.getByTestId('signature-string1').textContent();
  expect(string1).toMatch(
    new RegExp(
      `^jsapi_ticket=[^&*]{4}\\*\\*\\*[^&*]{4}&noncestr=Wm3WZYTPz0wzccnW&timestamp=${timestamp}&url=${url.replace(/[?.]/g, '\\$&')}$`,
    ),
  );
  const signature = (await page.getByTestId('signature-value').textContent())!;
  expect(signature).toMatch(/^[0-9a-f]{40}$/);

  // The emulated client verifies it with the real agent ticket, like WeCom would.
  const verify = await emulator(request).verify({
    kind: 'agentConfig',
    url,
    corpId: 'ww5f3c2a1b9e8d7c60',
    agentId: '1000002',
    nonceStr: 'Wm3WZYTPz0wzccnW',
    timestamp: Number(timestamp),
    signature,
  });
  expect(verify).toMatchObject({ ok: true });
});

let restore: (() => Promise<void>) | null = null;
test.afterEach(async () => {
  await restore?.();
  restore = null;
});

test('quick replies: validation inline, edit, create for listed groups, reorder, delete — the sidebar sees it at once', async ({
  page,
}) => {
  await openAdmin(page);
  const manager = page.getByTestId('quick-replies');
  const items = manager.getByTestId('reply-item');
  await expect(items.first()).toBeVisible();

  // Edit the first reply's text; the sidebar's (uncached) list has it right away.
  const first = items.first();
  const id = (await first.getAttribute('data-reply-id'))!;
  // The demo app's store outlives this test: put the seeded text back afterwards.
  const original = (await (await page.request.get('/api/admin/quick-replies')).json()).items.find(
    (r: { id: string }) => r.id === id,
  );
  restore = async () => {
    await page.request.patch(`/api/admin/quick-replies/${id}`, { data: { text: original.text } });
  };
  await first.getByRole('button', { name: /编辑/ }).click();
  const editor = first.getByTestId('reply-editor');
  await editor.locator('textarea[name="text"]').fill('');
  await editor.getByRole('button', { name: /保存/ }).click();
  await expect(editor.getByTestId('field-error')).toContainText('请填写内容');
  await editor.locator('textarea[name="text"]').fill('您好，这是管理员刚改的问候语。');
  await editor.getByRole('button', { name: /保存/ }).click();
  await expect(editor).toHaveCount(0);
  const sidebar = await (await page.request.get('/api/quick-replies?entry=single')).json();
  expect(sidebar.items.find((r: { id: string }) => r.id === id).text).toBe('您好，这是管理员刚改的问候语。');

  // Create one for a listed group chat; a malformed chat id is shown next to the field.
  await manager.getByTestId('reply-new').click();
  const create = manager.getByTestId('reply-editor');
  await create.locator('input[name="title"]').fill('VIP 群欢迎语');
  await create.locator('textarea[name="text"]').fill('欢迎加入 VIP 群！');
  await create.getByLabel(/指定客户群/).check();
  await create.locator('textarea[name="chatIds"]').fill('wr#not-a-chat-id');
  await create.getByRole('button', { name: /添加/ }).click();
  await expect(create.getByTestId('field-error')).toContainText('wr#not-a-chat-id');
  await create.locator('textarea[name="chatIds"]').fill(WELL_KNOWN.vipChat);
  await create.getByRole('button', { name: /添加/ }).click();
  await expect(manager.getByTestId('reply-title').last()).toHaveText('VIP 群欢迎语');

  const inVip = await (
    await page.request.get(`/api/quick-replies?entry=group&chatId=${WELL_KNOWN.vipChat}`)
  ).json();
  const inChannel = await (
    await page.request.get(`/api/quick-replies?entry=group&chatId=${WELL_KNOWN.channelChat}`)
  ).json();
  const single = await (await page.request.get('/api/quick-replies?entry=single')).json();
  const titles = (r: { items: { title: string }[] }) => r.items.map((i) => i.title);
  expect(titles(inVip)).toContain('VIP 群欢迎语');
  expect(titles(inChannel)).not.toContain('VIP 群欢迎语');
  expect(titles(single)).not.toContain('VIP 群欢迎语');

  // Move it up one place; the sidebar follows the admin's order.
  const before = await manager.getByTestId('reply-title').allTextContents();
  const last = items.last();
  await last.getByRole('button', { name: /上移/ }).click();
  const after = [...before];
  after.splice(before.length - 2, 2, before[before.length - 1]!, before[before.length - 2]!);
  await expect(manager.getByTestId('reply-title')).toHaveText(after);
  const all = await (await page.request.get('/api/quick-replies')).json();
  expect(titles(all)).toEqual(after);

  // Delete it.
  page.once('dialog', (d) => void d.accept());
  await items.filter({ hasText: 'VIP 群欢迎语' }).getByRole('button', { name: /删除/ }).click();
  await expect(manager.getByTestId('reply-title')).toHaveText(after.filter((t) => t !== 'VIP 群欢迎语'));
  expect(titles(await (await page.request.get('/api/quick-replies')).json())).not.toContain('VIP 群欢迎语');
});

test('reply library over HTTP: CSV export, a dry run that changes nothing, a bad row named and nothing written', async ({
  page,
}) => {
  await openAdmin(page);
  const exported = await page.request.get('/api/admin/quick-replies/export?format=csv');
  expect(exported.status()).toBe(200);
  expect(exported.headers()['content-disposition']).toMatch(
    /attachment; filename="quick-replies-\d{8}\.csv"/,
  );
  const csv = await exported.text();
  const before = (await (await page.request.get('/api/admin/quick-replies')).json()).items.length;
  expect(before).toBeGreaterThan(0);

  // The corp's own export, sent back as a file: everything unchanged.
  const upload = (text: string, query: string) =>
    page.request.post(`/api/admin/quick-replies/import?${query}`, {
      multipart: { file: { name: 'quick-replies.csv', mimeType: 'text/csv', buffer: Buffer.from(text) } },
    });
  const dry = await upload(csv, 'format=csv&dryRun=1');
  expect(dry.status()).toBe(200);
  expect(await dry.json()).toEqual({
    dryRun: true,
    created: 0,
    updated: 0,
    unchanged: before,
    categoriesCreated: 0,
    errors: [],
  });

  // One good new row and one naming media that does not exist: the import is refused whole, by row.
  const bad = `${csv.trimEnd()}\r\n"","新问候","","all","","text","你好","","","","","","","","","","","",""\r\n"","坏图片","","all","","image","","","","","","nosuchmedia01","","","","","","",""\r\n`;
  const refused = await upload(bad, 'format=csv');
  expect(refused.status()).toBe(400);
  const report = await refused.json();
  expect(report.error.code).toBe('import_invalid');
  expect(report.errors).toEqual([{ row: before + 3, message: expect.stringContaining('nosuchmedia01') }]);
  expect((await (await page.request.get('/api/admin/quick-replies')).json()).items).toHaveLength(before);

  // A search of the admin listing finds Chinese substrings.
  const found = await (
    await page.request.get(`/api/admin/quick-replies?q=${encodeURIComponent('报价')}`)
  ).json();
  expect(found.items.length).toBeGreaterThan(0);
  expect(found.items.length).toBeLessThan(before);
});

test('serves the domain verification file exactly and never echoes an unknown code', async ({ request }) => {
  const file = await request.get(`/WW_verify_${DOMAIN_VERIFY_CODE}.txt`);
  expect(file.status()).toBe(200);
  expect(await file.text()).toBe(DOMAIN_VERIFY_CODE);

  for (const code of ['AAAAAAAAAAAAAAAA', 'Zz9Yy8Xx7Ww6Vv5U']) {
    const res = await request.get(`/WW_verify_${code}.txt`);
    expect(res.status()).toBe(404);
    expect(await res.text()).not.toContain(code);
  }
});
