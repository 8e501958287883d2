import {
  APPS,
  CORP_ID,
  CORP_NAME,
  CUSTOMERS,
  DEFAULT_CLIENT,
  DEPARTMENTS,
  EMPLOYEES,
  GROUP_CHATS,
  TAG_GROUPS,
  type SeedApp,
  type SeedCustomer,
  type SeedDepartment,
  type SeedEmployee,
  type SeedGroupChat,
  type SeedTagGroup,
} from './seed';
import { createMassState, type MassState } from './massmsg';
import type { AgentConfigFailure, ClientFlavour, ReplyFormats } from './bridge-replies';

export const TOKEN_TTL_MS = 7200_000;
export const TICKET_TTL_MS = 7200_000;
export const CODE_TTL_MS = 300_000;
export const USER_TICKET_TTL_MS = 1800_000;
export const HOUR_MS = 3600_000;
export const CORP_TICKET_BUDGET = 400;
export const APP_TICKET_BUDGET = 100;
/** Failed gettoken calls from one IP within an hour before WeCom bans that IP for an hour. */
export const GETTOKEN_FAILURE_BUDGET = 2000;

/** Where the page was opened from (getContext); chat_attachment = a chat's attachment bar (聊天附件栏), any chat. */
export type ClientEntry =
  'single_chat_tools' | 'group_chat_tools' | 'contact_profile' | 'chat_attachment' | 'normal';

export interface ClientContext {
  userId: string;
  entry: ClientEntry;
  externalUserId: string | null;
  chatId: string | null;
  /** Which client the page runs in (user agent and reply wording); null = Windows, or Android in the phone frame. */
  flavour: ClientFlavour | null;
  /** The client's version (in its user agent, `wxwork/4.1.22`); null = the default, 4.1.22. */
  version: string | null;
  /** Per failure, the wording to answer with regardless of the flavour. */
  formats: ReplyFormats;
}

export interface Fault {
  api: string;
  errcode?: number;
  httpStatus?: number;
  latencyMs?: number;
  drop?: boolean;
  /** Remaining applications; undefined = until cleared. */
  times?: number;
}

export interface Switches {
  externalContactForbidden: boolean;
  ipBlocked: boolean;
  invalidSecret: boolean;
  /** The client refuses every agentConfig with this failure (whatever the signature). */
  agentConfigFailure: AgentConfigFailure | null;
}

/**
 * The app's visible range (可见范围), as set in the admin console: departments (with their sub-departments), members
 * and tags. It applies to the apps in 客户联系 (the product's app, and a third-party app's agent); other apps see
 * the whole corp. Members outside it are left out of follow_user, get 60011/60111 from user/get, and cannot be
 * signed in with snsapi_privateinfo (50002); the emulated client refuses them too.
 */
export interface VisibleRange {
  party: number[];
  user: string[];
  tag: number[];
  /** What externalcontact/get answers when none of a customer's followers is in range. */
  customerErrcode: 40096 | 60011;
  /** What user/get answers for a member outside the range. */
  memberErrcode: 60011 | 60111;
}

export const WHOLE_CORP: VisibleRange = {
  party: [1],
  user: [],
  tag: [],
  customerErrcode: 40096,
  memberErrcode: 60011,
};

export interface TokenRecord {
  agentId: string;
  expiresAt: number;
  revoked: boolean;
  /** A corp token of a third-party app (service/get_corp_token): WeCom withholds member names from it. */
  thirdParty?: boolean;
}

export interface TicketRecord {
  ticket: string;
  expiresAt: number;
}

export interface CodeRecord {
  userId: string;
  /** A visitor from outside the corp (OAuth by a non-member): getuserinfo answers openid instead of userid. */
  visitor?: { openId: string; externalUserId: string | null };
  agentId: string | null;
  kind: 'snsapi_base' | 'snsapi_privateinfo' | 'web_login';
  redirectHost: string;
  expiresAt: number;
  used: boolean;
}

export interface UserTicketRecord {
  userId: string;
  agentId: string | null;
  expiresAt: number;
}

export interface Budget {
  windowStart: number;
  count: number;
  /** Set when the budget trips: 45009 until then, 60 minutes from that moment (DOC 90454: hour window → 60 min). */
  blockedUntil?: number;
}

export interface ChatMessage {
  id: string;
  target: { externalUserId?: string; chatId?: string };
  fromUserId: string;
  msgtype: string;
  text?: { content: string };
  news?: { link: string; title: string; desc?: string; imgUrl?: string };
  /** image / video / file / miniprogram payloads as the client received them. */
  [payload: string]: unknown;
  createdAt: number;
}

/** The self-built app's 接收消息 settings in the admin console (URL, Token, EncodingAESKey). */
export interface AppCallback {
  url: string;
  token: string;
  encodingAesKey: string;
}

/** One event push to an app's callback URL, as the emulator sent it. */
export interface EventPush {
  at: number;
  agentId: string;
  event: string;
  changeType: string;
  status: number;
  body: string;
  ok: boolean;
  /** How many times it was sent (1 + retries). */
  attempts?: number;
  sent?: { url: string; body: string };
}

export interface EmulatorState {
  corp: { corpId: string; name: string };
  apps: SeedApp[];
  departments: SeedDepartment[];
  employees: SeedEmployee[];
  customers: SeedCustomer[];
  groupChats: SeedGroupChat[];
  tagGroups: SeedTagGroup[];
  /** Emulator time = base clock + offset (moved by POST /clock). */
  clockOffsetMs: number;
  /** Seed time, from which the seed's "days ago" are counted. */
  seededAt: number;
  tokens: Map<string, TokenRecord>;
  currentToken: Map<string, string>;
  corpTicket: TicketRecord | null;
  agentTickets: Map<string, TicketRecord>;
  corpBudget: Budget;
  appBudgets: Map<string, Budget>;
  /** Failed gettoken calls per caller IP: too many in an hour bans the IP for an hour (45009). */
  gettokenFailures: Map<string, Budget>;
  codes: Map<string, CodeRecord>;
  userTickets: Map<string, UserTicketRecord>;
  counters: Record<string, number>;
  faults: Fault[];
  switches: Switches;
  client: ClientContext;
  messages: ChatMessage[];
  /** The last requests to the emulated chat-completions model (emulator/llm.ts), oldest first. */
  llmRequests: Array<{ at: number; messages: Array<{ role: string; content: string }> }>;
  /** Callback settings per agentid; kept across resets (they are console settings, not corp data). */
  appCallbacks: Record<string, AppCallback>;
  /** Newest first, at most 50. */
  eventPushes: EventPush[];
  /** Test fault for pushes: the next N answers are lost on their way back (so WeCom retries). */
  pushFaults: { loseAnswers: number };
  /** Temporary media and mass messages (群发). */
  mass: MassState;
  visibleRange: VisibleRange;
  /** When set, OAuth signs in a visitor from outside the corp: auth/getuserinfo answers openid (+ external_userid). */
  oauthVisitor: { externalUserId: string | null } | null;
}

export function createState(now: number): EmulatorState {
  return {
    corp: { corpId: CORP_ID, name: CORP_NAME },
    apps: structuredClone(APPS),
    departments: structuredClone(DEPARTMENTS),
    employees: structuredClone(EMPLOYEES),
    customers: structuredClone(CUSTOMERS),
    groupChats: structuredClone(GROUP_CHATS),
    tagGroups: structuredClone(TAG_GROUPS),
    clockOffsetMs: 0,
    seededAt: now,
    tokens: new Map(),
    currentToken: new Map(),
    corpTicket: null,
    agentTickets: new Map(),
    corpBudget: { windowStart: now, count: 0 },
    appBudgets: new Map(),
    gettokenFailures: new Map(),
    codes: new Map(),
    userTickets: new Map(),
    counters: {},
    faults: [],
    switches: {
      externalContactForbidden: false,
      ipBlocked: false,
      invalidSecret: false,
      agentConfigFailure: null,
    },
    client: { ...DEFAULT_CLIENT, formats: {} },
    messages: [],
    llmRequests: [],
    appCallbacks: {},
    eventPushes: [],
    pushFaults: { loseAnswers: 0 },
    mass: createMassState(),
    visibleRange: structuredClone(WHOLE_CORP),
    oauthVisitor: null,
  };
}

/** Whether a member is inside the visible range of the app `agentId` (apps outside 客户联系 see everyone). */
export function inVisibleRange(state: EmulatorState, userId: string, agentId?: string): boolean {
  const app = agentId === undefined ? undefined : state.apps.find((a) => a.agentId === agentId);
  if (app && !app.externalContact) return true;
  const range = state.visibleRange;
  if (range.user.includes(userId)) return true;
  const e = state.employees.find((x) => x.userid === userId);
  if (!e) return false;
  const parents = new Map(state.departments.map((d) => [d.id, d.parentid]));
  return e.department.some((dept) => {
    for (let d: number | undefined = dept, hops = 0; d !== undefined && d !== 0 && hops < 32; hops++) {
      if (range.party.includes(d)) return true;
      d = parents.get(d);
    }
    return false;
  });
}

/** Userids of the members inside the visible range (in seed order). */
export function visibleMembers(state: EmulatorState): string[] {
  return state.employees.filter((e) => inVisibleRange(state, e.userid)).map((e) => e.userid);
}

/**
 * Replaces every field of `target` with a fresh seed (keeps the object identity that callers hold).
 * jsapi tickets already handed out stay valid until they expire or are rotated: the app under test caches them,
 * as it must with real WeCom where nothing else invalidates a ticket, and its only recovery from a stale ticket
 * is a rate-limited refresh. Rotation is explicit (POST /tickets/rotate).
 */
export function resetState(target: EmulatorState, now: number): void {
  const { corpTicket, agentTickets, appCallbacks } = target;
  Object.assign(target, createState(now));
  target.corpTicket = corpTicket;
  target.agentTickets = agentTickets;
  target.appCallbacks = appCallbacks;
}
