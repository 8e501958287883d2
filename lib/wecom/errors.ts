import 'server-only';
import { HttpError, type Bilingual } from '../http';

export type WecomErrorKind =
  'retryable' | 'token-invalid' | 'caller' | 'configuration' | 'rate-limited' | 'permission' | 'not-found';

/** How the request failed before WeCom could answer with an errcode (absent for errcode answers). */
export type WecomTransportFailure = 'timeout' | 'network' | 'http' | 'invalid-response';

interface Rule {
  kind: WecomErrorKind;
  status: number;
  message: (ctx: { errmsg: string; errcode: number }) => Bilingual;
}

const fixed =
  (zh: string, en: string): Rule['message'] =>
  () => ({ zh, en });

const CREDENTIALS_FIX = {
  zh: '请检查 WECOM_CORP_ID 与 WECOM_AGENT_SECRET：二者须属于同一企业的同一应用（管理后台 → 应用管理 → 本应用 → Secret；重置 Secret 后要同步更新）',
  en: 'check WECOM_CORP_ID and WECOM_AGENT_SECRET: both must belong to the same app of the same corp (Admin console → Apps → this app → Secret; update it after a reset)',
};

/** The caller IP that WeCom names in 60020 answers ("..., from ip: 1.2.3.4, more info ..."). */
export function ipFromErrmsg(errmsg: string): string | undefined {
  return /from ip:\s*([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
}

const RULES: Record<number, Rule> = {
  [-1]: {
    kind: 'retryable',
    status: 503,
    message: fixed('企业微信系统繁忙，请稍后重试', 'WeCom is busy, please try again shortly'),
  },
  40001: {
    kind: 'configuration',
    status: 502,
    message: () => ({
      zh: `应用凭证无效：${CREDENTIALS_FIX.zh}`,
      en: `Invalid app credentials: ${CREDENTIALS_FIX.en}`,
    }),
  },
  40013: {
    kind: 'configuration',
    status: 502,
    message: () => ({
      zh: `企业 ID 无效：${CREDENTIALS_FIX.zh}（企业 ID 见 管理后台 → 我的企业）`,
      en: `Invalid corp ID: ${CREDENTIALS_FIX.en} (the corp ID is under My Company)`,
    }),
  },
  40091: {
    kind: 'configuration',
    status: 502,
    message: () => ({
      zh: `应用 Secret 不合法：${CREDENTIALS_FIX.zh}`,
      en: `Invalid app secret: ${CREDENTIALS_FIX.en}`,
    }),
  },
  41002: {
    kind: 'configuration',
    status: 502,
    message: () => ({
      zh: `缺少企业 ID：${CREDENTIALS_FIX.zh}`,
      en: `Corp ID missing: ${CREDENTIALS_FIX.en}`,
    }),
  },
  41004: {
    kind: 'configuration',
    status: 502,
    message: () => ({
      zh: `缺少应用 Secret：${CREDENTIALS_FIX.zh}`,
      en: `App secret missing: ${CREDENTIALS_FIX.en}`,
    }),
  },
  40056: {
    kind: 'configuration',
    status: 502,
    message: fixed(
      '应用 AgentId 无效：请检查 WECOM_AGENT_ID（管理后台 → 应用管理 → 本应用 → AgentId）',
      'Invalid AgentId: check WECOM_AGENT_ID (Admin console → Apps → this app → AgentId)',
    ),
  },
  301002: {
    kind: 'configuration',
    status: 502,
    message: fixed(
      'access_token 不属于该应用：请确认 WECOM_AGENT_ID 与 WECOM_AGENT_SECRET 是同一个应用的',
      'The access token belongs to another app: make sure WECOM_AGENT_ID and WECOM_AGENT_SECRET are of the same app',
    ),
  },
  60020: {
    kind: 'configuration',
    status: 502,
    message: ({ errmsg }) => {
      const ip = ipFromErrmsg(errmsg);
      return {
        zh: `服务器 IP 不在企业可信IP 中：请将本服务器 IP ${ip ?? '（出口 IP）'} 加入 企业可信IP（管理后台 → 应用管理 → 本应用 → 企业可信IP）`,
        en: `This server's IP is not trusted: add this server's IP ${ip ?? '(its public egress IP)'} to 企业可信IP (Trusted IPs) under Admin console → Apps → this app`,
      };
    },
  },
  48002: {
    kind: 'configuration',
    status: 502,
    message: fixed(
      '应用没有客户联系接口权限：请在 管理后台 → 客户与上下游 → 客户联系 → API → 可调用应用 中加入本应用',
      'The app may not call the customer-contact API: add it to 客户联系 → 可调用应用 (Customer Contact → API → apps allowed to call) in the admin console',
    ),
  },
  50001: {
    kind: 'configuration',
    status: 502,
    message: fixed(
      '回调地址的域名未登记为可信域名：请在 管理后台 → 应用管理 → 本应用 → 网页授权及JS-SDK 中设置可信域名（须与 APP_BASE_URL 的主机和端口一致）',
      'The redirect domain is not a trusted domain: set it under Apps → this app → Web authorization and JS-SDK (must match the host and port of APP_BASE_URL)',
    ),
  },
  50003: {
    kind: 'configuration',
    status: 502,
    message: fixed(
      '应用已被停用：请在管理后台启用本应用',
      'The app is disabled: enable it in the admin console',
    ),
  },
  42012: {
    kind: 'configuration',
    status: 502,
    message: fixed('jsapi_ticket 不可用于该应用', 'The jsapi_ticket cannot be used for this app'),
  },
  40014: {
    kind: 'token-invalid',
    status: 502,
    message: fixed('企业微信凭证已失效，请重试', 'The WeCom access token was rejected, please try again'),
  },
  42001: {
    kind: 'token-invalid',
    status: 502,
    message: fixed('企业微信凭证已过期，请重试', 'The WeCom access token expired, please try again'),
  },
  40082: {
    kind: 'token-invalid',
    status: 502,
    message: fixed('服务商凭证已失效，请重试', 'The provider token was rejected, please try again'),
  },
  42009: {
    kind: 'token-invalid',
    status: 502,
    message: fixed('服务商凭证已过期，请重试', 'The provider token expired, please try again'),
  },
  45009: {
    kind: 'rate-limited',
    status: 503,
    message: fixed(
      '企业微信接口调用超过频率限制，请稍后再试（限制窗口结束后自动恢复）',
      'WeCom API rate limit reached, please try again later (it lifts when the window ends)',
    ),
  },
  45033: {
    kind: 'rate-limited',
    status: 503,
    message: fixed(
      '企业微信接口并发调用过多，请稍后再试',
      'Too many concurrent WeCom API calls, please try again shortly',
    ),
  },
  84061: {
    kind: 'permission',
    status: 403,
    message: fixed(
      '该联系人不是你的客户（或已被删除），无法查看',
      'This contact is not your customer (or was removed), so you cannot see it',
    ),
  },
  60011: {
    kind: 'permission',
    status: 403,
    message: fixed(
      '超出应用的可见范围：请管理员在 应用管理 → 本应用 → 可见范围 中加入相关成员或部门',
      "Outside the app's visible range: ask the admin to add the member or department under Apps → this app → Visible range",
    ),
  },
  50002: {
    kind: 'permission',
    status: 403,
    message: fixed(
      '你不在本应用的可见范围内，请联系管理员',
      "You are not in this app's visible range, please ask your admin",
    ),
  },
  60111: {
    kind: 'not-found',
    status: 404,
    message: fixed('成员不存在或不在可见范围内', 'Member not found or outside the visible range'),
  },
  40003: {
    kind: 'not-found',
    status: 404,
    message: fixed('成员 ID 无效或不存在', 'Invalid or unknown member ID'),
  },
  40096: {
    kind: 'caller',
    status: 400,
    message: fixed('外部联系人 ID 无效', 'Invalid external contact ID'),
  },
  40029: {
    kind: 'caller',
    status: 400,
    message: fixed(
      '登录码无效或已被使用，请重新登录',
      'The login code is invalid or was already used, please sign in again',
    ),
  },
  84014: {
    kind: 'caller',
    status: 400,
    message: fixed('成员授权已过期，请重新登录', 'The member authorization expired, please sign in again'),
  },
  84015: {
    kind: 'caller',
    status: 400,
    message: fixed('成员授权无效，请重新登录', 'The member authorization is invalid, please sign in again'),
  },
  40058: {
    kind: 'caller',
    status: 400,
    message: fixed('请求参数不合法', 'Invalid request parameters'),
  },
  40068: {
    kind: 'caller',
    status: 400,
    message: fixed('标签不存在或已删除', 'The tag does not exist or was deleted'),
  },
  40093: {
    kind: 'caller',
    status: 400,
    message: fixed('JS-SDK 签名错误', 'Invalid JS-SDK signature'),
  },
};

const UNKNOWN: Rule = {
  kind: 'caller',
  status: 502,
  message: ({ errcode }) => ({
    zh: `企业微信返回错误 ${errcode}，说明见 https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
    en: `WeCom answered error ${errcode}; see https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  }),
};

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
export function userMessageFor(errcode: number, errmsg = ''): Bilingual {
  return (RULES[errcode] ?? UNKNOWN).message({ errcode, errmsg });
}

export interface WecomErrorInit {
  api: string;
  errcode: number;
  /** Already redacted. */
  errmsg: string;
  transport?: WecomTransportFailure;
  httpStatus?: number;
  cause?: unknown;
}

/** A failed WeCom call. The message names the API and the errcode and never carries a token or secret. */
export class WecomError extends Error {
  override name = 'WecomError';
  readonly api: string;
  readonly errcode: number;
  readonly errmsg: string;
  readonly kind: WecomErrorKind;
  readonly transport?: WecomTransportFailure;
  readonly httpStatus?: number;

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
    const rule = RULES[this.errcode] ?? UNKNOWN;
    return new HttpError(
      rule.status,
      `wecom_${this.errcode}`,
      rule.message({ errcode: this.errcode, errmsg: this.errmsg }),
    );
  }
}

function transportKind(t: WecomTransportFailure, status?: number): WecomErrorKind {
  if (t === 'timeout' || t === 'network') return 'retryable';
  if (t === 'http') return status !== undefined && status >= 500 ? 'retryable' : 'configuration';
  return 'configuration';
}

export function isWecomError(err: unknown, errcode?: number): err is WecomError {
  return err instanceof WecomError && (errcode === undefined || err.errcode === errcode);
}
