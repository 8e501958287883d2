import { expect, test, type APIRequestContext } from '@playwright/test';
import { TAG } from '../../emulator/seed';
import { loginInClient, resetEmulator, setClient, WELL_KNOWN } from './helpers';

const LIN = WELL_KNOWN.linXiaomei;

interface CustomerState {
  follow: { userId: string; remark: string; tags: { tagId: string; name: string | null }[] }[];
}

async function customerState(request: APIRequestContext, id: string): Promise<CustomerState> {
  const res = await request.get(`/wecom-emulator/crm/customer?externalUserId=${id}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as CustomerState;
}

const mine = (s: CustomerState) => s.follow.find((f) => f.userId === 'zhangwei')!;

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('admin sets up the pipeline; in the simulator the salesperson tags, edits the remark, moves the stage, adds a note due now, sees a WeCom event in the timeline and the follow-up in the workbench', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await setClient(request, {
    userId: 'zhangwei',
    entry: 'single_chat_tools',
    externalUserId: LIN,
  });

  // /admin: the default pipeline, saved as a corp tag group in WeCom.
  await loginInClient(page, '/admin');
  const editor = page.getByTestId('pipeline-editor');
  // The emulator was reset: WeCom has no pipeline group, so neither has the app.
  await editor.getByRole('button', { name: /使用默认阶段/ }).click();
  await editor.getByRole('button', { name: /保存/ }).click();
  await expect(editor.getByRole('status')).toContainText('已保存');
  await expect(editor.getByTestId('pipeline-stage')).toHaveCount(5);

  await page.goto('/simulator');
  const frame = page.frameLocator('[data-testid="sidebar-frame"]');
  await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');
  // The follow-up tab loads on first open (the profile stays the sidebar's only request).
  await frame.getByRole('tab', { name: '跟进' }).click();
  const crm = frame.getByTestId('crm');
  await expect(crm).toBeVisible();

  // Tag: optimistic, then in the emulator's state.
  const tags = frame.getByTestId('tag-editor');
  await tags.getByRole('button', { name: '编辑标签' }).click();
  const pro = tags.getByRole('button', { name: '专业版', exact: true });
  await pro.click();
  await expect(pro).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(async () => mine(await customerState(request, LIN)).tags.map((t) => t.tagId))
    .toContain(TAG.pro);

  // Remark: the browser refuses 21 characters like the server does; 20 is saved.
  await frame.getByTestId('edit-remark').click();
  const form = frame.getByTestId('remark-form');
  await form.locator('input[name="remark"]').fill('一'.repeat(21));
  await expect(form.getByRole('alert')).toContainText('20');
  await expect(form.getByRole('button', { name: '保存' })).toBeDisabled();
  await form.locator('input[name="remark"]').fill('林总-已续约');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form).toBeHidden();
  expect(mine(await customerState(request, LIN)).remark).toBe('林总-已续约');
  // The profile tab shows the new remark and the new tag without reloading.
  await frame.getByRole('tab', { name: '客户资料' }).click();
  await expect(frame.getByTestId('remark')).toHaveText('林总-已续约');
  await expect(frame.getByTestId('tags')).toContainText('专业版');
  await frame.getByRole('tab', { name: '跟进' }).click();

  // Stage in one tap.
  const stage = frame.getByTestId('stage').getByRole('button', { name: '意向', exact: true });
  await stage.click();
  await expect(stage).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(async () => mine(await customerState(request, LIN)).tags.map((t) => t.name))
    .toContain('意向');

  // A note whose follow-up time has come.
  const notes = frame.getByTestId('notes');
  await notes.locator('textarea[name="note"]').fill('约了周二上门演示私有化部署');
  const due = new Date(Date.now() - 5 * 60_000);
  const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await notes.locator('input[name="followUpAt"]').fill(local);
  await notes.getByRole('button', { name: '添加记录' }).click();
  const timeline = frame.getByTestId('timeline');
  await expect(timeline.getByTestId('timeline-item').first()).toContainText('约了周二上门演示私有化部署');
  await expect(timeline).toContainText('将阶段设为 意向');
  await expect(timeline).toContainText('修改了备注');
  await expect(timeline).toContainText('添加标签 专业版');

  // WeCom pushes a change event (the customer joins a group chat): it shows in the timeline.
  const actions = page.getByTestId('crm-actions');
  await actions.getByLabel('客户群 / Group chat').selectOption({ label: '私有化部署技术支持群' });
  await actions.getByRole('button', { name: /客户入群/ }).click();
  await expect(actions.getByTestId('crm-action-status')).toContainText('✓');
  // The simulator reloads the sidebar after acting in WeCom.
  await frame.getByRole('tab', { name: '跟进' }).click();
  await expect(frame.getByTestId('timeline')).toContainText('客户加入了群聊 私有化部署技术支持群');
  await expect(frame.getByTestId('customer-groups')).toContainText('私有化部署技术支持群');
  await frame.getByTestId('timeline').screenshot({ path: testInfo.outputPath('timeline.png') });

  // Quick action: the profile card opens in the (emulated) client.
  await frame.getByTestId('quick-actions').getByRole('button', { name: '资料卡' }).click();
  await expect(actions.getByTestId('crm-action-status')).toContainText(LIN);

  // Workbench: the follow-up is due; a tap opens the customer.
  await page.goto('/workbench');
  const followUps = page.getByTestId('follow-ups');
  await expect(followUps.getByTestId('follow-up').first()).toContainText('林晓梅');
  await expect(followUps).toContainText('约了周二上门演示');
  await expect(page.getByTestId('my-group-chats')).toContainText('VIP客户服务群');
  await followUps.getByRole('link', { name: '林晓梅' }).first().click();
  await expect(page.getByTestId('customer-name')).toHaveText('林晓梅');
  await expect(page.getByTestId('timeline')).toContainText('约了周二上门演示私有化部署');
});

test('a non-follower is refused by every CRM route and WeCom is not called', async ({ page, request }) => {
  // chenjing does not follow 林晓梅.
  await setClient(request, { userId: 'chenjing', entry: 'normal' });
  await loginInClient(page, '/workbench');
  const before = (await (await request.get('/wecom-emulator/state')).json()) as {
    counters: Record<string, number>;
  };
  const base = `/api/contacts/${LIN}`;
  const headers = { origin: new URL(page.url()).origin };
  for (const [method, path, data] of [
    ['post', `${base}/tags`, { add: [TAG.pro] }],
    ['patch', base, { remark: 'x' }],
    ['put', `${base}/stage`, { stageId: null }],
    ['post', `${base}/notes`, { text: 'x' }],
    ['get', `${base}/timeline`, undefined],
  ] as const) {
    const res = await page.request[method](path, { data, headers });
    expect(res.status(), `${method} ${path}`).toBe(403);
    const body = (await res.json()) as { error: { messageZh: string; messageEn: string } };
    expect(body.error.messageZh).toBeTruthy();
    expect(body.error.messageEn).toBeTruthy();
  }
  const after = (await (await request.get('/wecom-emulator/state')).json()) as {
    counters: Record<string, number>;
  };
  for (const api of ['externalcontact/mark_tag', 'externalcontact/remark']) {
    expect(after.counters[api] ?? 0).toBe(before.counters[api] ?? 0);
  }
  // Over-long input is a 400 naming the field and the limit (checked before any WeCom call).
  await setClient(request, { userId: 'zhangwei', entry: 'normal' });
  await page.context().clearCookies();
  await loginInClient(page, '/workbench');
  const long = await page.request.patch(base, { data: { remark: '一'.repeat(21) }, headers });
  expect(long.status()).toBe(400);
  expect(((await long.json()) as { error: { messageEn: string } }).error.messageEn).toMatch(/remark.*20/);
  const bad = await page.request.post(`${base}/tags`, {
    data: { add: ['etNoSuchTag00000000000000000001'] },
    headers,
  });
  expect(bad.status()).toBe(409);
});
