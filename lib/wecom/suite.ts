import 'server-only';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../config';
import { HttpError, type Bilingual } from '../http';
import { getStore } from '../store';
import type { Store } from '../store/types';
import { xmlText, type XmlObject } from './callback-crypto';
import { recordEvent } from './callback';
import {
  createWecomClient,
  type CallOptions,
  type CredentialProvider,
  type RequestOptions,
  type WecomClient,
} from './client';
import { WecomError } from './errors';
import { isValidCode, newOAuthState, STATE_PATTERN } from './oauth';
import { redact } from './redact';
import { expiringCredential } from './tokens';

/**
 * Third-party (服务商) mode: the suite_ticket pushed by WeCom → suite_access_token → each authorized corp's
 * access_token through service/get_corp_token. Tokens and jsapi tickets go through the ordinary token layer
 * (same store, same single-flight); what the suite must never lose (the newest suite_ticket, every corp's
 * permanent code) is written to the store before the callback is acknowledged.
 */

export interface SuiteConfig {
  suiteId: string;
  suiteSecret: string;
  token: string;
  encodingAesKey: string;
  providerCorpId?: string;
}

export type SuiteErrorCode =
  | 'no-suite-ticket'
  | 'suite-ticket-invalid'
  | 'suite-credentials'
  | 'corp-not-authorized'
  | 'permanent-code-invalid'
  | 'install-state'
  | 'store-failed';

const SUITE_ERRORS: Record<SuiteErrorCode, { status: number; message: Bilingual }> = {
  'no-suite-ticket': {
    status: 503,
    message: {
      zh: '尚未收到企业微信推送的 suite_ticket：请确认服务商后台「指令回调 URL」指向 /api/wecom/suite/callback 且校验通过，或在后台点击「刷新 Ticket」',
      en: 'No suite_ticket received yet: point the instruction callback URL in the provider console at /api/wecom/suite/callback, or click "refresh ticket" there',
    },
  },
  'suite-ticket-invalid': {
    status: 503,
    message: {
      zh: 'suite_ticket 已失效（40085）：等待企业微信下一次推送（每 10 分钟），或在服务商后台手动刷新 Ticket',
      en: 'The suite_ticket is no longer valid (40085): wait for the next push (every 10 minutes) or refresh it in the provider console',
    },
  },
  'suite-credentials': {
    status: 502,
    message: {
      zh: '第三方应用凭证无效：请检查 WECOM_SUITE_ID 与 WECOM_SUITE_SECRET（服务商后台 → 应用管理 → 应用 → 开发信息）',
      en: 'Invalid suite credentials: check WECOM_SUITE_ID and WECOM_SUITE_SECRET (provider console → app → development info)',
    },
  },
  'corp-not-authorized': {
    status: 403,
    message: {
      zh: '该企业尚未安装本应用，或已取消授权',
      en: 'This corp has not installed the app, or has removed it',
    },
  },
  'permanent-code-invalid': {
    status: 502,
    message: {
      zh: '该企业的永久授权码已失效（40084）：请企业管理员重新安装应用',
      en: 'The corp’s permanent code is no longer valid (40084): ask the corp admin to install the app again',
    },
  },
  'install-state': {
    status: 400,
    message: {
      zh: '安装链接已失效或被篡改，请重新发起安装',
      en: 'The install link expired or was tampered with; start the installation again',
    },
  },
  'store-failed': {
    status: 503,
    message: {
      zh: '暂时无法保存授权信息，请稍后重试',
      en: 'Cannot save the authorization right now; retry later',
    },
  },
};

/** The user-facing message of a suite error code (unknown codes get a generic one). */
export function suiteErrorMessage(code: string): Bilingual {
  return (
    SUITE_ERRORS[code as SuiteErrorCode]?.message ?? {
      zh: '安装未完成，请重试；若问题持续，请联系服务商',
      en: 'The installation did not complete; try again, and contact the provider if it keeps failing',
    }
  );
}

export class SuiteError extends Error {
  override name = 'SuiteError';
  constructor(
    readonly code: SuiteErrorCode,
    options?: { cause?: unknown },
  ) {
    super(SUITE_ERRORS[code].message.en, options);
  }
  toPublic(): HttpError {
    const e = SUITE_ERRORS[this.code];
    return new HttpError(e.status, `suite_${this.code.replaceAll('-', '_')}`, e.message);
  }
}

/** What the suite keeps per authorized corp. `permanentCode` never leaves the server. */
export interface SuiteAuthorization {
  corpId: string;
  corpName: string;
  corpFullName?: string;
  agentId: string;
  permanentCode: string;
  authUserId?: string;
  authOpenUserId?: string;
  state?: string;
  installedAt: number;
  updatedAt: number;
}

export type PublicAuthorization = Omit<SuiteAuthorization, 'permanentCode'>;

export interface SuiteIdentity {
  corpId: string;
  userId: string;
  openUserId?: string;
  userTicket?: string;
}

export interface SuiteServiceOptions {
  suite: SuiteConfig;
  apiBase: string;
  store: Store;
  fetch?: typeof fetch;
  now?: () => number;
  /** Where a permanent code goes when the store refuses it (append-only, read back on the next lookup). */
  recoveryFile?: string;
  log?: (line: string) => void;
  /** Fault injection for tests: called between the storing steps of an auth-code exchange. */
  onExchangeStep?: (step: 'fetched' | 'code-recorded' | 'stored') => void | Promise<void>;
}

export interface SuiteService {
  readonly suite: SuiteConfig;
  readonly store: Store;
  /** Keeps the ticket only if it is not older than the stored one; true when it became the current one. */
  saveSuiteTicket(ticket: string, timestampSec: number): Promise<boolean>;
  suiteTicket(): Promise<{ ticket: string; timestamp: number } | null>;
  /** A call with suite_access_token (replayed once with a fresh one after 40082/42009). */
  suiteCall<T = Record<string, unknown>>(api: string, options?: CallOptions): Promise<T>;
  preAuthCode(authType: 0 | 1): Promise<string>;
  exchangeAuthCode(authCode: string): Promise<SuiteAuthorization>;
  refreshAuthInfo(corpId: string): Promise<SuiteAuthorization | null>;
  removeCorp(corpId: string): Promise<void>;
  authorization(corpId: string): Promise<SuiteAuthorization | null>;
  authorizedCorps(): Promise<PublicAuthorization[]>;
  /** The WeCom client of one authorized corp (its tokens and jsapi tickets live in the ordinary token layer). */
  clientFor(corpId: string): Promise<WecomClient>;
  getUserInfo3rd(code: string): Promise<SuiteIdentity>;
  /** Acts on a decrypted instruction-callback message; resolves after everything is stored. */
  handleInstruction(message: XmlObject): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AUTH_CODE_RECORD_TTL_MS = 24 * 3600_000;

export function createSuiteService(opts: SuiteServiceOptions): SuiteService {
  const { suite, store } = opts;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const prefix = `wecom:suite:${suite.suiteId}`;
  const keys = {
    ticket: `${prefix}:ticket`,
    corps: `${prefix}:corps`,
    corp: (corpId: string) => `${prefix}:corp:${corpId}`,
  };

  async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let release = await store.tryLock(`${key}:lock`, 10_000);
    for (let i = 0; !release && i < 100; i++) {
      await sleep(20);
      release = await store.tryLock(`${key}:lock`, 10_000);
    }
    if (!release) throw new SuiteError('store-failed');
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  async function readJson<T>(key: string): Promise<T | null> {
    const raw = await store.get(key);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return null;
    }
  }

  // ---- suite_ticket -> suite_access_token ----------------------------------------------------------------

  async function saveSuiteTicket(ticket: string, timestampSec: number): Promise<boolean> {
    if (!ticket) return false;
    return withLock(keys.ticket, async () => {
      const current = await readJson<{ ticket: string; timestamp: number }>(keys.ticket);
      if (current && current.timestamp > timestampSec) return false;
      await store.set(keys.ticket, JSON.stringify({ ticket, timestamp: timestampSec, receivedAt: now() }));
      return true;
    });
  }

  const suiteTicket = () => readJson<{ ticket: string; timestamp: number }>(keys.ticket);

  const suiteCredentials: CredentialProvider = {
    secrets: [suite.suiteSecret],
    thirdParty: true,
    async getAccessToken({ request }) {
      const stored = await suiteTicket();
      if (!stored) throw new SuiteError('no-suite-ticket');
      let body: Record<string, unknown>;
      try {
        body = await request('service/get_suite_token', {
          body: { suite_id: suite.suiteId, suite_secret: suite.suiteSecret, suite_ticket: stored.ticket },
          idempotent: true,
        });
      } catch (err) {
        if (err instanceof WecomError && err.errcode === 40085) {
          // Drop it unless a newer push replaced it meanwhile; the next push brings a valid one.
          await withLock(keys.ticket, async () => {
            if ((await suiteTicket())?.ticket === stored.ticket) await store.delete(keys.ticket);
          });
          throw new SuiteError('suite-ticket-invalid', { cause: err });
        }
        if (err instanceof WecomError && (err.errcode === 40080 || err.errcode === 40083)) {
          throw new SuiteError('suite-credentials', { cause: err });
        }
        throw err;
      }
      return expiringCredential('service/get_suite_token', body, 'suite_access_token');
    },
  };

  // The suite's own client: its "access token" is the suite_access_token, cached like any other token.
  const suiteClient = createWecomClient({
    apiBase: opts.apiBase,
    corpId: `suite:${suite.suiteId}`,
    agentId: 'suite',
    credentials: suiteCredentials,
    store,
    fetch: opts.fetch,
    now: opts.now,
  });

  async function suiteCall<T>(api: string, options: CallOptions = {}): Promise<T> {
    const token = await suiteClient.tokens.getAccessToken();
    const withToken = (t: string): RequestOptions => ({
      ...options,
      token: t,
      tokenParam: 'suite_access_token',
    });
    try {
      return (await suiteClient.request(api, withToken(token))) as T;
    } catch (err) {
      if (!(err instanceof WecomError) || err.kind !== 'token-invalid') throw err;
      await suiteClient.tokens.invalidateAccessToken(token);
      return (await suiteClient.request(api, withToken(await suiteClient.tokens.getAccessToken()))) as T;
    }
  }

  // ---- authorizations ---------------------------------------------------------------------------------

  const recoveryFile = opts.recoveryFile;

  /** Writes with a few retries; if the store keeps failing, the code goes to the recovery file. */
  async function persist(auth: SuiteAuthorization): Promise<void> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await store.set(keys.corp(auth.corpId), JSON.stringify(auth));
        await addToIndex(auth.corpId);
        return;
      } catch (err) {
        lastErr = err;
        await sleep(100 * (attempt + 1));
      }
    }
    if (recoveryFile) {
      mkdirSync(path.dirname(recoveryFile), { recursive: true });
      appendFileSync(recoveryFile, `${JSON.stringify(auth)}\n`, { mode: 0o600 });
      log(`[suite] store unavailable; authorization of ${auth.corpId} kept in the recovery file`);
      return;
    }
    throw new SuiteError('store-failed', { cause: lastErr });
  }

  async function recover(): Promise<void> {
    if (!recoveryFile) return;
    let text: string;
    try {
      text = readFileSync(recoveryFile, 'utf8');
    } catch {
      return;
    }
    const claimed = `${recoveryFile}.${process.pid}.${now()}`;
    try {
      renameSync(recoveryFile, claimed);
    } catch {
      return;
    }
    for (const line of text.split('\n').filter(Boolean)) {
      try {
        const auth = JSON.parse(line) as SuiteAuthorization;
        const existing = await readJson<SuiteAuthorization>(keys.corp(auth.corpId));
        if (!existing || existing.updatedAt <= auth.updatedAt) await persist(auth);
      } catch {
        appendFileSync(recoveryFile, `${line}\n`, { mode: 0o600 });
      }
    }
  }

  async function addToIndex(corpId: string) {
    await withLock(keys.corps, async () => {
      const list = (await readJson<string[]>(keys.corps)) ?? [];
      if (!list.includes(corpId)) await store.set(keys.corps, JSON.stringify([...list, corpId]));
    });
  }

  async function authorization(corpId: string): Promise<SuiteAuthorization | null> {
    const found = await readJson<SuiteAuthorization>(keys.corp(corpId));
    if (found || !recoveryFile) return found;
    await recover();
    return readJson<SuiteAuthorization>(keys.corp(corpId));
  }

  async function authorizedCorps(): Promise<PublicAuthorization[]> {
    await recover();
    const ids = (await readJson<string[]>(keys.corps)) ?? [];
    const out: PublicAuthorization[] = [];
    for (const id of ids) {
      const auth = await readJson<SuiteAuthorization>(keys.corp(id));
      if (!auth) continue;
      const { permanentCode: _secret, ...pub } = auth;
      void _secret;
      out.push(pub);
    }
    return out;
  }

  function firstAgentId(authInfo: unknown): string | null {
    const agents = (authInfo as { agent?: { agentid?: unknown }[] } | undefined)?.agent;
    const id = Array.isArray(agents) ? agents[0]?.agentid : undefined;
    return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  }

  interface PermanentCodeAnswer {
    permanent_code?: string;
    auth_corp_info?: { corpid?: string; corp_name?: string; corp_full_name?: string };
    auth_info?: unknown;
    auth_user_info?: { userid?: string; open_userid?: string };
    state?: string;
  }

  async function exchangeAuthCode(authCode: string): Promise<SuiteAuthorization> {
    // An auth code works once. What it gave is recorded under its hash before anything else, so that a retry of
    // the same delivery after a crash finishes the storing instead of spending the code again (40078).
    const codeKey = `${prefix}:authcode:${createHash('sha256').update(authCode).digest('hex')}`;
    const recorded = await readJson<SuiteAuthorization>(codeKey);
    if (recorded) {
      const current = await readJson<SuiteAuthorization>(keys.corp(recorded.corpId));
      if (!current || current.updatedAt <= recorded.updatedAt) await persist(recorded);
      return recorded;
    }
    // v1 answers the agent id in the same round trip: one call between WeCom's push and our "success".
    const answer = await suiteCall<PermanentCodeAnswer>('service/get_permanent_code', {
      body: { auth_code: authCode },
      idempotent: false,
    });
    const corpId = answer.auth_corp_info?.corpid;
    const permanentCode = answer.permanent_code;
    const agentId = firstAgentId(answer.auth_info);
    if (!corpId || !permanentCode || !agentId) {
      throw new WecomError({
        api: 'service/get_permanent_code',
        errcode: -1,
        errmsg: 'incomplete answer',
        transport: 'invalid-response',
      });
    }
    const previous = await readJson<SuiteAuthorization>(keys.corp(corpId)).catch(() => null);
    const auth: SuiteAuthorization = {
      corpId,
      corpName: answer.auth_corp_info?.corp_name ?? corpId,
      corpFullName: answer.auth_corp_info?.corp_full_name,
      agentId,
      permanentCode,
      authUserId: answer.auth_user_info?.userid,
      authOpenUserId: answer.auth_user_info?.open_userid,
      state: answer.state,
      installedAt: previous?.installedAt ?? now(),
      updatedAt: now(),
    };
    await opts.onExchangeStep?.('fetched');
    // If the store is down, persist() below still has the recovery file.
    await store.set(codeKey, JSON.stringify(auth), AUTH_CODE_RECORD_TTL_MS).catch(() => undefined);
    await opts.onExchangeStep?.('code-recorded');
    await persist(auth);
    await opts.onExchangeStep?.('stored');
    // A new permanent code (reinstall, reset) invalidates tokens cached for the old one.
    if (previous && previous.permanentCode !== permanentCode) await forgetCorpCredentials(previous);
    return auth;
  }

  async function refreshAuthInfo(corpId: string): Promise<SuiteAuthorization | null> {
    const auth = await authorization(corpId);
    if (!auth) return null;
    const answer = await suiteCall<PermanentCodeAnswer>('service/get_auth_info', {
      body: { auth_corpid: corpId, permanent_code: auth.permanentCode },
      idempotent: true,
    });
    const next: SuiteAuthorization = {
      ...auth,
      corpName: answer.auth_corp_info?.corp_name ?? auth.corpName,
      corpFullName: answer.auth_corp_info?.corp_full_name ?? auth.corpFullName,
      agentId: firstAgentId(answer.auth_info) ?? auth.agentId,
      updatedAt: now(),
    };
    await persist(next);
    if (next.agentId !== auth.agentId) await forgetCorpCredentials(auth);
    return next;
  }

  const clients = new Map<string, { client: WecomClient; permanentCode: string; agentId: string }>();

  async function forgetCorpCredentials(auth: Pick<SuiteAuthorization, 'corpId' | 'agentId'>) {
    clients.delete(auth.corpId);
    // A throwaway client names the token layer's keys for this corp and agent.
    const { tokens } = createWecomClient({
      apiBase: opts.apiBase,
      corpId: auth.corpId,
      agentId: auth.agentId,
      credentials: corpCredentials(auth.corpId),
      store,
    });
    for (const key of Object.values(tokens.keys)) await store.delete(key);
  }

  async function removeCorp(corpId: string): Promise<void> {
    const auth = await authorization(corpId);
    await store.delete(keys.corp(corpId));
    await withLock(keys.corps, async () => {
      const list = (await readJson<string[]>(keys.corps)) ?? [];
      await store.set(keys.corps, JSON.stringify(list.filter((id) => id !== corpId)));
    });
    if (auth) await forgetCorpCredentials(auth);
    await store.delete(`wecom:events:${corpId}`);
  }

  function corpCredentials(corpId: string): CredentialProvider {
    let known: string[] = [];
    return {
      get secrets() {
        return known;
      },
      thirdParty: true,
      async getAccessToken() {
        const auth = await authorization(corpId);
        if (!auth) throw new SuiteError('corp-not-authorized');
        known = [auth.permanentCode];
        let body: Record<string, unknown>;
        try {
          body = await suiteCall('service/get_corp_token', {
            body: { auth_corpid: corpId, permanent_code: auth.permanentCode },
            idempotent: true,
          });
        } catch (err) {
          if (err instanceof WecomError && (err.errcode === 40084 || err.errcode === 41025)) {
            throw new SuiteError('permanent-code-invalid', { cause: err });
          }
          throw err;
        }
        return expiringCredential('service/get_corp_token', body, 'access_token');
      },
    };
  }

  async function clientFor(corpId: string): Promise<WecomClient> {
    const auth = await authorization(corpId);
    if (!auth) throw new SuiteError('corp-not-authorized');
    const cached = clients.get(corpId);
    if (cached && cached.permanentCode === auth.permanentCode && cached.agentId === auth.agentId)
      return cached.client;
    const client = createWecomClient({
      apiBase: opts.apiBase,
      corpId,
      agentId: auth.agentId,
      credentials: corpCredentials(corpId),
      store,
      fetch: opts.fetch,
      now: opts.now,
    });
    clients.set(corpId, { client, permanentCode: auth.permanentCode, agentId: auth.agentId });
    return client;
  }

  async function getUserInfo3rd(code: string): Promise<SuiteIdentity> {
    const body = await suiteCall<Record<string, unknown>>('service/auth/getuserinfo3rd', {
      query: { code },
      idempotent: false,
    });
    const corpId = typeof body.corpid === 'string' ? body.corpid : '';
    const userId = typeof body.userid === 'string' ? body.userid : '';
    if (!corpId || !userId) {
      // A non-member (openid only) cannot use a corp app.
      throw new HttpError(403, 'not_a_member', {
        zh: '只有已安装本应用的企业成员可以登录',
        en: 'Only members of a corp that installed this app can sign in',
      });
    }
    return {
      corpId,
      userId,
      openUserId: typeof body.open_userid === 'string' ? body.open_userid : undefined,
      userTicket: typeof body.user_ticket === 'string' ? body.user_ticket : undefined,
    };
  }

  async function handleInstruction(message: XmlObject): Promise<void> {
    const infoType = xmlText(message, 'InfoType');
    const suiteId = xmlText(message, 'SuiteId');
    if (suiteId && suiteId !== suite.suiteId) return;
    switch (infoType) {
      case 'suite_ticket':
        await saveSuiteTicket(xmlText(message, 'SuiteTicket'), Number(xmlText(message, 'TimeStamp')) || 0);
        return;
      case 'create_auth':
      case 'reset_permanent_code':
        await exchangeAuthCode(xmlText(message, 'AuthCode'));
        return;
      case 'change_auth':
        await refreshAuthInfo(xmlText(message, 'AuthCorpId'));
        return;
      case 'cancel_auth':
        await removeCorp(xmlText(message, 'AuthCorpId'));
        return;
      case 'change_external_contact': {
        const corpId = xmlText(message, 'AuthCorpId');
        if (corpId && (await authorization(corpId))) await recordEvent(store, corpId, message, now());
        return;
      }
      default:
        log(`[suite] instruction ${redact(infoType).slice(0, 40)} ignored`);
    }
  }

  return {
    suite,
    store,
    saveSuiteTicket,
    suiteTicket,
    suiteCall,
    async preAuthCode(authType) {
      const answer = await suiteCall<{ pre_auth_code?: string }>('service/get_pre_auth_code', {
        idempotent: false,
      });
      const code = answer.pre_auth_code;
      if (!code) {
        throw new WecomError({
          api: 'service/get_pre_auth_code',
          errcode: -1,
          errmsg: 'no pre_auth_code in the answer',
          transport: 'invalid-response',
        });
      }
      await suiteCall('service/set_session_info', {
        body: { pre_auth_code: code, session_info: { auth_type: authType } },
      });
      return code;
    },
    exchangeAuthCode,
    refreshAuthInfo,
    removeCorp,
    authorization,
    authorizedCorps,
    clientFor,
    getUserInfo3rd,
    handleInstruction,
  };
}

const INSTALL_STATE_TTL_MS = 20 * 60_000;

/**
 * Starts an install from the provider's site: pre_auth_code, set_session_info, and the link to WeCom's install
 * page; the one-time state comes back with the auth_code.
 */
export async function beginInstall(
  suite: SuiteService,
  p: { openBase: string; redirectUri: string; authType: 0 | 1 },
): Promise<string> {
  const state = newOAuthState();
  await suite.store.set(`wecom:suite:${suite.suite.suiteId}:install:${state}`, '1', INSTALL_STATE_TTL_MS);
  const preAuthCode = await suite.preAuthCode(p.authType);
  return installUrl({
    openBase: p.openBase,
    suiteId: suite.suite.suiteId,
    preAuthCode,
    redirectUri: p.redirectUri,
    state,
  });
}

/** The redirect back from WeCom: the state is single use; the permanent code is stored like create_auth does. */
export async function finishInstall(
  suite: SuiteService,
  p: { state: string | null; authCode: string | null },
): Promise<SuiteAuthorization> {
  const { state, authCode } = p;
  if (!state || !STATE_PATTERN.test(state) || !isValidCode(authCode)) throw new SuiteError('install-state');
  const key = `wecom:suite:${suite.suite.suiteId}:install:${state}`;
  if ((await suite.store.get(key)) === null) throw new SuiteError('install-state');
  // Claim it atomically so that a replayed redirect cannot use it twice.
  const claimed = await suite.store.tryLock(`${key}:claimed`, INSTALL_STATE_TTL_MS);
  if (!claimed) throw new SuiteError('install-state');
  await suite.store.delete(key);
  return suite.exchangeAuthCode(authCode);
}

/** The provider's install link on open.work.weixin.qq.com (DOC 90597). */
export function installUrl(p: {
  openBase: string;
  suiteId: string;
  preAuthCode: string;
  redirectUri: string;
  state: string;
}): string {
  const url = new URL('/3rdapp/install', p.openBase);
  url.searchParams.set('suite_id', p.suiteId);
  url.searchParams.set('pre_auth_code', p.preAuthCode);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('state', p.state);
  return url.toString();
}

// ---- process singleton ------------------------------------------------------------------------------------

const globalSuite = globalThis as typeof globalThis & { __wecomSuite?: SuiteService };

/** The suite service of this process, or null when the third-party mode is not configured. */
export function getSuite(): SuiteService | null {
  const config = getConfig();
  if (!config.suite) return null;
  if (!globalSuite.__wecomSuite || globalSuite.__wecomSuite.suite.suiteId !== config.suite.suiteId) {
    globalSuite.__wecomSuite = createSuiteService({
      suite: config.suite,
      apiBase: config.apiBase,
      store: getStore(),
      recoveryFile: path.join(
        process.env.DATA_DIR ?? path.join(process.cwd(), '.data'),
        'suite-recovery.jsonl',
      ),
    });
  }
  return globalSuite.__wecomSuite;
}

/** Origin of the install page: open.work.weixin.qq.com, or the emulator (our own origin) in demo mode. */
export function openBase(): string {
  const config = getConfig();
  if (config.mode === 'demo') return config.appBaseUrl;
  return (process.env.WECOM_OPEN_BASE ?? 'https://open.work.weixin.qq.com').replace(/\/+$/, '');
}
