import type { SdkError } from './errors';

interface Text {
  zh: string;
  en: string;
}

export interface SdkMessage {
  title: Text;
  body: Text;
  /** What the admin should check, one line each. */
  adminChecks?: Text[];
}

const checkTrustedDomain: Text = {
  zh: '应用的「网页授权及JS-SDK → 可信域名」包含本页域名（含端口），并已完成域名归属验证',
  en: "The app's trusted domain (网页授权及JS-SDK → 可信域名) matches this page's host and port, and is verified",
};
const checkSignature: Text = {
  zh: '服务器的 CorpID、AgentID 与 Secret 属于同一个应用；签名使用当前页面完整 URL（不含 # 之后部分）',
  en: 'The server’s CorpID, AgentID and Secret belong to this app; the signature covers the full page URL (without #…)',
};
const checkJsSdk: Text = {
  zh: '应用已启用 JS-SDK，并在「聊天工具栏」中配置了本页面',
  en: 'JS-SDK is enabled for the app and this page is configured in the chat toolbar (聊天工具栏)',
};
const checkContactApp: Text = {
  zh: '管理后台「客户与上下游 → 客户联系 → API → 可调用接口的应用」已加入本应用',
  en: 'The app is listed under 客户联系 → API → 可调用接口的应用 (apps that may call the customer-contact API)',
};
const checkMember: Text = {
  zh: '当前成员已开通「客户联系」功能，并在应用可见范围内',
  en: 'The current member has the 客户联系 (customer contact) feature and is in the app’s visible range',
};

/** The message for a failure of the WeCom client, Chinese and English; the errMsg is shown beside it verbatim. */
export function sdkErrorMessage(err: SdkError): SdkMessage {
  switch (err.kind) {
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
