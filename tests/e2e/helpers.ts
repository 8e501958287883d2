/**
 * Shared end-to-end helpers: calls to the demo app's emulator control API (`/wecom-emulator/*`, same origin as the
 * app in demo mode) and the in-client sign-in. Pass Playwright's `request` (or `page.request`, which shares the
 * page's cookies) as the first argument; relative paths resolve against the configured baseURL (the demo app).
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export { WELL_KNOWN } from '../../emulator/seed';

/** A Windows WeCom desktop client user agent; `test.use({ userAgent: WECOM_UA })` makes pages "inside WeCom". */
export const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
  'Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat ColorScheme/Light';

const EMULATOR = '/wecom-emulator';

async function call(
  request: APIRequestContext,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  data?: unknown,
) {
  const res = await request.fetch(`${EMULATOR}${path}`, { method, data });
  expect(res.ok(), `${method} ${EMULATOR}${path} → ${res.status()}`).toBe(true);
  const type = res.headers()['content-type'] ?? '';
  return type.includes('json') ? ((await res.json()) as unknown) : null;
}

/** Everything back to the seed: tokens, tickets, codes, counters, faults, switches, client context, messages. */
export async function resetEmulator(request: APIRequestContext): Promise<void> {
  await call(request, 'POST', '/reset');
}

export interface ClientPatch {
  userId?: string;
  entry?: 'single_chat_tools' | 'group_chat_tools' | 'contact_profile' | 'normal';
  externalUserId?: string;
  chatId?: string;
  /** Which WeCom client the simulator's frames present (user agent and failure wording); null = default. */
  flavour?: 'windows' | 'mac' | 'ios' | 'android' | null;
  /** Per failure (signature, ticket, corpid, agentid, domain, permission), the wording; null clears all. */
  formats?: Record<string, string> | null;
}

/** Sets the simulated WeCom client's context (who is logged in, which chat the toolbar was opened from). */
export async function setClient(request: APIRequestContext, patch: ClientPatch): Promise<void> {
  await call(request, 'POST', '/client', patch);
}

export interface EmulatorSnapshot {
  counters: Record<string, number>;
  faults: unknown[];
  switches: Record<string, boolean>;
  client: {
    userId: string;
    entry: string;
    externalUserId: string | null;
    chatId: string | null;
    flavour: string | null;
    formats: Record<string, string>;
  };
}

export async function emulatorState(request: APIRequestContext): Promise<EmulatorSnapshot> {
  return (await call(request, 'GET', '/state')) as EmulatorSnapshot;
}

/** How often the emulator answered an API since the last reset, e.g. counter(request, 'bridge/verify'). */
export async function counter(request: APIRequestContext, key: string): Promise<number> {
  return (await emulatorState(request)).counters[key] ?? 0;
}

export async function resetCounters(request: APIRequestContext): Promise<void> {
  await call(request, 'POST', '/counters/reset');
}

export async function setSwitches(
  request: APIRequestContext,
  switches: Partial<{
    externalContactForbidden: boolean;
    ipBlocked: boolean;
    invalidSecret: boolean;
    /** The client refuses every agentConfig with this failure. */
    agentConfigFailure: 'signature' | 'ticket' | 'corpid' | 'agentid' | 'domain' | 'client-error' | null;
  }>,
): Promise<void> {
  await call(request, 'POST', '/switches', switches);
}

/** Whether an app is listed in 客户联系 → 可调用应用. */
export async function setApp(
  request: APIRequestContext,
  patch: { agentId: string; externalContact: boolean },
): Promise<void> {
  await call(request, 'POST', '/apps', patch);
}

/** The visible range (可见范围) of the apps in 客户联系: departments, members, tags; `{reset: true}` = whole corp. */
export async function setVisibleRange(
  request: APIRequestContext,
  range: { party?: number[]; user?: string[]; tag?: number[]; reset?: boolean },
): Promise<void> {
  await call(request, 'POST', '/visible-range', range);
}

/** Whether a member has the 客户联系 feature. */
export async function setEmployee(
  request: APIRequestContext,
  patch: { userId: string; externalContact: boolean },
): Promise<void> {
  await call(request, 'POST', '/employees', patch);
}

export interface Fault {
  api: string;
  errcode?: number;
  httpStatus?: number;
  latencyMs?: number;
  drop?: boolean;
  times?: number;
}

export async function addFault(request: APIRequestContext, fault: Fault): Promise<void> {
  await call(request, 'POST', '/faults', fault);
}

export async function clearFaults(request: APIRequestContext): Promise<void> {
  await call(request, 'DELETE', '/faults');
}

/** Current jsapi tickets stop verifying; signatures made with them are rejected by the bridge. */
export async function rotateTickets(request: APIRequestContext): Promise<void> {
  await call(request, 'POST', '/tickets/rotate');
}

export interface BridgeMessage {
  id: string;
  target: { externalUserId?: string; chatId?: string };
  fromUserId: string;
  msgtype: string;
  text?: { content: string };
  news?: { link: string; title: string; desc?: string; imgUrl?: string };
}

/** Messages sent into chats with sendChatMessage (or typed in the simulator). */
export async function bridgeMessages(request: APIRequestContext): Promise<BridgeMessage[]> {
  const data = (await call(request, 'GET', '/bridge/messages')) as
    { messages?: BridgeMessage[] } | BridgeMessage[];
  return Array.isArray(data) ? data : (data.messages ?? []);
}

/**
 * Signs the page's browser context in as the simulated client's current employee through the in-client OAuth
 * (snsapi_base, silent) and lands on `returnTo`.
 */
export async function loginInClient(page: Page, returnTo = '/'): Promise<void> {
  await page.goto(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}&client=1`);
  await expect(page).toHaveURL((url) => url.pathname === returnTo.split('?')[0]);
}
