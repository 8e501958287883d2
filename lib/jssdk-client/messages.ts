import type { Bilingual } from '../bilingual';
import type { SdkError } from './errors';

export interface SdkMessage {
  title: Bilingual;
  body: Bilingual;
  /** What the admin should check, one line each. */
  adminChecks?: Bilingual[];
}

const checkTrustedDomain: Bilingual = {
  zh: '应用的「网页授权及JS-SDK → 可信域名」包含本页域名（含端口），并已完成域名归属验证',
  en: "The app's trusted domain (网页授权及JS-SDK → 可信域名) matches this page's host and port, and is verified",
};
const checkSignature: Bilingual = {
  zh: '服务器的 CorpID、AgentID 与 Secret 属于同一个应用；签名使用当前页面完整 URL（不含 # 之后部分）',
  en: 'The server’s CorpID, AgentID and Secret belong to this app; the signature covers the full page URL (without #…)',
};
const checkJsSdk: Bilingual = {
  zh: '应用已启用 JS-SDK，并在「聊天工具栏」中配置了本页面',
  en: 'JS-SDK is enabled for the app and this page is configured in the chat toolbar (聊天工具栏)',
};
const checkContactApp: Bilingual = {
  zh: '管理后台「客户与上下游 → 客户联系 → API → 可调用接口的应用」已加入本应用',
  en: 'The app is listed under 客户联系 → API → 可调用接口的应用 (apps that may call the customer-contact API)',
};
const checkMember: Bilingual = {
  zh: '当前成员已开通「客户联系」功能，并在应用可见范围内',
  en: 'The current member has the 客户联系 (customer contact) feature and is in the app’s visible range',
};

const checkAgentTicket: Bilingual = {
  zh: 'agentConfig 的签名使用应用的 jsapi_ticket（ticket/get?type=agent_config），而不是企业的 jsapi_ticket（get_jsapi_ticket）；ticket 不能跨应用使用',
  en: 'agentConfig is signed with the app’s jsapi_ticket (ticket/get?type=agent_config), not the corp’s (get_jsapi_ticket); tickets do not carry over between apps',
};
const checkCorpId: Bilingual = {
  zh: '服务器配置的 CorpID（第三方应用：授权企业的 CorpID）与成员当前登录的企业一致',
  en: 'The server’s CorpID (third-party apps: the authorizing corp’s CorpID) is the corp the member is signed in to',
};
const checkAgentId: Bilingual = {
  zh: '服务器配置的 AgentID 是该企业中本应用的 AgentId（应用管理 → 应用详情）',
  en: 'The server’s AgentID is this app’s AgentId in that corp (应用管理 → app details)',
};

/** Why the client refused an API that needs 客户联系, as our server found out (GET /api/jssdk/permission). */
export type PermissionCause = 'app-not-in-contact' | 'member-without-contact' | 'visible-range' | 'unknown';

/** The one thing the admin must fix for a refused API, by cause. */
export function permissionFixMessage(cause: PermissionCause): SdkMessage {
  switch (cause) {
    case 'app-not-in-contact':
      return {
        title: {
          zh: '应用未加入「客户联系」可调用应用',
          en: 'The app may not use 客户联系 (customer contact)',
        },
        body: {
          zh: '企业微信拒绝了本应用读取当前会话：管理员需要在管理后台把本应用加入客户联系的可调用应用。',
          en: 'WeCom refused to let this app read the current chat: an admin must add the app to the apps that may call 客户联系.',
        },
        adminChecks: [checkContactApp],
      };
    case 'member-without-contact':
      return {
        title: { zh: '你还没有开通「客户联系」', en: 'You do not have 客户联系 (customer contact)' },
        body: {
          zh: '本应用已获授权，但你的账号没有客户联系功能。请管理员为你开通：',
          en: 'The app is authorized, but your account lacks the 客户联系 feature. Ask an admin to enable it:',
        },
        adminChecks: [
          {
            zh: '管理后台「客户与上下游 → 客户联系 → 权限配置」中，使用范围包含你（或你所在的部门）',
            en: '客户联系 → 权限配置 (permissions) in the admin console includes you or your department',
          },
        ],
      };
    case 'visible-range':
      return {
        title: { zh: '你不在本应用的可见范围内', en: 'You are outside this app’s visible range' },
        body: {
          zh: '本应用只对可见范围内的成员开放。请管理员扩大可见范围：',
          en: 'This app is open only to members in its visible range. Ask an admin to widen it:',
        },
        adminChecks: [
          {
            zh: '管理后台「应用管理 → 本应用 → 可见范围」添加你或你所在的部门（第三方应用：授权时选择的可见范围，可在应用详情中修改）',
            en: 'Admin console → 应用管理 → this app → 可见范围 (visible range): add you or your department (third-party apps: the range chosen at authorization, editable in the app details)',
          },
        ],
      };
    case 'unknown':
      return {
        title: { zh: '没有客户联系权限', en: 'No customer-contact permission' },
        body: {
          zh: '企业微信拒绝了本应用读取当前会话。请联系管理员检查：',
          en: 'WeCom refused to let this app read the current chat. Ask your admin to check:',
        },
        adminChecks: [checkContactApp, checkMember],
      };
  }
}

/** The message for a failure of the WeCom client, Chinese and English; the errMsg is shown beside it verbatim. */
export function sdkErrorMessage(err: SdkError): SdkMessage {
  switch (err.kind) {
    case 'ticket-kind':
      return {
        title: {
          zh: '应用身份校验失败（jsapi_ticket 类型不对）',
          en: 'App verification failed (wrong kind of jsapi_ticket)',
        },
        body: {
          zh: '已重新获取签名并重试一次，仍未通过。请联系管理员检查：',
          en: 'Fresh signatures were fetched and tried once more, without success. Ask your admin to check:',
        },
        adminChecks: [checkAgentTicket, checkSignature],
      };
    case 'invalid-corpid':
      return {
        title: { zh: '企业 ID 与当前登录企业不一致', en: 'The CorpID is not the corp you are signed in to' },
        body: { zh: '请联系管理员检查：', en: 'Ask your admin to check:' },
        adminChecks: [checkCorpId],
      };
    case 'invalid-agentid':
      return {
        title: { zh: '应用 AgentId 不正确', en: 'The app’s AgentId is wrong' },
        body: { zh: '请联系管理员检查：', en: 'Ask your admin to check:' },
        adminChecks: [checkAgentId, checkCorpId],
      };
    case 'invalid-param':
      return {
        title: { zh: '客户端拒绝了消息内容', en: 'The client refused the message' },
        body: {
          zh: '链接卡片需要 http(s) 封面图片；请检查该快捷回复的链接与封面。',
          en: 'A link card needs an http(s) cover image; check the quick reply’s link and cover.',
        },
      };
    case 'invalid-media':
      return {
        title: { zh: '企业微信拒绝了素材', en: 'WeCom refused the media' },
        body: {
          zh: '素材已过期或无效（临时素材有效期 3 天）。已重新上传一次仍失败，请稍后重试或联系管理员检查该素材。',
          en: 'The media expired or is invalid (temporary media last 3 days). It was uploaded again once without success; try later or ask an admin to check it.',
        },
      };
    case 'not-wecom':
      return {
        title: { zh: '请在企业微信客户端中打开', en: 'Open this page inside the WeCom client' },
        body: {
          zh: '本页面是企业微信聊天工具栏应用，需要在企业微信的客户聊天或客户群聊中打开。',
          en: 'This is a WeCom chat-toolbar page: open it from a customer chat or customer group chat in WeCom.',
        },
      };
    case 'unsupported':
      return {
        title: { zh: '企业微信版本过低', en: 'Your WeCom client is too old' },
        body: {
          zh: '当前客户端不支持本页面需要的接口，请升级企业微信到最新版本后重试。',
          en: 'This client does not support the APIs this page needs. Please update WeCom and try again.',
        },
      };
    case 'timeout':
      return {
        title: { zh: '企业微信客户端没有响应', en: 'The WeCom client did not respond' },
        body: {
          zh: '等待客户端超时，请关闭侧边栏后重新打开；若仍然如此，请升级企业微信。',
          en: 'Timed out waiting for the client. Close and reopen the sidebar; if it persists, update WeCom.',
        },
      };
    case 'invalid-signature':
      return {
        title: { zh: '应用身份校验失败（签名无效）', en: 'App verification failed (invalid signature)' },
        body: {
          zh: '已重新获取签名并重试一次，仍未通过。请联系管理员检查：',
          en: 'Fresh signatures were fetched and tried once more, without success. Ask your admin to check:',
        },
        adminChecks: [checkSignature, checkTrustedDomain, checkJsSdk],
      };
    case 'invalid-domain':
      return {
        title: {
          zh: '页面域名不是应用的可信域名',
          en: 'This page’s domain is not a trusted domain of the app',
        },
        body: { zh: '请联系管理员检查：', en: 'Ask your admin to check:' },
        adminChecks: [checkTrustedDomain, checkJsSdk],
      };
    case 'signature-endpoint':
      return {
        title: { zh: '无法获取应用签名', en: 'Could not get the app signature' },
        body: {
          zh: '服务器没有返回 JS-SDK 签名，请稍后重试；若持续失败，请联系管理员检查服务器配置。',
          en: 'The server did not return JS-SDK signatures. Try again later; if it persists, ask your admin to check the server.',
        },
        adminChecks: [checkSignature],
      };
    case 'no-permission':
      return {
        title: { zh: '没有客户联系权限', en: 'No customer-contact permission' },
        body: {
          zh: '企业微信拒绝了本应用读取当前会话。请联系管理员检查：',
          en: 'WeCom refused to let this app read the current chat. Ask your admin to check:',
        },
        adminChecks:
          err.step === 'agentConfig'
            ? [checkJsSdk, checkTrustedDomain, checkSignature]
            : [checkContactApp, checkMember],
      };
    case 'without-context':
      return {
        title: { zh: '没有读取到当前会话', en: 'No chat context' },
        body: {
          zh: '请从客户单聊或客户群聊的聊天工具栏打开本页面。',
          en: 'Open this page from the chat toolbar of a customer chat or customer group chat.',
        },
      };
    case 'cancel':
      return {
        title: { zh: '已取消', en: 'Cancelled' },
        body: { zh: '操作已取消。', en: 'The action was cancelled.' },
      };
    default:
      return err.step === 'agentConfig'
        ? {
            title: { zh: '应用注册失败（agentConfig）', en: 'App registration failed (agentConfig)' },
            body: { zh: '请联系管理员检查：', en: 'Ask your admin to check:' },
            adminChecks: [checkTrustedDomain, checkSignature, checkJsSdk],
          }
        : {
            title: { zh: '企业微信接口调用失败', en: 'The WeCom client call failed' },
            body: {
              zh: '请关闭侧边栏后重新打开再试。',
              en: 'Close and reopen the sidebar, then try again.',
            },
          };
  }
}
