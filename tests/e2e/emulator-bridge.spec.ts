import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import {
  WECOM_UA,
  WELL_KNOWN,
  bridgeMessages,
  counter,
  emulator,
  resetEmulator,
  setApp,
  setClient,
  setSwitches,
} from './helpers';

const CHECK = '/simulator/bridge-check';

/** The simulator with the bridge-check page in its chat-toolbar slot. */
async function openSimulator(page: Page): Promise<FrameLocator> {
  await page.goto(`/simulator?panel=${encodeURIComponent(CHECK)}`);
  await expect(page.getByTestId('simulator')).toBeVisible();
  return page.frameLocator('[data-testid="sidebar-frame"]');
}

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

test('inside the simulator the unmodified SDK completes agentConfig and reads the selected customer', async ({
  page,
  request,
}) => {
  const frame = await openSimulator(page);
  // The first open signs in silently through the emulator's OAuth, inside the toolbar frame.
  await expect(frame.getByTestId('session-user')).toHaveText('zhangwei');
  await expect(frame.getByTestId('is-wecom')).toHaveText('true');
  await expect(frame.getByTestId('agent-config')).toHaveText('agentConfig:ok');
  await expect(frame.getByTestId('entry')).toHaveText('single_chat_tools');
  await expect(frame.getByTestId('context-id')).toHaveText(WELL_KNOWN.linXiaomei);
  // WeCom ≥ 3.0.24 with getAgentConfigSignature runs agentConfig only: one verification, on the server.
  expect(await counter(request, 'bridge/verify')).toBe(1);

  // Picking another conversation switches the client context and reloads the toolbar page.
  await page.getByTestId(`conversation-${WELL_KNOWN.zhouJianguo}`).click();
  await expect(frame.getByTestId('context-id')).toHaveText(WELL_KNOWN.zhouJianguo);
  await page.getByTestId(`conversation-${WELL_KNOWN.vipChat}`).click();
  await expect(frame.getByTestId('entry')).toHaveText('group_chat_tools');
  await expect(frame.getByTestId('context-id')).toHaveText(WELL_KNOWN.vipChat);
  expect(await counter(request, 'bridge/verify')).toBe(3);
});

// Rotating tickets (POST /tickets/rotate) would also do, but it leaves the app's ticket cache stale for the tests
// that follow until a rate-limited refresh; the switch changes nothing the app holds.
test('a forced bad signature is rejected by the emulated client', async ({ page, request }) => {
  await setSwitches(request, { agentConfigFailure: 'signature' });
  const frame = await openSimulator(page);
  await expect(frame.getByTestId('agent-config')).toHaveText(/agentConfig:.*invalid signature/);
  await expect(frame.getByTestId('context-id')).toHaveText(/invalid signature/);
  expect(await counter(request, 'bridge/verify')).toBeGreaterThanOrEqual(1);
});

test('sendChatMessage lands in the simulator chat pane', async ({ page, request }) => {
  const frame = await openSimulator(page);
  await expect(frame.getByTestId('context-id')).toHaveText(WELL_KNOWN.linXiaomei);
  const content = '您好，这是报价单，请查收。';
  await frame.getByRole('textbox').fill(content);
  await frame.getByTestId('send-message').click();
  await expect(frame.getByTestId('send-result')).toHaveText('sendChatMessage:ok');
  await expect(page.getByTestId('chat-messages')).toContainText(content);
  const messages = await bridgeMessages(request);
  expect(messages).toEqual([
    expect.objectContaining({
      target: expect.objectContaining({ externalUserId: WELL_KNOWN.linXiaomei }),
      fromUserId: 'zhangwei',
      msgtype: 'text',
      text: { content },
    }),
  ]);
  await page.screenshot({ path: test.info().outputPath('simulator.png') });
});

test('switching the employee signs the toolbar in again as that employee', async ({ page, request }) => {
  const frame = await openSimulator(page);
  await expect(frame.getByTestId('session-user')).toHaveText('zhangwei');
  await page.getByTestId('employee-switcher').selectOption('lina');
  await expect(frame.getByTestId('session-user')).toHaveText('lina');
  await expect(frame.getByTestId('agent-config')).toHaveText('agentConfig:ok');
  // lina's own conversation list; her customer 林晓梅 is followed by her too.
  await expect(page.getByTestId(`conversation-${WELL_KNOWN.onlyLina}`)).toBeVisible();
  await expect(page.getByTestId(`conversation-${WELL_KNOWN.channelChat}`)).toBeVisible();
  const client = await emulator(request).client();
  expect(client.userId).toBe('lina');
  await page.getByTestId(`conversation-${WELL_KNOWN.onlyLina}`).click();
  await expect(frame.getByTestId('context-id')).toHaveText(WELL_KNOWN.onlyLina);
});

test('the workbench opens at phone size with the mobile client', async ({ page }) => {
  await page.goto('/simulator');
  await page.getByRole('button', { name: /手机工作台/ }).click();
  const phone = page.getByTestId('phone-frame');
  await expect(phone).toBeVisible();
  const box = await phone.boundingBox();
  expect(box).toMatchObject({ width: 375, height: 667 });
  // Read once the frame has landed on the workbench (it passes through the sign-in redirects first).
  await expect
    .poll(async () => {
      const frame = page.frame({ name: 'wecom-mobile' });
      if (!frame || new URL(frame.url()).pathname !== '/workbench') return '';
      return frame.evaluate(() => navigator.userAgent).catch(() => '');
    })
    .toMatch(/Android.*wxwork\/4\.1/);
});

test.describe('the client context decides what the bridge answers', () => {
  test('no permission', async ({ page, request }) => {
    await setApp(request, { agentId: '1000002', externalContact: false });
    const frame = await openSimulator(page);
    await expect(frame.getByTestId('agent-config')).toHaveText('agentConfig:ok');
    await expect(frame.getByTestId('context-id')).toHaveText('getCurExternalContact:fail no permission');
  });

  test('opened outside a chat', async ({ page, request }) => {
    await setClient(request, { entry: 'normal' });
    const frame = await openSimulator(page);
    await expect(frame.getByTestId('entry')).toHaveText('normal');
    await expect(frame.getByTestId('context-id')).toHaveText(
      'getCurExternalContact:fail without context of external contact',
    );
    await frame.getByTestId('send-message').click();
    await expect(frame.getByTestId('send-result')).toHaveText(
      'sendChatMessage:fail without context of external contact',
    );
  });

  test('calls without the verified signature are refused', async ({ page }) => {
    const frame = await openSimulator(page);
    await expect(frame.getByTestId('agent-config')).toHaveText('agentConfig:ok');
    const inner = page.frame({ name: 'wecom-sidebar' });
    expect(inner).not.toBeNull();
    const answer = await inner!.evaluate(
      () =>
        new Promise<string>((resolve) => {
          type Bridge = { invoke(name: string, args: object, cb: (r: { err_msg: string }) => void): void };
          const bridge = (window as unknown as { WeixinJSBridge: Bridge }).WeixinJSBridge;
          bridge.invoke('getCurExternalContact', { verifySignature: 'forged' }, (r) => resolve(r.err_msg));
        }),
    );
    expect(answer).toBe('getCurExternalContact:fail_nopermission');
  });
});

test.describe('outside the simulator', () => {
  test('a plain browser gets no bridge and the SDK reports it is not inside WeCom', async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => 'WeixinJSBridge' in window)).toBe(false);
    expect(await page.evaluate(() => navigator.userAgent)).not.toMatch(/wxwork\//);
    await page.goto(CHECK);
    await expect(page.getByTestId('is-wecom')).toHaveText('false');
    await expect(page.getByTestId('agent-config')).toHaveText(/not inside WeCom/);
  });

  test.describe('with a WeCom user agent', () => {
    test.use({ userAgent: WECOM_UA });

    test('the bridge installs at top level and keeps the given user agent', async ({ page, request }) => {
      await page.goto(CHECK);
      await expect(page.getByTestId('agent-config')).toHaveText('agentConfig:ok');
      await expect(page.getByTestId('context-id')).toHaveText(WELL_KNOWN.linXiaomei);
      expect(await page.evaluate(() => navigator.userAgent)).toBe(WECOM_UA);
      expect(await counter(request, 'bridge/verify')).toBe(1);
    });
  });
});
