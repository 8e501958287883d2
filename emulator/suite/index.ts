import { createHash, randomBytes } from 'node:crypto';
import { callerIp, escapeHtml, html, json, notFound, ok, redirect, wecomError } from '../http';
import { AUTH_PUSH_TIMEOUT_MS, deliver, PUSH_TIMEOUT_MS } from '../deliver';
import { onEvent, thirdPartyXml } from '../events';
import { runApi } from '../cgi';
import type { Ctx } from '../context';
import { createState, type EmulatorState } from '../state';
import {
  decryptMessage,
  encryptMessage,
  msgSignature,
  safeEqual,
  sealPush,
  signatureMatches,
} from './crypto';
import {
  AUTH_CODE_TTL_MS,
  CORP_A_INFO,
  CORP_B,
  PRE_AUTH_CODE_TTL_MS,
  SUITE,
  SUITE_TICKET_INTERVAL_MS,
  SUITE_TICKET_TTL_MS,
  SUITE_TOKEN_TTL_MS,
  suiteApp,
  type SeedCorpData,
} from './seed';

/**
 * The emulated third-party (服务商) side of WeCom: suite APIs under /cgi-bin/service/, the install page of
 * open.work.weixin.qq.com, OAuth for the suite, encrypted pushes to the app's instruction and data callback URLs,
 * and a second corp. Corp tokens from get_corp_token are ordinary tokens of that corp's emulated backend.
 */

const TEXT: Record<number, string> = {
  40029: 'invalid code',
  40058: 'invalid param',
  40077: 'invalid pre_auth_code',
  40078: ' invalid auth_code',
  40080: 'invalid suite_secret',
  40082: 'invalid suite_acccess_token or provider_access_token',
  40083: 'invalid suite_id',
  40084: 'invalid permanent_code',
  40085: 'invalid suite_ticket',
  41001: 'access_token missing',
  41025: 'permanent code missing',
  42007: 'pre_auth_code expired',
  42009: 'suite_access_token expired',
  50001: 'redirect_uri unauthorized',
  84014: 'user ticket expired',
  84015: 'invalid user ticket',
};

/** One emulated corp backend: the core emulator's state and handler for that corp. */
export interface CorpBackend {
  state: EmulatorState;
  handle(req: Request, meta?: { ip?: string }): Promise<Response>;
  reset(): void;
}

/** Third-party auth events: WeCom wants their `success` within 1000 ms. */
const AUTH_INFO_TYPES = new Set(['create_auth', 'change_auth', 'cancel_auth', 'reset_permanent_code']);

export interface SuiteHost {
  /** Emulator time (base clock + offset). */
  now(): number;
  publicBaseUrl?: string;
  /** host[:port] list; redirect targets outside it are refused. Empty = allow any. */
  trustedDomains: string[];
  /** The main demo corp (its handler is the emulator itself; only its state is needed here). */
  primary: EmulatorState;
  /** Creates the second corp's backend (a separate emulator instance whose data is replaced). */
  createBackend(): CorpBackend;
  fetch?: typeof fetch;
  /** The emulator's faults (latency, errcodes) for the service APIs too (`service/get_permanent_code` …). */
  applyFaults?: (req: Request, api: string) => Promise<Response | null>;
}

interface Authorization {
  corpId: string;
  permanentCode: string;
  agentId: string;
  authType: 0 | 1;
  authUserId: string;
  state: string;
  installedAt: number;
}

export interface PushRecord {
  at: number;
  target: 'callback' | 'data';
  infoType: string;
  corpId?: string;
  status: number;
  body: string;
  ok: boolean;
  /** How many times it was sent (1 + retries). */
  attempts: number;
  /** What was sent last (tests replay it to check idempotency). */
  sent?: { url: string; body: string };
}

export interface SuiteState {
  tickets: { ticket: string; issuedAt: number }[];
  suiteToken: { token: string; expiresAt: number } | null;
  /** Tokens issued earlier, kept to answer 42009 rather than 40082 once they expired. */
  oldSuiteTokens: Map<string, number>;
  preAuthCodes: Map<string, { expiresAt: number; authType: 0 | 1; used: boolean }>;
  authCodes: Map<
    string,
    { corpId: string; state: string; authType: 0 | 1; expiresAt: number; used: boolean }
  >;
  authorizations: Map<string, Authorization>;
  oauthCodes: Map<string, { corpId: string; userId: string; expiresAt: number; used: boolean; web: boolean }>;
  userTickets: Map<string, { corpId: string; userId: string; expiresAt: number }>;
  /** The corp the simulated client is signed in to (OAuth for the suite uses it). */
  clientCorpId: string;
  callbackUrl: string | null;
  /** Demo wiring: after a reset, push a ticket and install the demo corps again (the app keeps its store). */
  autoInstall: boolean;
  dataCallbackUrl: string | null;
  pushes: PushRecord[];
}

function freshState(): Omit<SuiteState, 'callbackUrl' | 'dataCallbackUrl' | 'autoInstall'> {
  return {
    tickets: [],
    suiteToken: null,
    oldSuiteTokens: new Map(),
    preAuthCodes: new Map(),
    authCodes: new Map(),
    authorizations: new Map(),
    oauthCodes: new Map(),
    userTickets: new Map(),
    clientCorpId: CORP_A_INFO.corpId,
    pushes: [],
  };
}

const rand = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A stable open_userid per (suite, corp, user), like WeCom's service-provider-wide ids. */
export function openUserId(corpId: string, userId: string): string {
  const h = createHash('sha256').update(`${SUITE.providerCorpId}:${corpId}:${userId}`).digest('base64url');
  return `wo${h.replace(/[-_]/g, 'x').slice(0, 30)}`;
}

/** Replaces a freshly created corp state's data with another corp's seed. */
function applyCorpSeed(state: EmulatorState, seed: SeedCorpData): void {
  state.corp = { corpId: seed.corpId, name: seed.name };
  state.apps = structuredClone(seed.apps);
  state.departments = structuredClone(seed.departments);
  state.employees = structuredClone(seed.employees);
  state.customers = structuredClone(seed.customers);
  state.groupChats = structuredClone(seed.groupChats);
  state.tagGroups = structuredClone(seed.tagGroups);
  state.client = {
    userId: seed.defaultUserId,
    entry: 'single_chat_tools',
    externalUserId: seed.defaultExternalUserId,
    chatId: null,
    flavour: null,
    version: null,
    formats: {},
  };
}

interface CorpInfo {
  corpId: string;
  name: string;
  fullName: string;
  adminUserId: string;
  suiteAgentId: string;
}

const CORPS: CorpInfo[] = [
  { ...CORP_A_INFO },
  {
    corpId: CORP_B.corpId,
    name: CORP_B.name,
    fullName: CORP_B.fullName,
    adminUserId: CORP_B.adminUserId,
    suiteAgentId: CORP_B.suiteAgentId,
  },
];

/** Control paths that follow the corp the simulated client is signed in to. */
const CORP_SCOPED = new Set([
  '/wecom-emulator/client',
  '/wecom-emulator/conversations',
  '/wecom-emulator/employees',
  '/wecom-emulator/apps',
  '/wecom-emulator/bridge.js',
  '/wecom-emulator/bridge/messages',
  '/wecom-emulator/visible-range',
]);

export interface SuiteEmulator {
  state: SuiteState;
  /** The second corp's backend (tests may inspect it). */
  corpB: CorpBackend;
  /** Answers suite requests and requests for the second corp; null = not ours. */
  handle(req: Request, meta?: { ip?: string }): Promise<Response | null>;
  reset(): void;
  stop(): void;
  pushSuiteTicket(): Promise<PushRecord>;
}

export function createSuiteEmulator(host: SuiteHost): SuiteEmulator {
  const corpB = host.createBackend();
  applyCorpSeed(corpB.state, CORP_B);
  const state: SuiteState = { ...freshState(), callbackUrl: null, dataCallbackUrl: null, autoInstall: false };
  let timer: ReturnType<typeof setInterval> | null = null;
  const doFetch = host.fetch ?? fetch;

  const now = () => host.now();
  const count = (api: string) => {
    host.primary.counters[api] = (host.primary.counters[api] ?? 0) + 1;
  };
  /** Many more installed corps, for load tests: each a small corp of its own (one member, no customers). */
  const scaleCorps = new Map<string, { info: CorpInfo; state: EmulatorState }>();
  /** Which scale corp a corp token belongs to. */
  const scaleTokens = new Map<string, string>();
  const corpState = (corpId: string): EmulatorState | null =>
    corpId === host.primary.corp.corpId
      ? host.primary
      : corpId === CORP_B.corpId
        ? corpB.state
        : (scaleCorps.get(corpId)?.state ?? null);
  const corpInfo = (corpId: string) =>
    CORPS.find((c) => c.corpId === corpId) ?? scaleCorps.get(corpId)?.info ?? null;

  const fail = (req: Request, errcode: number) => wecomError(errcode, callerIp(req), now(), TEXT[errcode]);

  function syncClock() {
    corpB.state.clockOffsetMs = host.primary.clockOffsetMs;
  }

  // ---- pushes -------------------------------------------------------------------------------------------

  /**
   * One push to the instruction URL (receiveid = suite id) or the data URL (receiveid = the authorizing corp), as
   * WeCom delivers it: the instruction URL must answer exactly `success` (auth events within 1000 ms), the data URL
   * any HTTP 200; otherwise it is sent again, up to three times (deliver()).
   */
  async function push(
    target: 'callback' | 'data',
    message: string,
    meta: { infoType: string; corpId?: string },
  ): Promise<PushRecord> {
    const base = target === 'callback' ? state.callbackUrl : state.dataCallbackUrl;
    const record: PushRecord = { at: now(), target, ...meta, status: 0, body: '', ok: false, attempts: 0 };
    if (!base) {
      record.body = 'no callback URL configured';
    } else {
      const receiveId = target === 'callback' ? SUITE.suiteId : (meta.corpId ?? SUITE.suiteId);
      Object.assign(
        record,
        await deliver({
          doFetch,
          seal: () => {
            const sealed = sealPush(
              { token: SUITE.token, encodingAesKey: SUITE.encodingAesKey, receiveId, toUserName: receiveId },
              message,
              Math.floor(now() / 1000),
            );
            const url = new URL(base.replace('$CORPID$', encodeURIComponent(meta.corpId ?? '')));
            for (const [k, v] of sealed.query) url.searchParams.set(k, v);
            return { url, body: sealed.body };
          },
          accept: (status, body) => status === 200 && (target === 'data' || body === 'success'),
          timeoutMs: AUTH_INFO_TYPES.has(meta.infoType) ? AUTH_PUSH_TIMEOUT_MS : PUSH_TIMEOUT_MS,
          faults: host.primary.pushFaults,
        }),
      );
    }
    state.pushes.unshift(record);
    state.pushes.length = Math.min(state.pushes.length, 50);
    return record;
  }

  /**
   * URL verification as the provider console does it when the URLs are saved: a GET with an echostr encrypted for
   * the provider's corpid on both URLs (the data URL's $CORPID$ is replaced by that corpid too); the URL must
   * answer the plaintext alone.
   */
  async function verifyUrl(target: 'callback' | 'data'): Promise<Record<string, unknown>> {
    const base = target === 'callback' ? state.callbackUrl : state.dataCallbackUrl;
    if (!base) return { ok: false, error: 'no callback URL configured' };
    const receiveId = SUITE.providerCorpId;
    const echo = String(1_000_000_000_000 + (randomBytes(5).readUIntBE(0, 5) % 9_000_000_000_000));
    const echostr = encryptMessage(SUITE.encodingAesKey, echo, receiveId);
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = String(100_000_000 + (randomBytes(4).readUInt32BE(0) % 900_000_000));
    const url = new URL(base.replace('$CORPID$', encodeURIComponent(receiveId)));
    url.searchParams.set('msg_signature', msgSignature(SUITE.token, timestamp, nonce, echostr));
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('echostr', echostr);
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(1000) });
      const body = (await res.text()).slice(0, 200);
      return { ok: res.status === 200 && body === echo, status: res.status, body, receiveId };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : 'unknown', receiveId };
    }
  }

  const ts = () => Math.floor(now() / 1000);

  async function pushSuiteTicket(): Promise<PushRecord> {
    const ticket = rand(48);
    state.tickets.unshift({ ticket, issuedAt: now() });
    state.tickets = state.tickets.filter((t) => now() - t.issuedAt < SUITE_TICKET_TTL_MS).slice(0, 10);
    const xml =
      `<xml><SuiteId><![CDATA[${SUITE.suiteId}]]></SuiteId><InfoType><![CDATA[suite_ticket]]></InfoType>` +
      `<TimeStamp>${ts()}</TimeStamp><SuiteTicket><![CDATA[${ticket}]]></SuiteTicket></xml>`;
    return push('callback', xml, { infoType: 'suite_ticket' });
  }

  // Customer, group and tag changes of an installed corp reach the suite's instruction URL (InfoType + AuthCorpId).
  for (const cs of [host.primary, corpB.state]) {
    onEvent(cs, async (event, at) => {
      const corpId = cs.corp.corpId;
      if (!state.authorizations.has(corpId)) return;
      await push('callback', thirdPartyXml(SUITE.suiteId, corpId, event, at), {
        infoType: event.event,
        corpId,
      });
    });
  }

  function startTimer() {
    if (timer || !state.callbackUrl) return;
    timer = setInterval(() => void pushSuiteTicket(), SUITE_TICKET_INTERVAL_MS);
    timer.unref?.();
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function authEventXml(infoType: string, fields: Record<string, string>): string {
    const inner = Object.entries(fields)
      .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
      .join('');
    return (
      `<xml><SuiteId><![CDATA[${SUITE.suiteId}]]></SuiteId><InfoType><![CDATA[${infoType}]]></InfoType>` +
      `<TimeStamp>${ts()}</TimeStamp>${inner}</xml>`
    );
  }

  // ---- suite credentials ------------------------------------------------------------------------------

  function newAuthCode(corpId: string, stateParam: string, authType: 0 | 1): string {
    const code = rand(48);
    state.authCodes.set(code, {
      corpId,
      state: stateParam,
      authType,
      expiresAt: now() + AUTH_CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** 0 = valid; else the errcode for a missing, unknown or expired suite_access_token. */
  function checkSuiteToken(url: URL): number {
    const token = url.searchParams.get('suite_access_token');
    if (!token) return 41001;
    if (state.suiteToken?.token === token) return state.suiteToken.expiresAt > now() ? 0 : 42009;
    return state.oldSuiteTokens.has(token) ? 42009 : 40082;
  }

  function issueCorpToken(corpId: string, agentId: string): { token: string; expiresIn: number } {
    const cs = corpState(corpId)!;
    const current = cs.currentToken.get(agentId);
    const rec = current ? cs.tokens.get(current) : undefined;
    if (current && rec && !rec.revoked && rec.expiresAt > now()) {
      return { token: current, expiresIn: Math.ceil((rec.expiresAt - now()) / 1000) };
    }
    const token = rand(48);
    cs.tokens.set(token, {
      agentId,
      expiresAt: now() + SUITE_TOKEN_TTL_MS,
      revoked: false,
      thirdParty: true,
    });
    cs.currentToken.set(agentId, token);
    if (scaleCorps.has(corpId)) scaleTokens.set(token, corpId);
    return { token, expiresIn: SUITE_TOKEN_TTL_MS / 1000 };
  }

  function authorize(corpId: string, authType: 0 | 1, stateParam: string): Authorization {
    const info = corpInfo(corpId)!;
    const cs = corpState(corpId)!;
    if (!cs.apps.some((a) => a.agentId === info.suiteAgentId)) cs.apps.push(suiteApp(info.suiteAgentId));
    // A reinstall replaces the permanent code; the old one stops working.
    const auth: Authorization = {
      corpId,
      permanentCode: rand(32),
      agentId: info.suiteAgentId,
      authType,
      authUserId: info.adminUserId,
      state: stateParam,
      installedAt: now(),
    };
    state.authorizations.set(corpId, auth);
    return auth;
  }

  function revokeCorp(corpId: string) {
    const auth = state.authorizations.get(corpId);
    const cs = corpState(corpId);
    if (!auth || !cs) return;
    state.authorizations.delete(corpId);
    for (const rec of cs.tokens.values()) if (rec.agentId === auth.agentId) rec.revoked = true;
    cs.currentToken.delete(auth.agentId);
    cs.apps = cs.apps.filter((a) => a.agentId !== auth.agentId);
  }

  let publicBase = host.publicBaseUrl ?? '';
  function avatarUrl(key: string) {
    return `${publicBase}/wecom-emulator/avatars/${encodeURIComponent(key)}.svg`;
  }

  function authCorpInfo(corpId: string, full: boolean) {
    const info = corpInfo(corpId)!;
    const cs = corpState(corpId)!;
    const base = { corpid: corpId, corp_name: info.name };
    if (!full) return base;
    return {
      ...base,
      corp_type: 'verified',
      corp_square_logo_url: avatarUrl(`corp-${corpId}`),
      corp_user_max: 200,
      corp_full_name: info.fullName,
      verified_end_time: Math.floor(now() / 1000) + 365 * 86400,
      subject_type: 1,
      corp_scale: cs.employees.length < 50 ? '1-50人' : '51-200人',
      corp_industry: 'IT服务',
      corp_sub_industry: '计算机软件/硬件/信息服务',
    };
  }

  function authInfo(auth: Authorization) {
    // The app's visible range in that corp (privilege.allow_*), as the corp's admin set it.
    const range = corpState(auth.corpId)?.visibleRange;
    return {
      agent: [
        {
          agentid: Number(auth.agentId),
          name: SUITE.name,
          round_logo_url: avatarUrl('suite-app'),
          square_logo_url: avatarUrl('suite-app'),
          appid: 1,
          auth_mode: 0,
          is_customized_app: false,
          auth_from_thirdapp: false,
          privilege: {
            level: 1,
            allow_party: range?.party ?? [1],
            allow_user: range?.user ?? [],
            allow_tag: range?.tag ?? [],
            extra_party: [],
            extra_user: [],
            extra_tag: [],
          },
        },
      ],
    };
  }

  function authUserInfo(auth: Authorization) {
    const cs = corpState(auth.corpId)!;
    const emp = cs.employees.find((e) => e.userid === auth.authUserId);
    return {
      userid: auth.authUserId,
      open_userid: openUserId(auth.corpId, auth.authUserId),
      name: auth.authUserId,
      avatar: avatarUrl(emp ? emp.userid : 'unknown'),
    };
  }

  async function readJson(req: Request): Promise<Record<string, unknown> | null> {
    try {
      const body: unknown = await req.json();
      return typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }

  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  // ---- /cgi-bin/service/* ----------------------------------------------------------------------------

  async function serviceApi(req: Request, url: URL, api: string): Promise<Response> {
    count(api);
    const faulted = await host.applyFaults?.(req, api);
    if (faulted) return faulted;
    switch (api) {
      case 'service/get_suite_token': {
        const body = await readJson(req);
        if (req.method !== 'POST' || !body) return fail(req, 40058);
        if (str(body.suite_id) !== SUITE.suiteId) return fail(req, 40083);
        if (!safeEqual(SUITE.suiteSecret, str(body.suite_secret))) return fail(req, 40080);
        const ticket = str(body.suite_ticket);
        const known = state.tickets.find((t) => t.ticket === ticket);
        if (!known || now() - known.issuedAt >= SUITE_TICKET_TTL_MS) return fail(req, 40085);
        if (!state.suiteToken || state.suiteToken.expiresAt <= now()) {
          if (state.suiteToken) state.oldSuiteTokens.set(state.suiteToken.token, state.suiteToken.expiresAt);
          state.suiteToken = { token: rand(48), expiresAt: now() + SUITE_TOKEN_TTL_MS };
        }
        return ok({
          suite_access_token: state.suiteToken.token,
          expires_in: Math.ceil((state.suiteToken.expiresAt - now()) / 1000),
        });
      }
      case 'service/get_pre_auth_code': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const code = rand(48);
        state.preAuthCodes.set(code, { expiresAt: now() + PRE_AUTH_CODE_TTL_MS, authType: 0, used: false });
        return ok({ pre_auth_code: code, expires_in: PRE_AUTH_CODE_TTL_MS / 1000 });
      }
      case 'service/set_session_info': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const body = await readJson(req);
        if (!body) return fail(req, 40058);
        const pre = state.preAuthCodes.get(str(body.pre_auth_code));
        if (!pre || pre.used) return fail(req, 40077);
        if (pre.expiresAt <= now()) return fail(req, 42007);
        const info = body.session_info as { auth_type?: unknown } | undefined;
        const authType = info?.auth_type ?? 0;
        if (authType !== 0 && authType !== 1) return fail(req, 40058);
        pre.authType = authType;
        return ok();
      }
      case 'service/get_permanent_code':
      case 'service/v2/get_permanent_code': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const body = await readJson(req);
        const code = state.authCodes.get(str(body?.auth_code));
        if (!code || code.used || code.expiresAt <= now()) return fail(req, 40078);
        code.used = true;
        const auth = authorize(code.corpId, code.authType, code.state);
        const common = {
          permanent_code: auth.permanentCode,
          auth_user_info: authUserInfo(auth),
          state: auth.state,
        };
        if (api === 'service/v2/get_permanent_code') {
          return ok({ ...common, auth_corp_info: authCorpInfo(auth.corpId, false) });
        }
        const token = issueCorpToken(auth.corpId, auth.agentId);
        return ok({
          access_token: token.token,
          expires_in: token.expiresIn,
          ...common,
          auth_corp_info: authCorpInfo(auth.corpId, true),
          auth_info: authInfo(auth),
        });
      }
      case 'service/get_auth_info':
      case 'service/v2/get_auth_info':
      case 'service/get_corp_token': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const body = await readJson(req);
        if (!body) return fail(req, 40058);
        const corpId = str(body.auth_corpid);
        const permanentCode = str(body.permanent_code);
        if (!permanentCode) return fail(req, 41025);
        const auth = state.authorizations.get(corpId);
        if (!auth || !safeEqual(auth.permanentCode, permanentCode)) return fail(req, 40084);
        if (api === 'service/get_corp_token') {
          const scale = scaleCorps.get(corpId)?.state;
          if (scale) scale.counters[api] = (scale.counters[api] ?? 0) + 1;
          const token = issueCorpToken(corpId, auth.agentId);
          return ok({ access_token: token.token, expires_in: token.expiresIn });
        }
        const corp = authCorpInfo(corpId, true);
        return ok({
          auth_corp_info:
            api === 'service/v2/get_auth_info' ? { ...corp, corp_ex_name: corp.corp_name } : corp,
          auth_info: authInfo(auth),
        });
      }
      case 'service/auth/getuserinfo3rd': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const code = state.oauthCodes.get(url.searchParams.get('code') ?? '');
        if (!code || code.used || code.expiresAt <= now()) return fail(req, 40029);
        code.used = true;
        const base = {
          corpid: code.corpId,
          userid: code.userId,
          open_userid: openUserId(code.corpId, code.userId),
        };
        if (code.web) return ok(base);
        const ticket = rand(48);
        state.userTickets.set(ticket, {
          corpId: code.corpId,
          userId: code.userId,
          expiresAt: now() + 1800_000,
        });
        return ok({ ...base, user_ticket: ticket, expires_in: 7200 });
      }
      case 'service/auth/getuserdetail3rd': {
        const bad = checkSuiteToken(url);
        if (bad) return fail(req, bad);
        const body = await readJson(req);
        const t = state.userTickets.get(str(body?.user_ticket));
        if (!t) return fail(req, 84015);
        if (t.expiresAt <= now()) return fail(req, 84014);
        const emp = corpState(t.corpId)?.employees.find((e) => e.userid === t.userId);
        return ok({
          corpid: t.corpId,
          userid: t.userId,
          // Third-party apps created after 2020-06-30 get the userid instead of the name.
          name: t.userId,
          gender: emp?.gender ?? '0',
          avatar: avatarUrl(t.userId),
          qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${openUserId(t.corpId, t.userId).slice(2, 18)}`,
        });
      }
      default:
        return wecomError(40058, callerIp(req), now(), `invalid param, unknown api ${api}`);
    }
  }

  // ---- install page (open.work.weixin.qq.com/3rdapp/install) --------------------------------------------

  function trusted(redirectUri: string): URL | null {
    let u: URL;
    try {
      u = new URL(redirectUri);
    } catch {
      return null;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (host.trustedDomains.length > 0 && !host.trustedDomains.includes(u.host)) return null;
    return u;
  }

  function page(title: string, body: string, status = 200): Response {
    return html(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>body{font:15px/1.6 system-ui,sans-serif;background:#f2f4f7;margin:0;color:#1f2329}` +
        `main{max-width:460px;margin:48px auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 12px #0001}` +
        `h1{font-size:20px;margin:0 0 8px}.muted{color:#646a73;font-size:13px}.corp{display:flex;align-items:center;justify-content:space-between;` +
        `border:1px solid #dee0e3;border-radius:8px;padding:12px 14px;margin:10px 0}button{background:#0082ef;color:#fff;border:0;` +
        `border-radius:6px;padding:8px 16px;font-size:14px;cursor:pointer}.badge{background:#fff3e0;color:#b26a00;border-radius:4px;` +
        `padding:1px 6px;font-size:12px}.err{color:#d83931}</style></head><body><main>${body}</main></body></html>`,
      status,
    );
  }

  function installError(zh: string, en: string, status = 400): Response {
    return page(
      '授权失败 / Authorization failed',
      `<h1>无法完成授权</h1><p class="err">${escapeHtml(zh)}</p><p class="muted">${escapeHtml(en)}</p>`,
      status,
    );
  }

  async function install(req: Request, url: URL): Promise<Response> {
    let params = url.searchParams;
    if (req.method === 'POST') params = new URLSearchParams(await req.text());
    const suiteId = params.get('suite_id') ?? '';
    const preAuthCode = params.get('pre_auth_code') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    const stateParam = params.get('state') ?? '';
    if (suiteId !== SUITE.suiteId)
      return installError('应用不存在（suite_id 无效）', 'Unknown app (invalid suite_id)');
    const pre = state.preAuthCodes.get(preAuthCode);
    if (!pre || pre.used || pre.expiresAt <= now()) {
      return installError(
        '授权链接已失效，请回到服务商网站重新发起安装（pre_auth_code 无效或已过期）',
        'This install link has expired; start again from the provider site (pre_auth_code invalid or expired)',
      );
    }
    const target = trusted(redirectUri);
    if (!target) {
      return installError(
        '回调地址不在应用的可信域名内（redirect_uri）',
        'The redirect_uri is outside the app’s trusted domains',
      );
    }
    if (pre.authType !== 1) {
      return installError(
        '该应用尚未上线，仅支持测试授权：服务商需先调用 set_session_info 设置 auth_type=1',
        'This app is not published yet; only test authorization works (set_session_info with auth_type=1 first)',
      );
    }
    if (req.method === 'POST') {
      const corpId = params.get('corpid') ?? '';
      if (!corpInfo(corpId)) return installError('请选择要授权的企业', 'Pick the corp to authorize');
      pre.used = true;
      const code = newAuthCode(corpId, stateParam, pre.authType);
      target.searchParams.set('auth_code', code);
      target.searchParams.set('expires_in', String(AUTH_CODE_TTL_MS / 1000));
      target.searchParams.set('state', stateParam);
      return redirect(target.toString());
    }
    const hidden = ['suite_id', 'pre_auth_code', 'redirect_uri', 'state']
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k) ?? '')}">`)
      .join('');
    const corps = CORPS.map((c) => {
      const installed = state.authorizations.has(c.corpId);
      const admin = corpState(c.corpId)?.employees.find((e) => e.userid === c.adminUserId);
      return (
        `<form method="post" action="/3rdapp/install" class="corp">${hidden}` +
        `<input type="hidden" name="corpid" value="${escapeHtml(c.corpId)}"><div><strong>${escapeHtml(c.name)}</strong>` +
        `<div class="muted">${escapeHtml(c.fullName)} · 管理员 ${escapeHtml(admin?.name ?? c.adminUserId)}` +
        `${installed ? ' · 已安装 / installed' : ''}</div></div>` +
        `<button type="submit" data-corpid="${escapeHtml(c.corpId)}">授权 / Authorize</button></form>`
      );
    }).join('');
    return page(
      '企业微信 · 应用授权',
      `<h1>授权安装「${escapeHtml(SUITE.name)}」</h1><p class="muted">Authorize this third-party app for your corp ` +
        `<span class="badge">测试授权 / test</span></p><p>选择要授权的企业 / Pick a corp:</p>${corps}`,
    );
  }

  // ---- OAuth and web login for the suite --------------------------------------------------------------

  function issueOauthCode(corpId: string, userId: string, web: boolean): string {
    const code = rand(48);
    state.oauthCodes.set(code, { corpId, userId, expiresAt: now() + 300_000, used: false, web });
    return code;
  }

  function oauthAuthorize(url: URL): Response {
    const target = trusted(url.searchParams.get('redirect_uri') ?? '');
    if (!target) {
      return installError(
        'redirect_uri 与应用可信域名不一致',
        'redirect_uri does not match the trusted domain',
        400,
      );
    }
    const corpId = state.clientCorpId;
    const cs = corpState(corpId);
    if (!cs || !state.authorizations.has(corpId)) {
      return installError('该企业尚未安装此应用', 'The current corp has not installed this app', 403);
    }
    target.searchParams.set('code', issueOauthCode(corpId, cs.client.userId, false));
    target.searchParams.set('state', url.searchParams.get('state') ?? '');
    return redirect(target.toString());
  }

  function webLogin(req: Request, url: URL): Response {
    const target = trusted(url.searchParams.get('redirect_uri') ?? '');
    if (!target)
      return installError(
        'redirect_uri 与应用可信域名不一致',
        'redirect_uri does not match the trusted domain',
      );
    const pick = url.searchParams.get('pick');
    if (pick) {
      const [corpId = '', userId = ''] = pick.split(':');
      const cs = corpState(corpId);
      if (!cs || !state.authorizations.has(corpId) || !cs.employees.some((e) => e.userid === userId)) {
        return installError('无效的成员', 'Unknown member');
      }
      target.searchParams.set('code', issueOauthCode(corpId, userId, true));
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      return redirect(target.toString());
    }
    const groups = CORPS.filter((c) => state.authorizations.has(c.corpId))
      .map((c) => {
        const people = (corpState(c.corpId)?.employees ?? [])
          .map((e) => {
            const link = new URL(url.toString());
            link.searchParams.set('pick', `${c.corpId}:${e.userid}`);
            return `<div class="corp"><span>${escapeHtml(e.name)} <span class="muted">${escapeHtml(e.position)}</span></span><a href="${escapeHtml(link.pathname + link.search)}"><button type="button">登录</button></a></div>`;
          })
          .join('');
        return `<h2 style="font-size:15px">${escapeHtml(c.name)}</h2>${people}`;
      })
      .join('');
    void req;
    return page(
      '企业微信登录',
      `<h1>企业微信登录</h1><p class="muted">选择成员登录 / Pick a member</p>${groups}`,
    );
  }

  // ---- control API ----------------------------------------------------------------------------------

  function publicState() {
    return {
      suiteId: SUITE.suiteId,
      callbackUrl: state.callbackUrl,
      dataCallbackUrl: state.dataCallbackUrl,
      clientCorpId: state.clientCorpId,
      timer: timer !== null,
      corps: CORPS.map((c) => ({
        corpId: c.corpId,
        name: c.name,
        authorized: state.authorizations.has(c.corpId),
        agentId: state.authorizations.get(c.corpId)?.agentId ?? null,
        userId: corpState(c.corpId)?.client.userId ?? null,
      })),
      tickets: state.tickets.length,
      pushes: state.pushes,
    };
  }

  async function control(req: Request, action: string): Promise<Response> {
    if (action === 'state' && req.method === 'GET') return json(publicState());
    if (action === 'scale-corps' && req.method === 'GET') return json(scaleCounters());
    if (req.method !== 'POST') return notFound();
    const body = (await readJson(req)) ?? {};
    const corpId = str(body.corpId);
    switch (action) {
      case 'config': {
        if ('callbackUrl' in body) state.callbackUrl = str(body.callbackUrl) || null;
        if ('dataCallbackUrl' in body) state.dataCallbackUrl = str(body.dataCallbackUrl) || null;
        if (body.installDemoCorps === true) state.autoInstall = true;
        stop();
        startTimer();
        // Like saving the URLs in the provider console: WeCom pushes a ticket right away.
        if (body.pushTicket === true) await pushSuiteTicket();
        if (body.installDemoCorps === true) await installDemoCorps();
        return json({ ok: true, ...publicState() });
      }
      case 'expire': {
        // As if no push had arrived for 30 minutes and the suite token ran out (without moving the clock).
        for (const t of state.tickets) t.issuedAt = now() - SUITE_TICKET_TTL_MS;
        if (state.suiteToken) state.suiteToken.expiresAt = now();
        return json({ ok: true });
      }
      case 'push-ticket':
        return json(await pushSuiteTicket());
      case 'verify-url': {
        const target = str(body.target) === 'data' ? 'data' : 'callback';
        return json(await verifyUrl(target));
      }
      case 'push-faults': {
        // The next N answers to pushes (instruction, data and self-built callback URLs) are lost on the way back.
        const n = Number(body.loseAnswers ?? 0);
        if (!Number.isInteger(n) || n < 0 || n > 10)
          return json({ ok: false, error: 'loseAnswers is 0-10' }, 400);
        host.primary.pushFaults.loseAnswers = n;
        corpB.state.pushFaults.loseAnswers = n;
        return json({ ok: true, loseAnswers: n });
      }
      case 'install': {
        // Marketplace install: WeCom pushes create_auth with a fresh auth code.
        if (!corpInfo(corpId)) return json({ ok: false, error: 'unknown corpId' }, 400);
        const code = newAuthCode(corpId, str(body.state), 1);
        return json(
          await push('callback', authEventXml('create_auth', { AuthCode: code, State: str(body.state) }), {
            infoType: 'create_auth',
            corpId,
          }),
        );
      }
      case 'change-auth':
        if (!state.authorizations.has(corpId)) return json({ ok: false, error: 'not authorized' }, 400);
        return json(
          await push('callback', authEventXml('change_auth', { AuthCorpId: corpId }), {
            infoType: 'change_auth',
            corpId,
          }),
        );
      case 'cancel-auth':
        if (!state.authorizations.has(corpId)) return json({ ok: false, error: 'not authorized' }, 400);
        revokeCorp(corpId);
        return json(
          await push('callback', authEventXml('cancel_auth', { AuthCorpId: corpId }), {
            infoType: 'cancel_auth',
            corpId,
          }),
        );
      case 'reset-permanent-code': {
        const auth = state.authorizations.get(corpId);
        if (!auth) return json({ ok: false, error: 'not authorized' }, 400);
        const code = newAuthCode(corpId, auth.state, auth.authType);
        return json(
          await push('callback', authEventXml('reset_permanent_code', { AuthCode: code }), {
            infoType: 'reset_permanent_code',
            corpId,
          }),
        );
      }
      case 'data-event': {
        const cs = corpState(corpId);
        if (!cs) return json({ ok: false, error: 'unknown corpId' }, 400);
        const changeType = str(body.changeType) || 'add_external_contact';
        const xml =
          `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
          `<CreateTime>${ts()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
          `<ChangeType><![CDATA[${changeType}]]></ChangeType><UserID><![CDATA[${str(body.userId)}]]></UserID>` +
          `<ExternalUserID><![CDATA[${str(body.externalUserId)}]]></ExternalUserID></xml>`;
        return json(await push('data', xml, { infoType: 'change_external_contact', corpId }));
      }
      case 'scale-corps': {
        const count = Number(body.count);
        if (!Number.isInteger(count) || count < 1 || count > 10_000)
          return json({ ok: false, error: 'count must be an integer from 1 to 10000' }, 400);
        return json(await installScaleCorps(count));
      }
      case 'client': {
        if (!corpState(corpId)) return json({ ok: false, error: 'unknown corpId' }, 400);
        state.clientCorpId = corpId;
        return json({ ok: true, ...publicState() });
      }
      default:
        return notFound();
    }
  }

  /**
   * Load tests: `count` more corps, each installing the suite through the usual create_auth push (a few at a time),
   * so that the app learns every permanent code the way it does in production.
   */
  async function installScaleCorps(count: number) {
    const created: string[] = [];
    for (let i = scaleCorps.size; created.length < count; i++) {
      const corpId = `ww${createHash('sha256').update(`scale-corp-${i}`).digest('hex').slice(0, 16)}`;
      const state = createState(now());
      const admin = { ...state.employees[0]!, userid: 'admin' };
      Object.assign(state, {
        corp: { corpId, name: `压测企业 ${i + 1}` },
        apps: [],
        departments: state.departments.slice(0, 1),
        employees: [admin],
        customers: [],
        groupChats: [],
        tagGroups: [],
        client: { ...state.client, userId: 'admin', externalUserId: null },
      });
      const info: CorpInfo = {
        corpId,
        name: state.corp.name,
        fullName: `${state.corp.name}有限公司`,
        adminUserId: 'admin',
        suiteAgentId: '1000010',
      };
      scaleCorps.set(corpId, { info, state });
      created.push(corpId);
    }
    let installed = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < created.length) {
          const corpId = created[next++]!;
          const code = newAuthCode(corpId, 'scale', 1);
          const pushed = await push(
            'callback',
            authEventXml('create_auth', { AuthCode: code, State: 'scale' }),
            {
              infoType: 'create_auth',
              corpId,
            },
          );
          if (pushed.ok) installed += 1;
        }
      }),
    );
    return { ok: installed === created.length, created: created.length, installed, corpIds: created };
  }

  /** Token and ticket calls per scale corp (each corp's own counters). */
  function scaleCounters() {
    const apis = ['service/get_corp_token', 'get_jsapi_ticket', 'ticket/get'];
    const perCorp = [...scaleCorps.values()].map(({ state: cs }) =>
      apis.reduce((sum, api) => sum + (cs.counters[api] ?? 0), 0),
    );
    const totals = Object.fromEntries(
      apis.map((api) => [
        api,
        [...scaleCorps.values()].reduce((n, c) => n + (c.state.counters[api] ?? 0), 0),
      ]),
    );
    return {
      corps: scaleCorps.size,
      totals,
      maxPerCorp: perCorp.reduce((a, b) => Math.max(a, b), 0),
      corpsCalled: perCorp.filter((n) => n > 0).length,
    };
  }

  /** A WeCom API called with a scale corp's token: that corp's own (small) backend answers. */
  async function scaleApi(req: Request, url: URL, corpId: string, meta: { ip?: string }): Promise<Response> {
    const cs = scaleCorps.get(corpId)!.state;
    const api = url.pathname.slice('/cgi-bin/'.length).replace(/\/$/, '');
    cs.counters[api] = (cs.counters[api] ?? 0) + 1;
    cs.clockOffsetMs = host.primary.clockOffsetMs;
    const ctx: Ctx = {
      state: cs,
      req,
      url,
      now: now(),
      ip: callerIp(req, meta.ip),
      base: publicBase,
      trustedDomains: host.trustedDomains,
    };
    return runApi(ctx, api);
  }

  /** Marketplace installs of every demo corp that has not installed the suite yet (create_auth pushes). */
  async function installDemoCorps(): Promise<void> {
    for (const c of CORPS) {
      if (state.authorizations.has(c.corpId)) continue;
      const code = newAuthCode(c.corpId, 'demo', 1);
      await push('callback', authEventXml('create_auth', { AuthCode: code, State: 'demo' }), {
        infoType: 'create_auth',
        corpId: c.corpId,
      });
    }
  }

  /** What <ww-open-data> shows in the client: a member or department name of the corp the client is signed in to. */
  function openData(url: URL): Response {
    const cs = corpState(state.clientCorpId) ?? host.primary;
    const type = url.searchParams.get('type') ?? 'userName';
    const openid = url.searchParams.get('openid') ?? '';
    const name =
      type === 'departmentName'
        ? cs.departments.find((d) => String(d.id) === openid)?.name
        : cs.employees.find((e) => e.userid === openid || openUserId(cs.corp.corpId, e.userid) === openid)
            ?.name;
    return name ? json({ name }) : json({ error: 'unknown openid' }, 404);
  }

  // ---- dispatch ---------------------------------------------------------------------------------------

  function isCorpBKey(key: string): boolean {
    const cs = corpB.state;
    return cs.employees.some((e) => e.userid === key) || cs.customers.some((c) => c.external_userid === key);
  }

  function tokenOwnedByCorpB(url: URL): boolean {
    const token = url.searchParams.get('access_token');
    return !!token && corpB.state.tokens.has(token);
  }

  async function handle(req: Request, meta: { ip?: string } = {}): Promise<Response | null> {
    const url = new URL(req.url);
    publicBase = (host.publicBaseUrl ?? url.origin).replace(/\/$/, '');
    const path = url.pathname;
    if (path.startsWith('/cgi-bin/service/')) return serviceApi(req, url, path.slice('/cgi-bin/'.length));
    if (path === '/3rdapp/install') return install(req, url);
    if (path === '/connect/oauth2/authorize' && url.searchParams.get('appid') === SUITE.suiteId) {
      return oauthAuthorize(url);
    }
    if (path === '/wwlogin/sso/login' && url.searchParams.get('appid') === SUITE.suiteId)
      return webLogin(req, url);
    if (path.startsWith('/wecom-emulator/suite/'))
      return control(req, path.slice('/wecom-emulator/suite/'.length));
    if (path === '/wecom-emulator/open-data' && req.method === 'GET') return openData(url);
    // The simulated client is signed in to corp B: its context, conversations and chat belong to that corp.
    if (
      state.clientCorpId === CORP_B.corpId &&
      (CORP_SCOPED.has(path) || path.startsWith('/wecom-emulator/crm/'))
    ) {
      syncClock();
      return corpB.handle(req, meta);
    }
    const avatar = /^\/wecom-emulator\/avatars\/([^/]+)\.svg$/.exec(path);
    if (avatar && isCorpBKey(decodeURIComponent(avatar[1]!))) return corpB.handle(req, meta);
    const scaleOwner = scaleTokens.get(url.searchParams.get('access_token') ?? '');
    if (path.startsWith('/cgi-bin/') && scaleOwner) return scaleApi(req, url, scaleOwner, meta);
    if (path.startsWith('/wecom-emulator/suite/scale-corps') && req.method === 'GET')
      return json(scaleCounters());
    if (path.startsWith('/cgi-bin/') && tokenOwnedByCorpB(url)) {
      syncClock();
      return corpB.handle(req, meta);
    }
    if (
      (path === '/wecom-emulator/bridge/verify' || path === '/wecom-emulator/bridge/call') &&
      req.method === 'POST'
    ) {
      const body = (await readJson(req.clone())) ?? {};
      if (str(body.corpId) === CORP_B.corpId) {
        syncClock();
        return corpB.handle(req, meta);
      }
    }
    return null;
  }

  return {
    state,
    corpB,
    handle,
    reset() {
      Object.assign(state, freshState());
      scaleCorps.clear();
      scaleTokens.clear();
      corpB.reset();
      applyCorpSeed(corpB.state, CORP_B);
      if (state.autoInstall && state.callbackUrl) {
        void pushSuiteTicket().then(installDemoCorps, () => undefined);
      }
    },
    stop,
    pushSuiteTicket,
  };
}

/** For tests: decrypts what the emulator would push, with its own crypto. */
export function openPush(
  query: URLSearchParams,
  body: string,
): { message: string; receiveId: string } | null {
  const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '';
  const expected = msgSignature(
    SUITE.token,
    query.get('timestamp') ?? '',
    query.get('nonce') ?? '',
    encrypted,
  );
  if (!signatureMatches(expected, query.get('msg_signature') ?? '')) return null;
  return decryptMessage(SUITE.encodingAesKey, encrypted);
}
