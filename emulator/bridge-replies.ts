/**
 * What the emulated WeCom client hands back to the page through `WeixinJSBridge.invoke`, in the raw forms real
 * clients use. @wecom/jssdk normalises these itself (formatErrMsg), so the emulator never pre-digests a reply.
 *
 * Sources (see emulator/README.md "Client failure formats"): wecom-crm.md §6.8 (documented vs observed result
 * strings), wecom-platform.md §4 (client-side errors), §7.2 (the SDK's normalisation), §7.7 (fake-bridge replies).
 */

export type ClientFlavour = 'windows' | 'mac' | 'ios' | 'android';
export const FLAVOURS: ClientFlavour[] = ['windows', 'mac', 'ios', 'android'];

/** agentConfig refusals, each with the errcode WeCom documents for it. */
export type AgentConfigFailure = 'signature' | 'ticket' | 'corpid' | 'agentid' | 'domain' | 'client-error';
export const AGENT_CONFIG_FAILURES: AgentConfigFailure[] = [
  'signature',
  'ticket',
  'corpid',
  'agentid',
  'domain',
  'client-error',
];

/** How an agentConfig refusal is worded. */
export type ConfigFormat = 'legacy' | 'spaced' | 'code' | 'hint' | 'wx-config' | 'unprefixed';
export const CONFIG_FORMATS: ConfigFormat[] = ['legacy', 'spaced', 'code', 'hint', 'wx-config', 'unprefixed'];

/** How a refused API call ("no permission") is worded. */
export type PermissionFormat =
  | 'fail-space'
  | 'fail-underscore'
  | 'nopermission'
  | 'unprefixed'
  | 'denied'
  | 'to-execute'
  | 'misleading-ok';
export const PERMISSION_FORMATS: PermissionFormat[] = [
  'fail-space',
  'fail-underscore',
  'nopermission',
  'unprefixed',
  'denied',
  'to-execute',
  'misleading-ok',
];

/** Per failure, the format to answer with; unset ones follow the client flavour. */
export type ReplyFormats = Partial<Record<AgentConfigFailure, ConfigFormat>> & {
  permission?: PermissionFormat;
};

export type RawReply = Record<string, unknown>;

const MORE_INFO = 'https://open.work.weixin.qq.com/devtool/query?e=';

interface FailureText {
  code: number;
  /** The keyword after `agentConfig:fail_`. */
  text: string;
  /** The unprefixed wording some clients send without an api name. */
  bare: string;
}

/**
 * 40093 jsapi签名错误, 42012 jsapi_ticket不可用 (a ticket of the other kind), 40013 invalid corpid, 40056 invalid agentid
 * (wecom-platform.md §2); 80001 untrusted domain (`invalid url domain`, §4; the unprefixed wording
 * `not match any reliable domain`); -30001 as observed in a hint (wecom-crm.md §6.8, cause unknown).
 */
const FAILURE_TEXT: Record<AgentConfigFailure, FailureText> = {
  signature: { code: 40093, text: 'invalid signature', bare: 'invalid signature' },
  ticket: { code: 42012, text: 'invalid jsapi_ticket', bare: 'jsapi_ticket not available' },
  corpid: { code: 40013, text: 'invalid corpid', bare: 'invalid corpid' },
  agentid: { code: 40056, text: 'invalid agentid', bare: 'invalid agentid' },
  domain: { code: 80001, text: 'invalid url domain', bare: 'not match any reliable domain' },
  'client-error': { code: -30001, text: 'fail', bare: 'fail' },
};

export function failureCode(failure: AgentConfigFailure): number {
  return FAILURE_TEXT[failure].code;
}

/**
 * Which wording each client uses by default. Where the reference attributes a form to a platform it is used for
 * that platform (Mac: `wx.config:… more info at …e=40093`; iOS: `err_code:2 … fail_no permission to execute`);
 * the rest is spread over the flavours so that every documented form is reachable (wecom-crm.md §6.8).
 */
const FLAVOUR_DEFAULTS: Record<ClientFlavour, { config: ConfigFormat; permission: PermissionFormat }> = {
  windows: { config: 'legacy', permission: 'fail-space' },
  mac: { config: 'wx-config', permission: 'denied' },
  ios: { config: 'hint', permission: 'to-execute' },
  android: { config: 'unprefixed', permission: 'nopermission' },
};

export function configFormatFor(
  failure: AgentConfigFailure,
  flavour: ClientFlavour,
  formats: ReplyFormats,
): ConfigFormat {
  // -30001 was only ever seen inside a hint.
  if (failure === 'client-error') return 'hint';
  return formats[failure] ?? FLAVOUR_DEFAULTS[flavour].config;
}

export function permissionFormatFor(flavour: ClientFlavour, formats: ReplyFormats): PermissionFormat {
  return formats.permission ?? FLAVOUR_DEFAULTS[flavour].permission;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `0522135707:CWGDa4KA1SFG79GeQHd8EQ:-30001` — month/day/time, a request id, the code (wecom-crm.md §6.8). */
function hintText(code: number, nowMs: number): string {
  const d = new Date(nowMs + 8 * 3600_000); // the client prints Beijing time
  const stamp = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const id = Buffer.from(`${nowMs}:${code}`).toString('base64url').replace(/[-_]/g, 'A').slice(0, 22);
  return `Hint: '${stamp}:${id.padEnd(22, 'Q')}:${code}'. More info at ${MORE_INFO}${code}`;
}

/** The client's answer to a refused agentConfig (or, for old clients, preVerifyJSAPI: api `config`). */
export function configFailureReply(
  api: 'agentConfig' | 'config',
  failure: AgentConfigFailure,
  format: ConfigFormat,
  nowMs: number,
): RawReply {
  const { code, text, bare } = FAILURE_TEXT[failure];
  switch (format) {
    case 'legacy':
      return { err_msg: `${api}:fail_${text}` };
    case 'spaced':
      return { err_msg: `${api}:fail ${text}` };
    case 'code':
      return { err_code: code, err_msg: `${api}:fail_${text}` };
    case 'hint':
      // The code only in the hint; errMsg is plain `agentConfig:fail` (kept verbatim by the SDK).
      return { err_Info: 'fail', errMsg: `${api}:fail`, hint: hintText(code, nowMs) };
    case 'wx-config': {
      const msg = `wx.config:${text} more info at ${MORE_INFO}${code}`;
      return { errMsg: msg, err_msg: msg };
    }
    case 'unprefixed':
      // No api name: the SDK keeps what follows the first colon, i.e. `//open.work…?e=<code>`.
      return { err_msg: `${bare}, more info at ${MORE_INFO}${code}` };
  }
}

/** A successful agentConfig; `misleading-ok` carries the refusal beside an `ok` errMsg (wecom-crm.md §6.8). */
export function configOkReply(api: 'agentConfig' | 'config', refusedWith?: PermissionFormat): RawReply {
  if (api === 'agentConfig' && refusedWith === 'misleading-ok') {
    return { errmsg: 'fail_permission denied', errMsg: 'agentConfig:ok', checkResult: {} };
  }
  return api === 'config' ? { err_msg: 'config:ok' } : { err_msg: 'agentConfig:ok', checkResult: {} };
}

/** "no permission" for an API call, worded as the chosen client does (wecom-crm.md §6.8, §7 JS-SDK row). */
export function permissionReply(api: string, format: PermissionFormat): RawReply {
  switch (format) {
    case 'fail-space':
      return { err_msg: `${api}:fail no permission` };
    case 'fail-underscore':
      return { err_msg: `${api}:fail_no permission` };
    case 'nopermission':
      return { err_msg: `${api}:fail_nopermission` };
    case 'unprefixed':
      return { err_msg: 'no permission' };
    case 'denied':
    case 'misleading-ok':
      return { err_msg: `${api}:permission denied` };
    case 'to-execute':
      return { err_code: 2, err_msg: `${api}:fail_no permission to execute` };
  }
}

export function isDesktop(flavour: ClientFlavour): boolean {
  return flavour === 'windows' || flavour === 'mac';
}
