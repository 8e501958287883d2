/**
 * Shared end-to-end helpers: calls to the demo app's emulator control API (`/wecom-emulator/*`, same origin as the
 * app in demo mode) and the in-client sign-in. Pass Playwright's `request` (or `page.request`, which shares the
 * page's cookies) as the first argument; relative paths resolve against the configured baseURL (the demo app).
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

import {
  emulatorControl,
  type ChatMessage,
  type ClientPatch,
  type ControlTransport,
  type EmulatorControl,
  type Fault,
  type Switches,
} from '../../emulator/control-client';

export { WELL_KNOWN } from '../../emulator/seed';

/** A Windows WeCom desktop client user agent; `test.use({ userAgent: WECOM_UA })` makes pages "inside WeCom". */
export const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
  'Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat ColorScheme/Light';

/**
 * The emulator's control client (emulator/control-client.ts) over Playwright's request context, so that calls share
 * its baseURL; `base` points it at another origin (the third-party demo, the standalone emulator).
 */
export function emulator(request: APIRequestContext, base = ''): EmulatorControl {
  const transport: ControlTransport = async (method, path, data) => {
    const url = `${base}/wecom-emulator${path}`;
    const res = await request.fetch(url, { method, data });
    expect(res.ok(), `${method} ${url} → ${res.status()}`).toBe(true);
    const type = res.headers()['content-type'] ?? '';
    return type.includes('json') ? ((await res.json()) as unknown) : null;
  };
  return emulatorControl(transport);
}

export type { ClientPatch };

/** Everything back to the seed: tokens, tickets, codes, counters, faults, switches, client context, messages. */
export const resetEmulator = (request: APIRequestContext) => emulator(request).reset();

/** Sets the simulated WeCom client's context (who is logged in, which chat the toolbar was opened from). */
export const setClient = (request: APIRequestContext, patch: ClientPatch) =>
  emulator(request).setClient(patch);

export const emulatorState = (request: APIRequestContext) => emulator(request).state();

/** How often the emulator answered an API since the last reset, e.g. counter(request, 'bridge/verify'). */
export const counter = (request: APIRequestContext, key: string) => emulator(request).counter(key);

export const resetCounters = (request: APIRequestContext) => emulator(request).resetCounters();

export const setSwitches = (request: APIRequestContext, switches: Partial<Switches>) =>
  emulator(request).switches(switches);

/** Whether an app is listed in 客户联系 → 可调用应用. */
export const setApp = (request: APIRequestContext, patch: { agentId: string; externalContact: boolean }) =>
  emulator(request).setApp(patch);

/** The visible range (可见范围) of the apps in 客户联系: departments, members, tags; `{reset: true}` = whole corp. */
export const setVisibleRange = (
  request: APIRequestContext,
  range: Parameters<EmulatorControl['setVisibleRange']>[0],
) => emulator(request).setVisibleRange(range);

/** Whether a member has the 客户联系 feature. */
export const setEmployee = (
  request: APIRequestContext,
  patch: { userId: string; externalContact: boolean },
) => emulator(request).setEmployee(patch);

export const addFault = (request: APIRequestContext, fault: Fault) => emulator(request).fault(fault);

export const clearFaults = (request: APIRequestContext) => emulator(request).clearFaults();

/** Current jsapi tickets stop verifying; signatures made with them are rejected by the bridge. */
export const rotateTickets = (request: APIRequestContext) => emulator(request).rotateTickets();

/** Messages sent into chats with sendChatMessage (or typed in the simulator). */
export const bridgeMessages = (request: APIRequestContext): Promise<ChatMessage[]> =>
  emulator(request).messages();

/**
 * Signs the page's browser context in as the simulated client's current employee through the in-client OAuth
 * (snsapi_base, silent) and lands on `returnTo`.
 */
export async function loginInClient(page: Page, returnTo = '/'): Promise<void> {
  await page.goto(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}&client=1`);
  await expect(page).toHaveURL((url) => url.pathname === returnTo.split('?')[0]);
}
