import {
  emulatorControl,
  type ChatMessage,
  type ClientContext,
  type ClientPatch,
  type EmulatorConversation,
  type PendingMassMessage,
  type SuiteCorpState,
} from '@/emulator/control-client';
import { api } from '@/lib/api-client';

// The simulator talks only to the emulator's control API (same origin, demo mode) and to /api/auth/logout.
const emulator = emulatorControl((method, path, body) => {
  const url = `/wecom-emulator${path}`;
  if (method === 'GET') return api.get(url);
  return method === 'POST' ? api.post(url, body) : api.del(url);
});

export type { ChatMessage, PendingMassMessage, SuiteCorpState as SuiteCorp };
export type ClientState = ClientContext;
export type Conversation = EmulatorConversation;

export interface Employee {
  userId: string;
  name: string;
  avatar?: string;
  position?: string;
}

export interface AppFlags {
  agentId: string;
  name: string;
  externalContact: boolean;
}

const EMULATOR = '/wecom-emulator';

/** Whether the simulated member is inside the visible range of the apps in 客户联系. */
export async function fetchClientInRange(): Promise<boolean> {
  const data = await api.get<{ clientInRange?: boolean }>(`${EMULATOR}/visible-range`);
  return data.clientInRange !== false;
}

/** Out of range: the whole corp but the member; back in: the whole corp again. */
export function setClientInRange(inRange: boolean, userId: string, everyone: string[]): Promise<void> {
  return emulator.setVisibleRange(
    inRange ? { reset: true } : { party: [], tag: [], user: everyone.filter((u) => u !== userId) },
  );
}

export async function fetchApps(): Promise<AppFlags[]> {
  return (await api.get<{ apps?: AppFlags[] }>(`${EMULATOR}/apps`)).apps ?? [];
}

export function setApp(patch: Partial<AppFlags> & { agentId: string }): Promise<unknown> {
  return api.post(`${EMULATOR}/apps`, patch);
}

export async function fetchEmployeeFlags(): Promise<Array<{ userId: string; externalContact: boolean }>> {
  const { employees } = await emulator.employees();
  return employees.map((e) => ({ userId: e.userid, externalContact: e.externalContact !== false }));
}

export function setEmployee(patch: { userId: string; externalContact: boolean }): Promise<unknown> {
  return api.post(`${EMULATOR}/employees`, patch);
}

export const fetchSwitches = () => api.get<{ agentConfigFailure?: string | null }>(`${EMULATOR}/switches`);

export const setSwitches = (patch: Record<string, unknown>) => api.post(`${EMULATOR}/switches`, patch);

export async function fetchEmployees(): Promise<Employee[]> {
  const { employees } = await emulator.employees();
  return employees.map((e) => ({
    userId: e.userid,
    name: e.name,
    avatar: e.avatar,
    position: e.position ?? e.role,
  }));
}

export async function fetchConversations(userId: string): Promise<Conversation[]> {
  return (await emulator.conversations(userId)).conversations;
}

export const fetchClient = () => emulator.client();
export const setClient = (patch: ClientPatch) => emulator.setClient(patch);
export const fetchMessages = () => emulator.messages();
export const postMessage = (message: Omit<ChatMessage, 'id' | 'createdAt'>) => emulator.postMessage(message);
export const fetchPendingMass = (userId: string) => emulator.pendingMassMessages(userId);
export const confirmMass = (msgid: string, userId: string) => emulator.confirmMassMessage(msgid, userId);

/** Third-party demo: the corps that can install the app and the one the simulated client is signed in to. */
export async function fetchSuiteCorps(): Promise<{ clientCorpId: string; corps: SuiteCorpState[] }> {
  const { clientCorpId, corps } = await emulator.suite.state();
  return { clientCorpId, corps };
}

export const setClientCorp = (corpId: string) => emulator.suite.setClientCorp(corpId);

/** Ends the app session so the next sidebar load logs in again as the simulated client's employee. */
export async function logoutApp(): Promise<void> {
  try {
    await api.post('/api/auth/logout');
  } catch {
    // The sidebar then simply keeps the previous session until it expires; nothing to show here.
  }
}

export function conversationKey(c: Conversation): string {
  return c.kind === 'single' ? `single:${c.externalUserId}` : `group:${c.chatId}`;
}

export function clientKey(c: ClientState | undefined): string | undefined {
  if (!c) return undefined;
  if (c.entry === 'group_chat_tools' && c.chatId) return `group:${c.chatId}`;
  if ((c.entry === 'single_chat_tools' || c.entry === 'contact_profile') && c.externalUserId) {
    return `single:${c.externalUserId}`;
  }
  // Opened from the attachment bar of a chat: that chat stays selected.
  if (c.entry === 'chat_attachment') {
    if (c.chatId) return `group:${c.chatId}`;
    if (c.externalUserId) return `single:${c.externalUserId}`;
  }
  return undefined;
}

export function belongsTo(m: ChatMessage, c: Conversation, userId: string): boolean {
  if (c.kind === 'group') return m.target?.chatId === c.chatId;
  // A one-to-one chat is between this employee and the customer; other employees' chats are elsewhere.
  return (
    m.target?.externalUserId === c.externalUserId &&
    (!m.fromUserId || m.fromUserId === userId || m.fromUserId === c.externalUserId)
  );
}
