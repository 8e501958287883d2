import 'server-only';
import { CONSOLE } from '../console-paths';
import { HttpError, type Bilingual } from '../http';

export type WecomErrorKind =
  | 'retryable'
  | 'token-invalid'
  | 'caller'
  | 'configuration'
  | 'rate-limited'
  | 'permission'
  | 'not-found'
  | 'gone'
  | 'unknown';

/** How the request failed before WeCom could answer with an errcode (absent for errcode answers). */
export type WecomTransportFailure = 'timeout' | 'network' | 'http' | 'invalid-response';

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

export { CONSOLE };

/** WeCom's own page for an errcode. */
export const devtoolUrl = (errcode: number) => `https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;

/** What a rule knows about the failed call. */
export interface ErrcodeContext {
  errcode: number;
  errmsg: string;
  /** A third-party (服务商) app's call: WeCom checks the provider's IP allow-list and permissions instead. */
  thirdParty: boolean;
}

interface Rule {
  kind: WecomErrorKind;
  status: number;
  /** What happened. */
  what: (ctx: ErrcodeContext) => Bilingual;
  /** What to do about it (who, and where in which console); absent when there is nothing to fix. */
  fix?: (ctx: ErrcodeContext) => Bilingual;
}

const fixed = (zh: string, en: string) => () => bi(zh, en);

/** The caller IP that WeCom names in 60020 answers ("..., from ip: 1.2.3.4, more info ..."). */
export function ipFromErrmsg(errmsg: string): string | undefined {
  const ip = /from ip:\s*([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
  return ip && ip.length > 1 ? ip : undefined;
}

const secretFix = () =>
  bi(
    `请检查 WECOM_CORP_ID 与 WECOM_AGENT_SECRET：二者须属于同一企业的同一应用（企业ID 见 ${CONSOLE.corpId.zh}；Secret 见 ${CONSOLE.appSecret.zh}，点「查看」发送到企业微信客户端；重置 Secret 后要同步更新并重启应用）`,
    `check WECOM_CORP_ID and WECOM_AGENT_SECRET: both must belong to the same app of the same corp (corp ID: ${CONSOLE.corpId.en}; secret: ${CONSOLE.appSecret.en}, "View" sends it to your WeCom client; update it and restart after a reset)`,
  );

const ipFix = ({ errmsg, thirdParty }: ErrcodeContext) => {
  const ip = ipFromErrmsg(errmsg);
  const zhIp = ip ?? '本服务器的出口 IP';
  const enIp = ip ?? "this server's public egress IP";
  return thirdParty
    ? bi(
        `服务商须在 IP白名单（${CONSOLE.providerIpAllowList.zh}）中添加 ${zhIp}，保存后重试`,
        `the service provider must add ${enIp} to its IP allow-list (${CONSOLE.providerIpAllowList.en}), save, then retry`,
      )
    : bi(
        `在企业可信IP（${CONSOLE.trustedIp.zh}）中添加 ${zhIp}，保存后重试`,
        `add ${enIp} to the trusted IPs (${CONSOLE.trustedIp.en}), save, then retry`,
      );
};

const visibleRangeFix = () =>
  bi(
    `请企业管理员在 ${CONSOLE.visibleRange.zh} 中加入相关成员或其部门`,
    `ask the corp's admin to add the member or their department under ${CONSOLE.visibleRange.en}`,
  );

const RULES: Record<number, Rule> = {
  [-1]: {
    kind: 'retryable',
    status: 503,
    what: fixed('企业微信系统繁忙，请稍后重试', 'WeCom is busy, please try again shortly'),
  },
  40001: {
    kind: 'configuration',
    status: 502,
    what: ({ errcode }) =>
      bi(
        `应用凭证无效（${errcode}：Secret 与企业ID不匹配、Secret 已重置或应用已停用）`,
        `Invalid app credentials (${errcode}: the secret does not match the corp ID, was reset, or the app is disabled)`,
      ),
    fix: secretFix,
  },
  40013: {
    kind: 'configuration',
    status: 502,
    what: ({ errcode }) =>
      bi(`企业ID 无效（${errcode} invalid corpid）`, `Invalid corp ID (${errcode} invalid corpid)`),
    fix: secretFix,
  },
  40091: {
    kind: 'configuration',
    status: 502,
    what: fixed(
      '应用 Secret 不合法（40091，可能是其他企业或其他应用的 Secret，例如通讯录同步或客户联系的 Secret）',
      'Invalid app secret (40091, possibly another corp’s or another app’s, e.g. the contact-sync or customer-contact secret)',
    ),
    fix: secretFix,
  },
  40056: {
    kind: 'configuration',
    status: 502,
    what: fixed('应用 AgentId 无效（40056）', 'Invalid AgentId (40056)'),
    fix: () =>
      bi(`请检查 WECOM_AGENT_ID（${CONSOLE.agentId.zh}）`, `check WECOM_AGENT_ID (${CONSOLE.agentId.en})`),
  },
  301002: {
    kind: 'configuration',
    status: 502,
    what: fixed('access_token 不属于该应用（301002）', 'The access token belongs to another app (301002)'),
    fix: () =>
      bi(
        `请确认 WECOM_AGENT_ID 与 WECOM_AGENT_SECRET 是同一个应用的（${CONSOLE.agentId.zh}）`,
        `make sure WECOM_AGENT_ID and WECOM_AGENT_SECRET are of the same app (${CONSOLE.agentId.en})`,
      ),
  },
  60020: {
    kind: 'configuration',
    status: 502,
    what: ({ errmsg, thirdParty }) => {
      const ip = ipFromErrmsg(errmsg);
      return thirdParty
        ? bi(
            `服务器 IP ${ip ?? ''} 不在服务商的 IP白名单 中（60020 not allow to access from your ip）`,
            `This server's IP ${ip ?? ''} is not on the service provider's IP allow-list (60020 not allow to access from your ip)`,
          )
        : bi(
            `服务器 IP ${ip ?? ''} 不在企业可信IP 中（60020 not allow to access from your ip）`,
            `This server's IP ${ip ?? ''} is not trusted (60020 not allow to access from your ip)`,
          );
    },
    fix: ipFix,
  },
  48002: {
    kind: 'configuration',
    status: 502,
    what: fixed(
      '应用没有客户联系接口权限（48002 api forbidden）',
      'The app may not call the customer-contact API (48002 api forbidden)',
    ),
    fix: ({ thirdParty }) =>
      thirdParty
        ? bi(
            `请服务商在 ${CONSOLE.providerPermissions.zh} 中申请权限，并请企业管理员重新授权本应用`,
            `the service provider must request the permission under ${CONSOLE.providerPermissions.en}, and the corp's admin must authorize the app again`,
          )
        : bi(
            `请在 ${CONSOLE.externalContactApps.zh} 中加入本应用，并确认成员在客户联系的使用范围内`,
            `add this app under ${CONSOLE.externalContactApps.en}, and make sure members are in the customer-contact scope`,
          ),
  },
  48009: {
    kind: 'configuration',
    status: 502,
    what: fixed(
      '通讯录同步助手的 Secret 不能从新的 IP 读取通讯录（48009）',
      'The contact-sync secret may not read contacts from a new IP (48009)',
    ),
    fix: () =>
      bi(
        `WECOM_AGENT_SECRET 应是本应用自己的 Secret（${CONSOLE.appSecret.zh}），而不是通讯录同步的 Secret；如确需使用通讯录同步，请在 ${CONSOLE.contactSyncTrustedIp.zh} 中加入本服务器 IP`,
        `WECOM_AGENT_SECRET must be this app's own secret (${CONSOLE.appSecret.en}), not the contact-sync secret; if you do need contact sync, add this server's IP under ${CONSOLE.contactSyncTrustedIp.en}`,
      ),
  },
  42012: {
    kind: 'configuration',
    status: 502,
    what: fixed(
      'jsapi_ticket 不可用于该应用（42012：agentConfig 用了企业 jsapi_ticket 或其他应用的 ticket）',
      'The jsapi_ticket cannot be used for this app (42012: agentConfig was signed with the corp ticket or another app’s ticket)',
    ),
    fix: () =>
      bi(
        `agentConfig 须用本应用的应用 ticket（ticket/get?type=agent_config，以本应用的 access_token 获取）签名；请确认 WECOM_AGENT_ID 与 WECOM_AGENT_SECRET 属于同一应用（${CONSOLE.agentId.zh}）`,
        `agentConfig must be signed with this app's own ticket (ticket/get?type=agent_config, fetched with this app's access token); make sure WECOM_AGENT_ID and WECOM_AGENT_SECRET are of the same app (${CONSOLE.agentId.en})`,
      ),
  },
  50001: {
    kind: 'configuration',
    status: 502,
    what: fixed(
      '回调地址的域名未登记为可信域名（50001）',
      'The redirect domain is not a trusted domain (50001)',
    ),
    fix: ({ thirdParty }) => {
      const where = thirdParty ? CONSOLE.providerTrustedDomain : CONSOLE.trustedDomain;
      return bi(
        `请在 ${where.zh} 中设置可信域名（须与 APP_BASE_URL 的主机和端口一致）`,
        `set it under ${where.en} (it must match the host and port of APP_BASE_URL)`,
      );
    },
  },
  50002: {
    kind: 'permission',
    status: 403,
    what: fixed('你不在本应用的可见范围内（50002）', "You are not in this app's visible range (50002)"),
    fix: visibleRangeFix,
  },
  50003: {
    kind: 'configuration',
    status: 502,
    what: fixed('应用已被停用（50003）', 'The app is disabled (50003)'),
    fix: () => bi(`请在 ${CONSOLE.appEnabled.zh}`, `enable it: ${CONSOLE.appEnabled.en}`),
  },
  60011: {
    kind: 'permission',
    status: 403,
    what: fixed(
      '超出应用的可见范围（60011）：相关成员不在本应用的可见范围内',
      "Outside the app's visible range (60011): the member concerned is not in this app's visible range",
    ),
    fix: visibleRangeFix,
  },
  40014: {
    kind: 'token-invalid',
    status: 502,
    what: fixed('企业微信凭证已失效，请重试', 'The WeCom access token was rejected, please try again'),
  },
  42001: {
    kind: 'token-invalid',
    status: 502,
    what: fixed('企业微信凭证已过期，请重试', 'The WeCom access token expired, please try again'),
  },
  40082: {
    kind: 'token-invalid',
    status: 502,
    what: fixed('服务商凭证已失效，请重试', 'The provider token was rejected, please try again'),
  },
  42009: {
    kind: 'token-invalid',
    status: 502,
    what: fixed('服务商凭证已过期，请重试', 'The provider token expired, please try again'),
  },
  45009: {
    kind: 'rate-limited',
    status: 503,
    what: fixed(
      '企业微信接口调用超过频率限制（45009），限制最长持续 1 小时',
      'WeCom API rate limit reached (45009); the block lasts up to an hour',
    ),
    fix: () =>
      bi(
        '请稍后再试；确认没有程序在反复用错误的 Secret 调用接口',
        'try again later; make sure nothing keeps calling with a wrong secret',
      ),
  },
  45033: {
    kind: 'rate-limited',
    status: 503,
    what: fixed(
      '企业微信接口并发调用过多（45033），请稍后再试',
      'Too many concurrent WeCom API calls (45033), please try again shortly',
    ),
  },
  // Record-level answers: the record is not there (any more) or not visible; nothing for an admin to fix.
  84061: {
    kind: 'gone',
    status: 410,
    what: fixed(
      '该联系人已不是你的客户（已删除好友或被对方删除），资料不再可用',
      'This contact is no longer your customer (the friendship was removed), so the profile is no longer available',
    ),
  },
  40096: {
    kind: 'not-found',
    status: 404,
    what: fixed(
      '客户不存在或已不可见：可能已被删除，或跟进该客户的成员都不在本应用的可见范围内',
      "The customer does not exist or is no longer visible: removed, or none of their followers is in this app's visible range",
    ),
    fix: visibleRangeFix,
  },
  40050: {
    kind: 'not-found',
    status: 404,
    what: fixed('客户群不存在或已解散', 'The customer group chat does not exist or was dissolved'),
  },
  90501: {
    kind: 'not-found',
    status: 404,
    what: fixed(
      '该群不是客户群（内部群没有客户群资料）',
      'This is not a customer group chat (internal groups have no customer-group details)',
    ),
  },
  40068: {
    kind: 'not-found',
    status: 404,
    what: fixed('标签不存在或已删除', 'The tag does not exist or was deleted'),
  },
  60111: {
    kind: 'not-found',
    status: 404,
    what: fixed('成员不存在或不在本应用的可见范围内', "Member not found or outside this app's visible range"),
    fix: visibleRangeFix,
  },
  40003: {
    kind: 'not-found',
    status: 404,
    what: fixed('成员 ID 无效或不存在', 'Invalid or unknown member ID'),
  },
  40029: {
    kind: 'caller',
    status: 400,
    what: fixed(
      '登录码无效或已被使用，请重新登录',
      'The login code is invalid or was already used, please sign in again',
    ),
  },
  84014: {
    kind: 'caller',
    status: 400,
    what: fixed('成员授权已过期，请重新登录', 'The member authorization expired, please sign in again'),
  },
  84015: {
    kind: 'caller',
    status: 400,
    what: fixed('成员授权无效，请重新登录', 'The member authorization is invalid, please sign in again'),
  },
  40058: {
    kind: 'caller',
    status: 400,
    what: fixed('请求参数不合法', 'Invalid request parameters'),
  },
  40093: {
    kind: 'caller',
    status: 400,
    what: fixed('JS-SDK 签名错误', 'Invalid JS-SDK signature'),
  },
};

/** Same fix for the other codes of one cause. */
RULES[41002] = { ...RULES[40013]! };
RULES[41004] = { ...RULES[40001]! };

/** An errcode this app has no rule for: its number and WeCom's page for it, and no guessed fix. */
const UNKNOWN: Rule = {
  kind: 'unknown',
  status: 502,
  what: ({ errcode }) =>
    bi(
      `企业微信返回错误码 ${errcode}，说明见 ${devtoolUrl(errcode)}`,
      `WeCom answered error ${errcode}; see ${devtoolUrl(errcode)}`,
    ),
};

const ctxOf = (errcode: number, errmsg = '', thirdParty = false): ErrcodeContext => ({
  errcode,
  errmsg,
  thirdParty,
});

export interface ErrcodeDescription {
  kind: WecomErrorKind;
  status: number;
  /** True when this app has a rule for the errcode. */
  known: boolean;
  what: Bilingual;
  fix?: Bilingual;
  /** what + fix, Chinese first: the message users see. */
  message: Bilingual;
}

/** The one errcode vocabulary: what an errcode means and how to fix it, for client errors, checks and doctor. */
export function describeErrcode(
  errcode: number,
  opts: { errmsg?: string; thirdParty?: boolean } = {},
): ErrcodeDescription {
  const rule = RULES[errcode];
  const ctx = ctxOf(errcode, opts.errmsg, opts.thirdParty);
  const r = rule ?? UNKNOWN;
  const what = r.what(ctx);
  const fix = r.fix?.(ctx);
  const message = fix ? bi(`${what.zh}：${fix.zh}`, `${what.en}: ${fix.en}`) : what;
  return { kind: r.kind, status: r.status, known: !!rule, what, ...(fix ? { fix } : {}), message };
}

const TRANSPORT: Record<WecomTransportFailure, { status: number; message: Bilingual }> = {
  timeout: {
    status: 504,
    message: { zh: '企业微信接口响应超时，请稍后重试', en: 'WeCom did not answer in time, please try again' },
  },
  network: {
    status: 503,
    message: {
      zh: '无法连接企业微信接口，请检查服务器网络与 WECOM_API_BASE',
      en: 'Cannot reach the WeCom API; check the server network and WECOM_API_BASE',
    },
  },
  http: {
    status: 503,
    message: {
      zh: '企业微信接口暂时不可用，请稍后重试',
      en: 'The WeCom API is temporarily unavailable, please try again',
    },
  },
  'invalid-response': {
    status: 502,
    message: {
      zh: '企业微信接口返回了无法识别的内容，请检查 WECOM_API_BASE',
      en: 'The WeCom API answered something unexpected; check WECOM_API_BASE',
    },
  },
};

export function classify(errcode: number): WecomErrorKind {
  return (RULES[errcode] ?? UNKNOWN).kind;
}

/** The actionable message for an errcode, Chinese first (errmsg adds details such as the caller IP of 60020). */
export function userMessageFor(errcode: number, errmsg = '', opts: { thirdParty?: boolean } = {}): Bilingual {
  return describeErrcode(errcode, { errmsg, thirdParty: opts.thirdParty }).message;
}

export interface WecomErrorInit {
  api: string;
  errcode: number;
  /** Already redacted. */
  errmsg: string;
  transport?: WecomTransportFailure;
  httpStatus?: number;
  /** A third-party (服务商) app's call (see ErrcodeContext). */
  thirdParty?: boolean;
  cause?: unknown;
}

/** Marks a WecomError made by any bundle's copy of this module (see isWecomError). */
const WECOM_ERROR = Symbol.for('wecom-sidebar.WecomError');

/** A failed WeCom call. The message names the API and the errcode and never carries a token or secret. */
export class WecomError extends Error {
  override name = 'WecomError';
  readonly [WECOM_ERROR] = true;
  readonly api: string;
  readonly errcode: number;
  readonly errmsg: string;
  readonly kind: WecomErrorKind;
  readonly transport?: WecomTransportFailure;
  readonly httpStatus?: number;
  readonly thirdParty: boolean;

  constructor(init: WecomErrorInit) {
    const detail = init.transport
      ? `${init.transport}${init.httpStatus ? ` ${init.httpStatus}` : ''}`
      : `errcode ${init.errcode}`;
    super(`WeCom ${init.api} failed: ${detail}${init.errmsg ? ` (${init.errmsg})` : ''}`, {
      cause: init.cause,
    });
    this.api = init.api;
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.transport = init.transport;
    this.httpStatus = init.httpStatus;
    this.thirdParty = init.thirdParty === true;
    this.kind = init.transport ? transportKind(init.transport, init.httpStatus) : classify(init.errcode);
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  toPublic(): HttpError {
    if (this.transport) {
      const t = TRANSPORT[this.transport];
      return new HttpError(t.status, `wecom_${this.transport.replace('-', '_')}`, t.message);
    }
    const d = describeErrcode(this.errcode, { errmsg: this.errmsg, thirdParty: this.thirdParty });
    return new HttpError(
      d.status,
      d.known ? `wecom_${this.errcode}` : `wecom_unknown_${this.errcode}`,
      d.message,
    );
  }
}

function transportKind(t: WecomTransportFailure, status?: number): WecomErrorKind {
  if (t === 'timeout' || t === 'network') return 'retryable';
  if (t === 'http') return status !== undefined && status >= 500 ? 'retryable' : 'configuration';
  return 'configuration';
}

/**
 * Whether `err` is a failed WeCom call (with that errcode, when given). A client kept on globalThis (e.g. a
 * third-party corp client) may come from another route's chunk, whose copy of this class `instanceof` does not
 * recognise: the error carries a registry-wide symbol instead.
 */
export function isWecomError(err: unknown, errcode?: number): err is WecomError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { [WECOM_ERROR]?: unknown })[WECOM_ERROR] === true &&
    (errcode === undefined || (err as WecomError).errcode === errcode)
  );
}

/** The errcode WeCom answered (undefined for any other failure, and for a timeout or network error). */
export function wecomErrcodeOf(err: unknown): number | undefined {
  return isWecomError(err) && !err.transport ? err.errcode : undefined;
}
