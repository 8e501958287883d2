import { expect, test } from '@playwright/test';
import { CUSTOMERS, TAG } from '../../emulator/seed';
import { WELL_KNOWN, loginInClient, resetEmulator, setClient } from './helpers';

const LIN = WELL_KNOWN.linXiaomei;

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test.describe('scheduled messages (定时发送) in the simulator', () => {
  test('schedule from the sidebar, cancel one; a due one becomes a mass message the member confirms into the chat', async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');
    await frame.getByRole('tab', { name: '快捷回复' }).click();
    const panel = frame.getByTestId('schedule-panel');
    await expect(panel).toBeVisible();

    // Composed in the sidebar for an hour from now: listed as upcoming, then cancelled.
    await panel.getByLabel('消息内容').fill('林经理，明天上午十点的会议别忘了');
    await panel.getByRole('button', { name: '安排发送' }).click();
    const upcoming = panel.getByTestId('schedule-item').filter({ hasText: '明天上午十点' });
    await expect(upcoming).toHaveAttribute('data-state', 'scheduled');
    await upcoming.getByRole('button', { name: '取消' }).click();
    await expect(upcoming).toHaveAttribute('data-state', 'cancelled');

    // A time in the past is refused with a message.
    const past = await page.request.post('/api/scheduled-messages', {
      data: {
        target: { externalUserId: LIN },
        at: Date.now() - 60_000,
        content: { kind: 'text', text: 'x' },
      },
    });
    expect(past.status()).toBe(400);
    // A customer the member does not follow is refused.
    const foreign = await page.request.post('/api/scheduled-messages', {
      data: {
        target: { externalUserId: WELL_KNOWN.onlyLina },
        at: Date.now() + 60_000,
        content: { kind: 'text', text: 'x' },
      },
    });
    expect(foreign.status()).toBe(403);

    // Due in a few seconds: the scheduler creates WeCom's mass-message task for the member.
    const created = await page.request.post('/api/scheduled-messages', {
      data: {
        target: { externalUserId: LIN },
        at: Date.now() + 3000,
        content: { kind: 'text', text: '新版报价单已上线，请查收' },
      },
    });
    expect(created.status()).toBe(201);
    await expect
      .poll(
        async () => {
          const res = await page.request.get(`/api/scheduled-messages?externalUserId=${LIN}`);
          const body = (await res.json()) as { past: { state: string }[] };
          return body.past.map((s) => s.state);
        },
        { timeout: 30_000 },
      )
      .toContain('submitted');

    // The member confirms it in 群发助手, and it appears in the customer's chat.
    await page.getByTestId('mass-assistant').click();
    const item = page.getByTestId('mass-item').filter({ hasText: '新版报价单已上线' });
    await item.getByRole('button', { name: '发送 Send' }).click();
    await expect(page.getByTestId('chat-messages')).toContainText('新版报价单已上线，请查收');
  });

  test('scheduled in the sidebar, listed in the workbench, fired, confirmed in WeCom: sent', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(page.request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');
    await frame.getByRole('tab', { name: '快捷回复' }).click();
    const panel = frame.getByTestId('schedule-panel');

    // The time picker has minutes: the next whole minute at least 15 seconds away.
    const due = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
    const local = new Date(due - new Date(due).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await panel.getByLabel('消息内容').fill('{客户称呼}，样品已寄出，请注意查收');
    await panel.getByLabel('发送时间').fill(local);
    await panel.getByRole('button', { name: '安排发送' }).click();
    await expect(panel.getByTestId('schedule-item').filter({ hasText: '样品已寄出' })).toHaveAttribute(
      'data-state',
      'scheduled',
    );

    // The workbench lists it with the member's other schedules.
    const workbench = await page.context().newPage();
    await workbench.goto('/workbench');
    await workbench.getByTestId('schedules-link').click();
    const listed = workbench.getByTestId('schedule-item').filter({ hasText: '样品已寄出' });
    await expect(listed).toHaveAttribute('data-state', 'scheduled');
    await expect(listed).toContainText('客户 林晓梅-采购主管');

    // When due, WeCom's mass-message task exists for the member, the variable filled in for this customer.
    await expect(listed).toHaveAttribute('data-state', 'submitted', { timeout: 90_000 });
    await page.getByTestId('mass-assistant').click();
    const item = page.getByTestId('mass-item').filter({ hasText: '林晓梅-采购主管，样品已寄出' });
    await item.getByRole('button', { name: '发送 Send' }).click();
    await expect(page.getByTestId('chat-messages')).toContainText('林晓梅-采购主管，样品已寄出，请注意查收');

    // WeCom's result says it reached the customer (checked once a minute).
    await expect(listed).toHaveAttribute('data-state', 'sent', { timeout: 100_000 });
    await expect(listed).toContainText('送达 1');
  });

  test('an admin schedules to a member’s customers by tag, sees how many match, edits and cancels', async ({
    page,
    request,
  }) => {
    await loginInClient(page, '/admin');
    const section = page.getByTestId('audience-schedule');
    await section.getByLabel('发送成员 / Member').selectOption('zhangwei');
    await section.getByRole('checkbox', { name: '重要客户' }).check();
    const expected = CUSTOMERS.filter((c) =>
      c.follow.some((f) => f.userid === 'zhangwei' && f.tagIds.includes(TAG.important)),
    ).length;
    const total = CUSTOMERS.filter((c) => c.follow.some((f) => f.userid === 'zhangwei')).length;
    await expect(section.getByTestId('audience-count')).toContainText(
      `当前匹配 ${expected} 位客户（共 ${total}）`,
    );

    // Customer variables cannot go to many customers at once.
    await section.getByLabel('消息内容 / Message').fill('{客户称呼}，新品上市');
    await section.getByRole('button', { name: '安排群发 / Schedule' }).click();
    await expect(page.getByText('不能使用客户变量', { exact: false })).toBeVisible();

    await section.getByLabel('消息内容 / Message').fill('新品上市，欢迎咨询——{我的名字}');
    await section.getByRole('button', { name: '安排群发 / Schedule' }).click();
    const item = section.getByTestId('schedule-item').filter({ hasText: '新品上市，欢迎咨询' });
    await expect(item).toHaveAttribute('data-state', 'scheduled');
    await expect(item).toContainText('zhangwei 的客户 · 1 个标签');

    await item.getByRole('button', { name: '修改' }).click();
    await item.getByLabel('消息内容').fill('新品上市，欢迎来电咨询');
    await item.getByRole('button', { name: '保存' }).click();
    const edited = section.getByTestId('schedule-item').filter({ hasText: '欢迎来电咨询' });
    await expect(edited).toHaveAttribute('data-state', 'scheduled');
    await edited.getByRole('button', { name: '取消' }).click();
    await expect(edited).toHaveAttribute('data-state', 'cancelled');

    // Signed out: no member list, no count.
    expect((await request.get('/api/admin/audience/members')).status()).toBe(401);
    expect(
      (await request.get(`/api/admin/audience/count?userId=zhangwei&tagIds=${TAG.important}`)).status(),
    ).toBe(401);
  });

  test('the sidebar schedules written text with attachments from the media library, or a library reply of any kind', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(page.request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');

    // An admin's media and an image reply made from it.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
    const origin = new URL(page.url()).origin;
    const uploaded = await page.request.post('/api/admin/media', {
      headers: { origin },
      multipart: { file: { name: 'price-list.png', mimeType: 'image/png', buffer: png } },
    });
    expect(uploaded.status()).toBe(201);
    const { id: mediaId } = (await uploaded.json()) as { id: string };
    const reply = await page.request.post('/api/admin/quick-replies', {
      headers: { origin },
      data: { kind: 'image', mediaId, title: '价目表图片', scope: { type: 'all' } },
    });
    expect(reply.status()).toBe(201);

    await frame.getByRole('tab', { name: '快捷回复' }).click();
    const panel = frame.getByTestId('schedule-panel');
    await panel.getByLabel('消息内容').fill('附上最新价目表');
    await panel.getByRole('button', { name: '添加附件' }).click();
    await panel
      .getByTestId('schedule-media')
      .getByRole('checkbox', { name: /price-list\.png/ })
      .check();
    await expect(panel.getByTestId('schedule-attachments')).toContainText('price-list.png');
    await panel.getByRole('button', { name: '安排发送' }).click();
    await expect(
      panel.getByTestId('schedule-item').filter({ hasText: '附上最新价目表 · [图片]' }),
    ).toHaveAttribute('data-state', 'scheduled');

    await panel.getByRole('radio', { name: '快捷回复' }).check();
    await panel.getByLabel('选择快捷回复').selectOption({ label: '价目表图片' });
    await panel.getByRole('button', { name: '安排发送' }).click();

    const scheduled = async () => {
      const res = await page.request.get(`/api/scheduled-messages?externalUserId=${LIN}`);
      return ((await res.json()) as { upcoming: { content: unknown }[] }).upcoming.map((s) => s.content);
    };
    await expect.poll(scheduled).toEqual(
      expect.arrayContaining([
        {
          kind: 'sequence',
          parts: [
            { kind: 'text', text: '附上最新价目表' },
            { kind: 'image', mediaId },
          ],
        },
        { kind: 'image', mediaId },
      ]),
    );
  });
});
