import 'server-only';
import { logger } from '../ops/log';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { getConfig, openBaseOf } from '../config';
import { HttpError, type Bilingual } from '../http';
import type { Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { getDb, type Database, type Db } from '../db';
import type { SuiteCorpsTable } from '../db/tables/core';
import { readJson } from '../json';
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
import { isWecomError, WecomError } from './errors';
import { isValidCode, newOAuthState, STATE_PATTERN } from './oauth';
import { redact } from './redact';
import { CORP_CLIENT_CACHE_MAX, CORP_CLIENT_IDLE_MS } from './suite-limits';
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
  | 'install-admin-required'
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
  'install-admin-required': {
    status: 403,
    message: {
      zh: '只有已登录的应用管理员（ADMIN_USERIDS）可以从这里发起安装；企业也可以在企业微信应用市场安装本应用',
      en: 'Only a signed-in app admin (ADMIN_USERIDS) can start an installation here; corps can also install the app from the WeCom app marketplace',
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
  /** Token and ticket cache, locks and replay guards (may be lost). */
  store: Store;
  /** Durable data: the suite_ticket, every authorized corp, the instruction events (default: getDb()). */
  db?: Db;
  fetch?: typeof fetch;
  now?: () => number;
  /** Where a permanent code goes when the database refuses it (append-only, read back on the next lookup). */
  recoveryFile?: string;
  log?: (line: string) => void;
  /** How often a corp client retries a failed idempotent call (default: the client's). */
  clientRetries?: number;
  /** How many corps' clients stay in memory (default CORP_CLIENT_CACHE_MAX). */
  clientCacheMax?: number;
  /** Fault injection for tests: called between the storing steps of an auth-code exchange. */
  onExchangeStep?: (step: 'fetched' | 'code-recorded' | 'stored') => void | Promise<void>;
  /**
   * Runs the work that follows an acknowledged auth event (default: right after, in this process). The event is
   * stored first, so work lost to a crash is picked up by processPending() on the next start or push.
   */
  schedule?: (work: () => Promise<void>) => void;
}

/** A decrypted instruction callback: the parsed message and its text (the same push has the same text). */
export interface InstructionDelivery {
  message: XmlObject;
  plaintext: string;
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
  /**
   * Acts on a decrypted instruction callback. What must be kept (the ticket, the event) is stored before it
   * resolves; the slow part of auth events (get_permanent_code, get_auth_info) is scheduled to run after the reply.
   */
  handleInstruction(delivery: InstructionDelivery): Promise<void>;
  /** Finishes auth events whose work has not completed (after a crash, or a failed attempt). */
  processPending(): Promise<number>;
  /** Resolves when the work scheduled so far has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AUTH_CODE_RECORD_TTL_MS = 24 * 3600_000;
/** Instruction events whose work runs after the acknowledgement. */
const DEFERRED_INFO_TYPES = new Set(['create_auth', 'reset_permanent_code', 'change_auth', 'cancel_auth']);
/** Change events of an authorized corp, recorded in the event log (third-party format: InfoType + AuthCorpId). */
const CHANGE_INFO_TYPES = new Set(['change_external_contact', 'change_external_chat', 'change_external_tag']);
const EVENT_LEASE_MS = 30_000;
const MAX_EVENT_ATTEMPTS = 5;

/** A SuiteAuthorization as JSON (recovery file, recorded exchanges, the old key-value layout). */
export const StoredAuthSchema = z.object({
  corpId: z.string(),
  corpName: z.string(),
  corpFullName: z.string().optional(),
  agentId: z.string(),
  permanentCode: z.string(),
  authUserId: z.string().optional(),
  authOpenUserId: z.string().optional(),
  state: z.string().optional(),
  installedAt: z.number(),
  updatedAt: z.number(),
});

/** The suite_corps row of an authorization. */
export function suiteCorpRow(suiteId: string, auth: SuiteAuthorization, authInfo?: unknown): SuiteCorpsTable {
  return {
    suite_id: suiteId,
    corp_id: auth.corpId,
    corp_name: auth.corpName,
    corp_full_name: auth.corpFullName ?? null,
    agent_id: auth.agentId,
    permanent_code: auth.permanentCode,
    auth_user_id: auth.authUserId ?? null,
    auth_open_user_id: auth.authOpenUserId ?? null,
    state: auth.state ?? null,
    auth_info: authInfo === undefined ? null : JSON.stringify(authInfo),
    installed_at: auth.installedAt,
    updated_at: auth.updatedAt,
  };
}

export function createSuiteService(opts: SuiteServiceOptions): SuiteService {
  const { suite, store } = opts;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => logger().warn(line));
  const database = (): Promise<Db> => (opts.db ? Promise.resolve(opts.db) : getDb());
  const prefix = `wecom:suite:${suite.suiteId}`;
  const inflight = new Set<Promise<void>>();
  const schedule =
    opts.schedule ??
    ((work: () => Promise<void>) => {
      const running = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((err: unknown) => log(`[suite] deferred work failed: ${redact(String(err)).slice(0, 200)}`))
        .finally(() => inflight.delete(running));
      inflight.add(running);
    });

  // ---- suite_ticket -> suite_access_token ----------------------------------------------------------------

  async function saveSuiteTicket(ticket: string, timestampSec: number): Promise<boolean> {
    if (!ticket) return false;
    const db = await database();
    // Kept only when not older than the stored one: one statement, so concurrent pushes cannot interleave.
    const saved = await db
      .insertInto('suite_tickets')
      .values({ suite_id: suite.suiteId, ticket, timestamp: timestampSec, received_at: now() })
      .onConflict((oc) =>
        oc
          .column('suite_id')
          .doUpdateSet((eb) => ({
            ticket: eb.ref('excluded.ticket'),
            timestamp: eb.ref('excluded.timestamp'),
            received_at: eb.ref('excluded.received_at'),
          }))
          .where('suite_tickets.timestamp', '<=', timestampSec),
      )
      .returning('suite_id')
      .executeTakeFirst();
    return saved !== undefined;
  }

  async function suiteTicket(): Promise<{ ticket: string; timestamp: number } | null> {
    const db = await database();
    const row = await db
      .selectFrom('suite_tickets')
      .select(['ticket', 'timestamp'])
      .where('suite_id', '=', suite.suiteId)
      .executeTakeFirst();
    return row ?? null;
  }

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
        if (isWecomError(err, 40085)) {
          // Drop it unless a newer push replaced it meanwhile; the next push brings a valid one.
          const db = await database();
          await db
            .deleteFrom('suite_tickets')
            .where('suite_id', '=', suite.suiteId)
            .where('ticket', '=', stored.ticket)
            .execute();
          throw new SuiteError('suite-ticket-invalid', { cause: err });
        }
        if (isWecomError(err, 40080) || isWecomError(err, 40083)) {
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
    maxRetries: opts.clientRetries,
    log: opts.log,
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
      if (!isWecomError(err) || err.kind !== 'token-invalid') throw err;
      await suiteClient.tokens.invalidateAccessToken(token);
      return (await suiteClient.request(api, withToken(await suiteClient.tokens.getAccessToken()))) as T;
    }
  }

  // ---- authorizations ---------------------------------------------------------------------------------

  const recoveryFile = opts.recoveryFile;

  function fromRow(row: Selectable<SuiteCorpsTable>): SuiteAuthorization {
    return {
      corpId: row.corp_id,
      corpName: row.corp_name,
      corpFullName: row.corp_full_name ?? undefined,
      agentId: row.agent_id,
      permanentCode: row.permanent_code,
      authUserId: row.auth_user_id ?? undefined,
      authOpenUserId: row.auth_open_user_id ?? undefined,
      state: row.state ?? undefined,
      installedAt: row.installed_at,
      updatedAt: row.updated_at,
    };
  }

  async function write(db: Db | Transaction<Database>, auth: SuiteAuthorization, authInfo?: unknown) {
    const row = suiteCorpRow(suite.suiteId, auth, authInfo);
    // Never replace a newer authorization with an older one (a late retry, the recovery file).
    await db
      .insertInto('suite_corps')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['suite_id', 'corp_id'])
          .doUpdateSet((eb) => ({
            corp_name: eb.ref('excluded.corp_name'),
            corp_full_name: eb.ref('excluded.corp_full_name'),
            agent_id: eb.ref('excluded.agent_id'),
            permanent_code: eb.ref('excluded.permanent_code'),
            auth_user_id: eb.ref('excluded.auth_user_id'),
            auth_open_user_id: eb.ref('excluded.auth_open_user_id'),
            state: eb.ref('excluded.state'),
            auth_info:
              authInfo === undefined ? eb.ref('suite_corps.auth_info') : eb.ref('excluded.auth_info'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('suite_corps.updated_at', '<=', auth.updatedAt),
      )
      .execute();
  }

  /** Writes with a few retries; if the database keeps failing, the code goes to the recovery file. */
  async function persist(auth: SuiteAuthorization, authInfo?: unknown, eventId?: number): Promise<void> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const db = await database();
        await db.transaction().execute(async (trx) => {
          await write(trx, auth, authInfo);
          if (eventId !== undefined) {
            await trx
              .updateTable('callback_events')
              .set({ corp_id: auth.corpId, processed_at: now(), locked_until: null, last_error: null })
              .where('id', '=', eventId)
              .execute();
          }
        });
        return;
      } catch (err) {
        lastErr = err;
        await sleep(100 * (attempt + 1));
      }
    }
    if (recoveryFile) {
      mkdirSync(path.dirname(recoveryFile), { recursive: true });
      appendFileSync(recoveryFile, `${JSON.stringify(auth)}\n`, { mode: 0o600 });
      log(`[suite] database unavailable; authorization of ${auth.corpId} kept in the recovery file`);
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
      const auth = readJson(line, StoredAuthSchema);
      if (!auth) continue;
      try {
        await write(await database(), auth);
      } catch {
        appendFileSync(recoveryFile, `${line}\n`, { mode: 0o600 });
      }
    }
  }

  async function readAuthorization(corpId: string): Promise<SuiteAuthorization | null> {
    const db = await database();
    const row = await db
      .selectFrom('suite_corps')
      .selectAll()
      .where('suite_id', '=', suite.suiteId)
      .where('corp_id', '=', corpId)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async function authorization(corpId: string): Promise<SuiteAuthorization | null> {
    if (!corpId) return null;
    const found = await readAuthorization(corpId);
    if (found || !recoveryFile) return found;
    await recover();
    return readAuthorization(corpId);
  }

  async function authorizedCorps(): Promise<PublicAuthorization[]> {
    await recover();
    const db = await database();
    const rows = await db
      .selectFrom('suite_corps')
      .selectAll()
      .where('suite_id', '=', suite.suiteId)
      .orderBy('installed_at')
      .orderBy('corp_id')
      .execute();
    return rows.map((row) => {
      const { permanentCode: _secret, ...pub } = fromRow(row);
      void _secret;
      return pub;
    });
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

  const RecordedExchangeSchema = z.object({ auth: StoredAuthSchema, authInfo: z.unknown().optional() });
  type RecordedExchange = z.infer<typeof RecordedExchangeSchema>;

  async function applyExchange(recorded: RecordedExchange, eventId?: number): Promise<SuiteAuthorization> {
    const previous = await readAuthorization(recorded.auth.corpId).catch(() => null);
    await persist(recorded.auth, recorded.authInfo, eventId);
    await opts.onExchangeStep?.('stored');
    // A new permanent code (reinstall, reset) invalidates tokens cached for the old one.
    if (previous && previous.permanentCode !== recorded.auth.permanentCode)
      await forgetCorpCredentials(previous);
    return recorded.auth;
  }

  /**
   * auth_code → permanent code. An auth code works once, so what it gave is recorded before it is applied: in the
   * event's row (instruction callbacks) and under the code's hash in the store (install redirects). A retry after
   * a crash finishes the storing from that record instead of spending the code again (40078).
   */
  async function exchangeAuthCode(authCode: string, eventId?: number): Promise<SuiteAuthorization> {
    const codeKey = `${prefix}:authcode:${createHash('sha256').update(authCode).digest('hex')}`;
    const db = await database();
    const fromEvent =
      eventId === undefined
        ? null
        : readJson(
            (
              await db
                .selectFrom('callback_events')
                .select('result')
                .where('id', '=', eventId)
                .executeTakeFirst()
            )?.result,
            RecordedExchangeSchema,
          );
    const recorded =
      fromEvent ?? readJson(await store.get(codeKey).catch(() => null), RecordedExchangeSchema);
    if (recorded) return applyExchange(recorded, eventId);
    // v1 answers the agent id in the same round trip.
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
    const previous = await readAuthorization(corpId).catch(() => null);
    const exchange: RecordedExchange = {
      auth: {
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
      },
      authInfo: answer.auth_info,
    };
    await opts.onExchangeStep?.('fetched');
    const serialized = JSON.stringify(exchange);
    if (eventId !== undefined) {
      await db.updateTable('callback_events').set({ result: serialized }).where('id', '=', eventId).execute();
    }
    // If the database is down, persist() below still has the recovery file.
    await store.set(codeKey, serialized, AUTH_CODE_RECORD_TTL_MS).catch(() => undefined);
    await opts.onExchangeStep?.('code-recorded');
    return applyExchange(exchange, eventId);
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
    await persist(next, answer.auth_info);
    if (next.agentId !== auth.agentId) await forgetCorpCredentials(auth);
    return next;
  }

  // The clients of the busiest corps stay in memory; an idle or evicted corp's client is rebuilt on its next request
  // (no WeCom call: its token and tickets live in the shared store), so memory stays bounded with any number of
  // installed corps.
  const clients = new LRUCache<string, { client: WecomClient; permanentCode: string; agentId: string }>({
    max: opts.clientCacheMax ?? CORP_CLIENT_CACHE_MAX,
    ttl: CORP_CLIENT_IDLE_MS,
    updateAgeOnGet: true,
  });

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

  /** cancel_auth: the corp's authorization and its data go (the provider must delete a corp's data). */
  async function removeCorp(corpId: string): Promise<void> {
    const auth = await authorization(corpId);
    const db = await database();
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('suite_corps')
        .where('suite_id', '=', suite.suiteId)
        .where('corp_id', '=', corpId)
        .execute();
      await trx.deleteFrom('callback_events').where('corp_id', '=', corpId).execute();
      await trx.deleteFrom('quick_replies').where('corp_id', '=', corpId).execute();
      await trx.deleteFrom('quick_reply_lists').where('corp_id', '=', corpId).execute();
    });
    if (auth) await forgetCorpCredentials(auth);
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
          if (isWecomError(err, 40084) || isWecomError(err, 41025)) {
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
      maxRetries: opts.clientRetries,
      log: opts.log,
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

  // ---- instruction events ------------------------------------------------------------------------------

  /** The work an auth event asks for; idempotent, so running it again after a crash is safe. */
  async function runEvent(eventId: number, message: XmlObject): Promise<void> {
    const infoType = xmlText(message, 'InfoType');
    const corpId = xmlText(message, 'AuthCorpId');
    switch (infoType) {
      case 'create_auth':
      case 'reset_permanent_code':
        await exchangeAuthCode(xmlText(message, 'AuthCode'), eventId);
        return; // exchangeAuthCode marks the event done in the same transaction as the authorization
      case 'change_auth':
        await refreshAuthInfo(corpId);
        break;
      case 'cancel_auth':
        await removeCorp(corpId);
        return; // the corp's events went with it
    }
    const db = await database();
    await db
      .updateTable('callback_events')
      .set({ processed_at: now(), locked_until: null, last_error: null })
      .where('id', '=', eventId)
      .execute();
  }

  /** Takes an event for this process (a lease, so a crashed worker's event is taken again later) and runs it. */
  async function claimAndRun(eventId: number): Promise<boolean> {
    const db = await database();
    const at = now();
    const claimed = await db
      .updateTable('callback_events')
      .set((eb) => ({ locked_until: at + EVENT_LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', eventId)
      .where('processed_at', 'is', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
      .returning(['payload', 'attempts'])
      .executeTakeFirst();
    if (!claimed) return false;
    const message = readJson<XmlObject>(claimed.payload) ?? {};
    try {
      await runEvent(eventId, message);
    } catch (err) {
      const giveUp = claimed.attempts >= MAX_EVENT_ATTEMPTS;
      log(
        `[suite] ${xmlText(message, 'InfoType')} event ${eventId} failed (attempt ${claimed.attempts})${
          giveUp ? '; giving up' : ''
        }: ${redact(err instanceof Error ? err.message : String(err)).slice(0, 200)}`,
      );
      await db
        .updateTable('callback_events')
        .set({
          last_error: redact(err instanceof Error ? err.message : String(err)).slice(0, 500),
          locked_until: null,
          ...(giveUp ? { processed_at: now() } : {}),
        })
        .where('id', '=', eventId)
        .execute()
        .catch(() => undefined);
      throw err;
    }
    return true;
  }

  async function processPending(): Promise<number> {
    const db = await database();
    const at = now();
    const pending = await db
      .selectFrom('callback_events')
      .select('id')
      .where('source', '=', 'suite')
      .where('processed_at', 'is', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
      .where('corp_id', 'in', [suite.suiteId, ...(await authorizedIds(db))])
      .orderBy('received_at')
      .orderBy('id')
      .limit(50)
      .execute();
    let done = 0;
    for (const { id } of pending) {
      try {
        if (await claimAndRun(id)) done++;
      } catch {
        // logged by claimAndRun; retried on a later pass
      }
    }
    return done;
  }

  async function authorizedIds(db: Db): Promise<string[]> {
    const rows = await db
      .selectFrom('suite_corps')
      .select('corp_id')
      .where('suite_id', '=', suite.suiteId)
      .execute();
    return rows.map((r) => r.corp_id);
  }

  async function handleInstruction({ message, plaintext }: InstructionDelivery): Promise<void> {
    const infoType = xmlText(message, 'InfoType');
    const suiteId = xmlText(message, 'SuiteId');
    if (suiteId && suiteId !== suite.suiteId) return;
    if (infoType === 'suite_ticket') {
      await saveSuiteTicket(xmlText(message, 'SuiteTicket'), Number(xmlText(message, 'TimeStamp')) || 0);
      return;
    }
    const db = await database();
    if (DEFERRED_INFO_TYPES.has(infoType)) {
      // Stored before the reply; the slow part runs after it (WeCom wants `success` within 1000 ms).
      const corpId = xmlText(message, 'AuthCorpId') || suite.suiteId;
      const { id, inserted } = await recordEvent(db, {
        corpId,
        source: 'suite',
        message,
        plaintext,
        pending: true,
        now: now(),
      });
      if (inserted)
        schedule(async () => {
          await claimAndRun(id);
          await processPending();
        });
      return;
    }
    if (CHANGE_INFO_TYPES.has(infoType)) {
      const corpId = xmlText(message, 'AuthCorpId');
      if (corpId && (await authorization(corpId))) {
        await recordEvent(db, { corpId, source: 'suite', message, plaintext, now: now() });
      }
      return;
    }
    log(`[suite] instruction ${redact(infoType).slice(0, 40)} ignored`);
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
    exchangeAuthCode: (authCode) => exchangeAuthCode(authCode),
    refreshAuthInfo,
    removeCorp,
    authorization,
    authorizedCorps,
    clientFor,
    getUserInfo3rd,
    handleInstruction,
    processPending,
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
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
  return openBaseOf(getConfig());
}
