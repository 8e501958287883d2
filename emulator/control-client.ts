/**
 * The one typed client of the emulator's control API (`/wecom-emulator/*`): faults, switches, counters, clock,
 * state, the simulated client, its chat messages and the third-party (suite) controls. Unit tests, end-to-end
 * tests, the benchmark and the demo simulator all use it, each over its own transport (HTTP like every other
 * client of the emulator; it imports nothing but types).
 *
 * @example
 * const emu = emulatorControl('http://127.0.0.1:4100');
 * await emu.reset();
 * await emu.fault({ api: 'gettoken', errcode: -1, times: 1 });
 * expect((await emu.counters())['gettoken']).toBe(2);
 */
import type { ChatMessage, ClientContext, Fault, Switches, VisibleRange } from './state';
import type { PushRecord } from './suite';

export type { ChatMessage, ClientContext, ClientEntry, Fault, Switches } from './state';

/** Sends one control request (`path` below `/wecom-emulator`) and answers its JSON; throws unless it is 2xx. */
export type ControlTransport = (
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<unknown>;

export interface EmulatorState {
  counters: Record<string, number>;
  faults: Fault[];
  switches: Switches;
  client: ClientContext;
  /** The emulator's clock (ms), moved by `advanceClock`. */
  now: number;
}

export interface EmulatorEmployee {
  userid: string;
  name: string;
  position?: string;
  role?: string;
  department?: number[];
  avatar: string;
  externalContact?: boolean;
}

export type EmulatorConversation =
  | {
      kind: 'single';
      externalUserId: string;
      name: string;
      remark?: string;
      avatar?: string;
      type?: number;
      corpName?: string | null;
    }
  | { kind: 'group'; chatId: string; name: string; memberCount: number; owner?: string; avatar?: string };

export interface SuiteCorpState {
  corpId: string;
  name: string;
  authorized: boolean;
  agentId: string | null;
  userId: string | null;
}

export interface SuiteState {
  suiteId: string;
  callbackUrl: string | null;
  dataCallbackUrl: string | null;
  /** The corp the simulated client is signed in to. */
  clientCorpId: string;
  timer: boolean;
  corps: SuiteCorpState[];
  tickets: number;
  pushes: number;
}

/** What a push to the app's callback URL did (the app's HTTP status and body, and what was sent). */
export type PushResult = PushRecord;

export interface PendingMassMessage {
  msgid: string;
  chatType: 'single' | 'group';
  createdAt: number;
  text: { content: string } | null;
  attachments: { msgtype: string }[];
  /** external_userids or chat ids. */
  targets: string[];
}

export interface BridgeVerifyResult {
  ok: boolean;
  errMsg?: string;
}

/** Over fetch, against the emulator's origin (the standalone emulator, or a demo app that mounts it). */
/** A change of the simulated client; the emulator checks each value (null clears the flavour or the formats). */
export type ClientPatch = Partial<Omit<ClientContext, 'flavour' | 'formats'>> & {
  flavour?: string | null;
  formats?: Record<string, string | null | undefined> | null;
};

export function fetchTransport(baseUrl: string, fetchImpl: typeof fetch = fetch): ControlTransport {
  const root = `${baseUrl.replace(/\/+$/, '')}/wecom-emulator`;
  return async (method, path, body) => {
    const res = await fetchImpl(`${root}${path}`, {
      method,
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path} → HTTP ${res.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
}

export function emulatorControl(target: string | ControlTransport) {
  const call = typeof target === 'string' ? fetchTransport(target) : target;
  const get = <T>(path: string) => call('GET', path) as Promise<T>;
  const post = <T = unknown>(path: string, body: unknown = {}) => call('POST', path, body) as Promise<T>;
  const done = async (p: Promise<unknown>) => void (await p);

  return {
    health: () => get<{ ok: boolean }>('/health'),
    state: () => get<EmulatorState>('/state'),
    /** Everything back to the seed: tokens, tickets, codes, counters, faults, switches, client, messages, clock. */
    reset: () => done(post('/reset')),

    /** How often the emulator answered each API (counter key: the cgi path, e.g. `gettoken`, `bridge/verify`). */
    counters: async () => ({ ...(await get<EmulatorState>('/state')).counters }),
    counter: async (key: string) => (await get<EmulatorState>('/state')).counters[key] ?? 0,
    resetCounters: () => done(post('/counters/reset')),

    /** Makes an API fail (errcode, HTTP status, latency, dropped connection), `times` times or until cleared. */
    fault: (fault: Fault) => done(post('/faults', fault)),
    faults: async () => (await get<{ faults: Fault[] }>('/faults')).faults,
    clearFaults: () => done(call('DELETE', '/faults')),
    switches: (switches: Partial<Switches>) => done(post('/switches', switches)),
    /** Whether an app is listed in 客户联系 → 可调用应用. */
    setApp: (patch: { agentId: string; externalContact?: boolean; name?: string }) =>
      done(post('/apps', patch)),
    /** Whether a member has the 客户联系 feature. */
    setEmployee: (patch: { userId: string; externalContact: boolean }) => done(post('/employees', patch)),
    revokeTokens: () => done(post('/tokens/revoke')),
    /** Adds a trusted domain (可信域名, a host with its port) the app's pages may be served from. */
    trustDomain: (host: string) => done(post('/trusted-domains', { host })),
    rotateTickets: () => done(post('/tickets/rotate')),

    /** The self-built app's callback URL (接收消息) that change events are pushed to; `url: null` removes it. */
    setCallback: (callback: {
      url: string | null;
      token?: string;
      encodingAesKey?: string;
      agentId?: string;
    }) => done(post('/callbacks', callback)),
    /** A person changes data in WeCom (emulator/crm-control.ts actions), which pushes change events to the app. */
    crmAction: (action: string, body: Record<string, unknown>) =>
      post<{ ok: boolean; event?: string; pushes: PushResult[]; [key: string]: unknown }>(
        `/crm/${action}`,
        body,
      ),
    /** The app's visible range (可见范围) and what WeCom answers outside it; `reset` restores the whole corp. */
    setVisibleRange: (range: Partial<VisibleRange> & { reset?: boolean }) =>
      done(post('/visible-range', range)),
    /** The last requests the emulated model endpoint received (the assistant's prompts). */
    llmRequests: async () =>
      (
        await get<{ requests: { model?: string; messages: { role: string; content: string }[] }[] }>(
          '/llm/requests',
        )
      ).requests,

    now: async () => (await get<{ now: number }>('/clock')).now,
    advanceClock: async (ms: number) => (await post<{ now: number }>('/clock', { advanceMs: ms })).now,

    /** The simulated WeCom client: who is signed in, which chat the toolbar was opened from. */
    client: () => get<ClientContext>('/client'),
    setClient: (patch: ClientPatch) => post<ClientContext>('/client', patch),
    employees: () => get<{ employees: EmulatorEmployee[]; current: string }>('/employees'),
    conversations: (userId?: string) =>
      get<{ employee: EmulatorEmployee; conversations: EmulatorConversation[] }>(
        `/conversations${userId ? `?userId=${encodeURIComponent(userId)}` : ''}`,
      ),
    /** What was sent into chats (the sidebar's sendChatMessage, and the simulator's own messages). */
    messages: async (filter: { externalUserId?: string; chatId?: string } = {}) => {
      const qs = new URLSearchParams(filter as Record<string, string>).toString();
      return (await get<{ messages: ChatMessage[] }>(`/bridge/messages${qs ? `?${qs}` : ''}`)).messages;
    },
    postMessage: (message: Omit<ChatMessage, 'id' | 'createdAt'>) => done(post('/bridge/messages', message)),
    /** 群发助手: mass-message tasks waiting for a member's confirmation, and the member confirming one. */
    pendingMassMessages: async (userId: string) =>
      (await get<{ pending: PendingMassMessage[] }>(`/mass-messages?userid=${encodeURIComponent(userId)}`))
        .pending,
    confirmMassMessage: (msgid: string, userId: string) =>
      post<{ ok: boolean; sent: number }>('/mass-messages/confirm', { msgid, userid: userId }),
    clearMessages: () => done(call('DELETE', '/bridge/messages')),
    /** What the JS bridge asks when the page calls ww.register (a signature check). */
    verify: (body: Record<string, unknown>) => post<BridgeVerifyResult>('/bridge/verify', body),
    domainVerification: () => get<{ fileName: string; content: string }>('/domain-verification'),

    /** The third-party (服务商) side: the provider console, installs and pushes. */
    suite: {
      state: () => get<SuiteState>('/suite/state'),
      config: (config: {
        callbackUrl?: string | null;
        dataCallbackUrl?: string | null;
        pushTicket?: boolean;
        installDemoCorps?: boolean;
      }) => post<SuiteState & { ok: boolean }>('/suite/config', config),
      pushTicket: () => post<PushResult>('/suite/push-ticket'),
      /** The provider console's URL check: a GET with an echostr encrypted for the provider corpid. */
      verifyUrl: (target: 'callback' | 'data') =>
        post<{ ok: boolean; receiveId?: string; [key: string]: unknown }>('/suite/verify-url', { target }),
      /** The next `loseAnswers` answers to pushes are lost on the way back (WeCom then retries). */
      pushFaults: (faults: { loseAnswers: number }) => done(post('/suite/push-faults', faults)),
      /** As if no push had arrived for 30 minutes and the suite token ran out. */
      expire: () => done(post('/suite/expire')),
      install: (corpId: string, state?: string) => post<PushResult>('/suite/install', { corpId, state }),
      changeAuth: (corpId: string) => post<PushResult>('/suite/change-auth', { corpId }),
      cancelAuth: (corpId: string) => post<PushResult>('/suite/cancel-auth', { corpId }),
      resetPermanentCode: (corpId: string) => post<PushResult>('/suite/reset-permanent-code', { corpId }),
      dataEvent: (event: { corpId: string; changeType?: string; userId?: string; externalUserId?: string }) =>
        post<PushResult>('/suite/data-event', event),
      /** Signs the simulated client in to another corp. */
      setClientCorp: (corpId: string) => post<SuiteState & { ok: boolean }>('/suite/client', { corpId }),
    },
  };
}

export type EmulatorControl = ReturnType<typeof emulatorControl>;
