'use client';

import { ApiError } from '../api-client';
import { readBoot, type Boot, JS_API_LIST } from './boot';
import { OPEN_DATA_SCRIPT_ID } from './open-data-id';
import { refusalInSuccess, SdkError, SIGNATURE_KINDS, toSdkError, type SdkStep } from './errors';
import { createSignatureSource, httpFetchPair, type FetchPair, type InitialSignatures } from './signatures';

export {
  SdkError,
  classifyResult,
  kindOfErrMsg,
  refusalInSuccess,
  toSdkError,
  type SdkErrorKind,
  type SdkStep,
} from './errors';
export {
  createSignatureSource,
  httpFetchPair,
  type InitialSignatures,
  type SignaturePair,
} from './signatures';
export { sdkErrorMessage, permissionFixMessage, type PermissionCause, type SdkMessage } from './messages';
export {
  bootSettled,
  clearBootPaint,
  contactPath,
  ATTACHMENT_ENTRY,
  GROUP_ENTRY,
  groupChatPath,
  JS_API_LIST,
  SINGLE_ENTRIES,
  takeBootFetch,
} from './boot';

/** The cover of a link card without one of its own: PC clients refuse a news message with an empty imgUrl. */
export const DEFAULT_COVER_PATH = '/share-cover.png';

/** The absolute cover URL for a link card: its own http(s) imgUrl, else the app's default cover on this origin. */
export function coverUrl(imgUrl: string | undefined, origin: string): string {
  return imgUrl && /^https?:\/\//i.test(imgUrl) ? imgUrl : new URL(DEFAULT_COVER_PATH, origin).href;
}

type WW = typeof import('@wecom/jssdk');

export const DEFAULT_TIMEOUT_MS = 8000;

export type EntryType = string;

export interface ConnectOptions {
  corpId: string;
  agentId: string;
  /**
   * Signatures the server rendered into the page for its own URL (saves a request), or why it could not sign
   * (then the first attempt fails with that answer instead of asking again).
   */
  initial?: InitialSignatures;
  fetchPair?: FetchPair;
  timeoutMs?: number;
}

export interface SendText {
  msgtype: 'text';
  text: { content: string };
}
export interface SendNews {
  msgtype: 'news';
  news: { link: string; title: string; desc?: string; imgUrl?: string };
}
/** Image, video or file by a WeCom temporary media_id (素材管理, POST /api/media/{id}/wecom-media-id). */
export type SendMedia =
  | { msgtype: 'image'; image: { mediaid: string } }
  | { msgtype: 'video'; video: { mediaid: string } }
  | { msgtype: 'file'; file: { mediaid: string } };
export interface SendMiniprogram {
  msgtype: 'miniprogram';
  /** appid of a mini-program bound to the corp; imgUrl an http(s) cover; page ends in .html. */
  miniprogram: { appid: string; title: string; imgUrl: string; page: string };
}
/** One message of ww.sendChatMessage (wecom-crm.md §6.2). */
export type SendMessage = SendText | SendNews | SendMedia | SendMiniprogram;
export type SendMsgtype = SendMessage['msgtype'];

/** Mac clients send mini-program cards from 4.1.26; the others from 3.1.0 (wecom-crm.md §6.2). */
const MINIPROGRAM_MIN = { mac: '4.1.26', other: '3.1.0' };

/**
 * What the current client cannot send, with why: the client version in the user agent, the platform, the entry
 * (the attachment bar does not send on Mac) and checkJsApi's answer for sendChatMessage. Empty outside WeCom
 * (nothing is known, so nothing is hidden).
 */
export function unsendableKinds(opts: {
  userAgent: string;
  entry?: string;
  /** checkJsApi's checkResult; a `false` for sendChatMessage means nothing can be sent. */
  checkResult?: Record<string, unknown>;
}): Map<SendMsgtype, 'no-api' | 'client-version' | 'mac-attachment'> {
  const out = new Map<SendMsgtype, 'no-api' | 'client-version' | 'mac-attachment'>();
  const all: SendMsgtype[] = ['text', 'news', 'image', 'video', 'file', 'miniprogram'];
  const mac = /Macintosh|Mac OS X/.test(opts.userAgent) && !/iPhone|iPad|iPod/.test(opts.userAgent);
  if (opts.checkResult && opts.checkResult.sendChatMessage === false) {
    for (const k of all) out.set(k, 'no-api');
    return out;
  }
  if (opts.entry === 'chat_attachment' && mac) {
    for (const k of all) out.set(k, 'mac-attachment');
    return out;
  }
  const version = wecomVersion(opts.userAgent);
  if (version && versionBelow(version, mac ? MINIPROGRAM_MIN.mac : MINIPROGRAM_MIN.other)) {
    out.set('miniprogram', 'client-version');
  }
  return out;
}

export interface WeComClient {
  /** How many times fresh signatures (refresh=1) were requested. */
  readonly signatureRefreshes: number;
  getContext(): Promise<{ entry: EntryType }>;
  getCurExternalContact(): Promise<string>;
  getCurExternalChat(): Promise<string>;
  sendChatMessage(message: SendMessage): Promise<void>;
  /** checkJsApi: which of the APIs this client has (false for missing ones; {} when the client does not say). */
  checkJsApi(apis: string[]): Promise<Record<string, boolean>>;
  /** The WeCom profile card of a member (type 1) or a customer (type 2). */
  openUserProfile(type: 1 | 2, userId: string): Promise<void>;
  /** A chat with members (and customers) of the corp. */
  openEnterpriseChat(p: {
    userIds?: string[];
    externalUserIds?: string[];
    groupName?: string;
  }): Promise<void>;
}

/** Rejects with a 'timeout' SdkError when `promise` does not settle in time: ww.* promises may never settle. */
export function withTimeout<T>(promise: Promise<T>, ms: number, step: SdkStep): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SdkError('timeout', step, `${step}:timeout after ${ms} ms`)),
      ms,
    );
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** The WeCom version in the user agent ("4.1.10"), or undefined outside WeCom. */
export function wecomVersion(userAgent: string): string | undefined {
  return /wxwork\/([\d.]+)/i.exec(userAgent)?.[1];
}

export function versionBelow(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

let connecting: Promise<WeComClient> | undefined;
let sdk: Promise<WW> | undefined;

/**
 * The one SDK of this page: the global build the boot script registered with, or else the module (loaded in the
 * browser only, after the client bridge, if any, is in place: the SDK reads the UA at import).
 */
function loadSdk(boot: Boot | undefined): Promise<WW> {
  sdk ??= boot ? Promise.resolve(boot.ww) : import('@wecom/jssdk');
  return sdk;
}

/**
 * Registers the app with the WeCom client once per page load and waits for agentConfig. An `invalid signature`
 * answer gets exactly one second chance with freshly fetched tickets (refresh=1) before it is reported. When the
 * page's boot script already started registration and the context calls, their raw results are taken over here
 * and classified like any other answer.
 */
export function connectWeCom(opts: ConnectOptions): Promise<WeComClient> {
  connecting ??= doConnect(opts);
  return connecting;
}

async function doConnect(opts: ConnectOptions): Promise<WeComClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const boot = readBoot(opts);
  let ww: WW;
  try {
    ww = await loadSdk(boot);
  } catch {
    sdk = undefined;
    throw new SdkError('failed', 'load', 'load:fail');
  }
  if (!ww.env.isWeCom) throw new SdkError('not-wecom', 'load', 'not inside the WeCom client');

  const source = createSignatureSource({
    initial: opts.initial,
    fetchPair: opts.fetchPair ?? httpFetchPair(),
  });
  const signature = (kind: 'config' | 'agentConfig') => async (url: string) => (await source.get(url))[kind];

  // register() starts agentConfig eagerly and leaves its rejection unhandled; we observe the same task below.
  ignoreSdkRejections();
  if (boot) {
    // Registered already: from now on the boot signs through our source (refresh=1 included).
    boot.install(async (kind, url) => (await source.get(url))[kind]);
  } else {
    ww.register({
      corpId: opts.corpId,
      agentId: opts.agentId,
      jsApiList: JS_API_LIST,
      getConfigSignature: signature('config'),
      getAgentConfigSignature: signature('agentConfig'),
    });
  }

  // Some clients resolve agentConfig while reporting a refusal beside the `ok` (errmsg: fail_permission denied).
  const agentConfig = async (started?: Promise<unknown>) => {
    const ready = await withTimeout<unknown>(started ?? ww.ensureConfigReady(), timeoutMs, 'agentConfig');
    // ensureAgentConfigReady resolves {params, result}: result is the client's (normalised) reply.
    const refusal = refusalInSuccess((ready as { result?: unknown } | null)?.result ?? ready, 'agentConfig');
    if (refusal) throw refusal;
  };
  // The boot's context calls ran after its own agentConfig: usable only when that first attempt succeeded.
  let early: Pick<Boot, 'context' | 'contact' | 'chat'> | undefined;
  try {
    await agentConfig(boot?.agentConfig);
    early = boot;
  } catch (first) {
    const err = configError(first);
    if (!SIGNATURE_KINDS.has(err.kind)) throw err;
    // A signature failure in any wording: the tickets may have been rotated (or a wrong kind cached) since the
    // server fetched them. Ask for fresh ones and sign again, once; the server rate-limits the refresh.
    source.refreshNext();
    try {
      await agentConfig();
    } catch (second) {
      throw configError(second);
    }
  }
  /** Each early answer serves the first call of its kind only; later calls ask the client again. */
  const takeEarly = <K extends 'context' | 'contact' | 'chat'>(key: K): Boot[K] | undefined => {
    const p = early?.[key];
    if (early) early = { ...early, [key]: undefined };
    return p as Boot[K] | undefined;
  };

  const call = <T>(step: SdkStep, fn: () => Promise<T>) =>
    withTimeout(fn(), timeoutMs, step).catch((e: unknown) => {
      throw toSdkError(e, step);
    });

  return {
    get signatureRefreshes() {
      return source.refreshes;
    },
    async getContext() {
      const version = wecomVersion(navigator.userAgent);
      if (version && versionBelow(version, '3.0.24')) {
        throw new SdkError('unsupported', 'getContext', `getContext:fail WeCom ${version} < 3.0.24`);
      }
      const started = takeEarly('context');
      const res = await call('getContext', () => started ?? ww.getContext());
      return { entry: String(res.entry) };
    },
    async getCurExternalContact() {
      const started = takeEarly('contact');
      const res = await call(
        'getCurExternalContact',
        async () => (await started) ?? ww.getCurExternalContact(),
      );
      return res.userId;
    },
    async getCurExternalChat() {
      const started = takeEarly('chat');
      const res = await call('getCurExternalChat', async () => (await started) ?? ww.getCurExternalChat());
      return res.chatId;
    },
    async sendChatMessage(message) {
      const params =
        message.msgtype === 'news'
          ? {
              msgtype: 'news' as const,
              news: {
                ...message.news,
                desc: message.news.desc ?? '',
                imgUrl: coverUrl(message.news.imgUrl, location.origin),
              },
            }
          : message;
      await call('sendChatMessage', () =>
        ww.sendChatMessage(params as Parameters<typeof ww.sendChatMessage>[0]),
      );
    },
    async checkJsApi(apis) {
      try {
        const res = await withTimeout(ww.checkJsApi({ jsApiList: apis }), timeoutMs, 'checkJsApi');
        const result = (res as { checkResult?: Record<string, unknown> }).checkResult ?? {};
        return Object.fromEntries(
          Object.entries(result).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
        );
      } catch {
        // A client that cannot answer says nothing about what it has.
        return {};
      }
    },
    async openUserProfile(type, userId) {
      await call('openUserProfile', () => ww.openUserProfile({ type, userid: userId }));
    },
    async openEnterpriseChat(p) {
      await call('openEnterpriseChat', () =>
        ww.openEnterpriseChat({
          userIds: p.userIds ?? [],
          externalUserIds: p.externalUserIds ?? [],
          groupName: p.groupName ?? '',
        }),
      );
    },
  };
}

let openingData: Promise<boolean> | undefined;

interface WWOpenDataApi {
  bind(el: Element): void;
}

function openDataApi(): WWOpenDataApi | undefined {
  return (window as unknown as { WWOpenData?: WWOpenDataApi }).WWOpenData;
}

/** Waits (bounded) for the page's jwxwork-1.0.0.js to load: ww.initOpenData must run after it. */
function openDataScriptLoaded(timeoutMs: number): Promise<void> {
  const tag = document.getElementById(OPEN_DATA_SCRIPT_ID);
  if (!tag || openDataApi()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    tag.addEventListener('load', done, { once: true });
    tag.addEventListener('error', done, { once: true });
    setTimeout(done, timeoutMs);
  });
}

/**
 * ww.initOpenData once per page, after agentConfig (connectWeCom with the same app) and after WeCom's open-data
 * SDK (jwxwork-1.0.0.js, loaded by the layout in third-party mode) — as its docs require. Resolves true when the
 * client accepted; then `bindOpenData` binds `<ww-open-data>` elements. Outside the client, or when it refuses,
 * false: the elements keep their fallback content (the userid).
 */
export function initOpenData(app: ConnectOptions): Promise<boolean> {
  openingData ??= connectWeCom(app)
    .then(async () => {
      await openDataScriptLoaded(app.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const ww = await loadSdk(readBoot(app));
      await withTimeout(ww.initOpenData(), app.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'agentConfig');
      return true;
    })
    .catch(() => {
      openingData = undefined;
      return false;
    });
  return openingData;
}

/** WWOpenData.bind(el), the documented way to have the client draw a `<ww-open-data>` element. */
export function bindOpenData(el: Element): boolean {
  const api = openDataApi();
  if (!api || typeof api.bind !== 'function') return false;
  api.bind(el);
  return true;
}

function configError(err: unknown): SdkError {
  if (err instanceof ApiError) {
    return new SdkError('signature-endpoint', 'agentConfig', err.message, err.status);
  }
  return toSdkError(err, 'agentConfig');
}

let ignoring = false;
function ignoreSdkRejections() {
  if (ignoring || typeof window === 'undefined') return;
  ignoring = true;
  window.addEventListener('unhandledrejection', (event) => {
    const reason: unknown = event.reason;
    const errMsg =
      typeof reason === 'object' && reason !== null ? (reason as { errMsg?: unknown }).errMsg : undefined;
    const fromSdk =
      (typeof errMsg === 'string' && /^(agentConfig|preVerifyJSAPI|config):/.test(errMsg)) ||
      reason instanceof ApiError ||
      (reason instanceof Error && reason.message.startsWith('SDK Error'));
    if (fromSdk) event.preventDefault();
  });
}
