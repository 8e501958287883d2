import { expect, test } from '@playwright/test';
import { WELL_KNOWN, resetEmulator, setClient } from './helpers';

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
});
