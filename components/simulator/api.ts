// The simulator talks only to the emulator's control API (same origin, demo mode) and to /api/auth/logout.

export const EMULATOR = '/wecom-emulator';

export type Entry = 'single_chat_tools' | 'group_chat_tools' | 'contact_profile' | 'normal';

export interface Employee {
  userId: string;
  name: string;
  avatar?: string;
  position?: string;
}

export type Conversation =
  | {
      kind: 'single';
      externalUserId: string;
      name: string;
      remark?: string;
      avatar?: string;
      type?: number;
      corpName?: string;
    }
  | { kind: 'group'; chatId: string; name: string; memberCount?: number; avatar?: string };

export interface ClientState {
  userId: string;
  entry: Entry | string;
  externalUserId?: string | null;
  chatId?: string | null;
  /** windows | mac | ios | android; null = Windows (Android in the phone frame). */
  flavour?: string | null;
  /** Per failure, how the client words it (null clears). */
  formats?: Record<string, string | null>;
}

export interface AppFlags {
  agentId: string;
  name: string;
  externalContact: boolean;
}

/** Whether the simulated member is inside the visible range of the apps in 客户联系. */
export async function fetchClientInRange(): Promise<boolean> {
  const data = await request<{ clientInRange?: boolean }>(`${EMULATOR}/visible-range`);
  return data.clientInRange !== false;
}

/** Out of range: the whole corp but the member; back in: the whole corp again. */
export async function setClientInRange(
  inRange: boolean,
  userId: string,
  everyone: string[],
): Promise<unknown> {
  return post(
    `${EMULATOR}/visible-range`,
    inRange ? { reset: true } : { party: [], tag: [], user: everyone.filter((u) => u !== userId) },
  );
}

export async function fetchApps(): Promise<AppFlags[]> {
  const data = await request<{ apps?: AppFlags[] }>(`${EMULATOR}/apps`);
  return data.apps ?? [];
}

export function setApp(patch: Partial<AppFlags> & { agentId: string }): Promise<unknown> {
  return post(`${EMULATOR}/apps`, patch);
}

export async function fetchEmployeeFlags(): Promise<Array<{ userId: string; externalContact: boolean }>> {
  const data = await request<{ employees?: Json[] }>(`${EMULATOR}/employees`);
  return (data.employees ?? []).map((e) => ({
    userId: str(e.userid) ?? str(e.userId) ?? '',
    externalContact: e.externalContact !== false,
  }));
}

export function setEmployee(patch: { userId: string; externalContact: boolean }): Promise<unknown> {
  return post(`${EMULATOR}/employees`, patch);
}

export async function fetchSwitches(): Promise<{ agentConfigFailure?: string | null }> {
  return request(`${EMULATOR}/switches`);
}

export function setSwitches(patch: Record<string, unknown>): Promise<unknown> {
  return post(`${EMULATOR}/switches`, patch);
}

export interface ChatMessage {
  id: string;
  target: { externalUserId?: string; chatId?: string };
  fromUserId?: string;
  fromName?: string;
  msgtype: string;
  text?: { content: string };
  news?: { link?: string; title?: string; desc?: string; imgUrl?: string };
  createdAt?: number | string;
}

type Json = Record<string, unknown>;

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { cache: 'no-store', credentials: 'same-origin', ...init });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → HTTP ${res.status}`);
  return (await res.json()) as T;
}

function post<T>(path: string, body?: unknown): Promise<T> {
  return request<T>(path, {
    method: 'POST',
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function toEmployee(raw: Json): Employee {
  return {
    userId: str(raw.userId) ?? str(raw.userid) ?? '',
    name: str(raw.name) ?? str(raw.userId) ?? str(raw.userid) ?? '',
    avatar: str(raw.avatar),
    position: str(raw.position) ?? str(raw.role),
  };
}

export async function fetchEmployees(): Promise<Employee[]> {
  const data = await request<Json | Json[]>(`${EMULATOR}/employees`);
  const list = Array.isArray(data) ? data : ((data.employees as Json[] | undefined) ?? []);
  return list.map(toEmployee).filter((e) => e.userId);
}

export async function fetchConversations(userId: string): Promise<Conversation[]> {
  const data = await request<Json>(`${EMULATOR}/conversations?userId=${encodeURIComponent(userId)}`);
  const list = (data.conversations as Json[] | undefined) ?? [];
  return list.flatMap((c): Conversation[] => {
    if (c.kind === 'group' && str(c.chatId)) {
      return [
        {
          kind: 'group',
          chatId: c.chatId as string,
          name: str(c.name) ?? '群聊',
          memberCount: typeof c.memberCount === 'number' ? c.memberCount : undefined,
          avatar: str(c.avatar),
        },
      ];
    }
    if (c.kind === 'single' && str(c.externalUserId)) {
      return [
        {
          kind: 'single',
          externalUserId: c.externalUserId as string,
          name: str(c.name) ?? '客户',
          remark: str(c.remark),
          avatar: str(c.avatar),
          type: typeof c.type === 'number' ? c.type : undefined,
          corpName: str(c.corpName) ?? str(c.corp_name),
        },
      ];
    }
    return [];
  });
}

export async function fetchClient(): Promise<ClientState> {
  const data = await request<Json>(`${EMULATOR}/client`);
  return ((data.client as Json | undefined) ?? data) as unknown as ClientState;
}

export function setClient(patch: Partial<ClientState>): Promise<unknown> {
  return post(`${EMULATOR}/client`, patch);
}

export async function fetchMessages(): Promise<ChatMessage[]> {
  const data = await request<Json | Json[]>(`${EMULATOR}/bridge/messages`);
  const list = Array.isArray(data) ? data : ((data.messages as Json[] | undefined) ?? []);
  return list as unknown as ChatMessage[];
}

export function postMessage(message: Omit<ChatMessage, 'id' | 'createdAt' | 'fromName'>): Promise<unknown> {
  return post(`${EMULATOR}/bridge/messages`, message);
}

/** Ends the app session so the next sidebar load logs in again as the simulated client's employee. */
export async function logoutApp(): Promise<void> {
  try {
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
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

export interface SuiteCorp {
  corpId: string;
  name: string;
  authorized: boolean;
}

/** Third-party demo: the corps that can install the app and the one the simulated client is signed in to. */
export async function fetchSuiteCorps(): Promise<{ clientCorpId: string; corps: SuiteCorp[] }> {
  const data = await request<Json>(`${EMULATOR}/suite/state`);
  const corps = ((data.corps as Json[] | undefined) ?? []).map((c) => ({
    corpId: str(c.corpId) ?? '',
    name: str(c.name) ?? '',
    authorized: c.authorized === true,
  }));
  return { clientCorpId: str(data.clientCorpId) ?? '', corps };
}

export function setClientCorp(corpId: string): Promise<unknown> {
  return post(`${EMULATOR}/suite/client`, { corpId });
}
