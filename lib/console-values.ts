import type { AppConfig } from './config';
import { CONSOLE } from './console-paths';
import type { Bilingual } from './http';

export interface ConsoleValue {
  id: 'homeUrl' | 'toolbarUrl' | 'toolbarName' | 'trustedDomain' | 'oauthDomain' | 'callbackUrl';
  label: Bilingual;
  value: string;
  /** Where in the WeCom admin console (管理后台) the value goes. */
  where: Bilingual;
}

/** The values an admin pastes into the WeCom admin console for this deployment, derived from the config alone. */
export function consoleValues(config: Pick<AppConfig, 'appBaseUrl' | 'callback'>): ConsoleValue[] {
  const base = config.appBaseUrl.replace(/\/+$/, '');
  const host = new URL(base).host;
  const values: ConsoleValue[] = [
    {
      id: 'homeUrl',
      label: { zh: '应用主页', en: 'App home page' },
      value: `${base}/workbench`,
      where: CONSOLE.homeUrl,
    },
    {
      id: 'toolbarUrl',
      label: { zh: '聊天工具栏页面', en: 'Chat toolbar page' },
      value: `${base}/sidebar`,
      where: CONSOLE.toolbarPage,
    },
    {
      id: 'toolbarName',
      label: { zh: '聊天工具栏页面名称（建议）', en: 'Chat toolbar page name (suggested)' },
      value: '客户资料',
      where: { zh: '同上，页面名称', en: 'Same dialog, page name' },
    },
    {
      id: 'trustedDomain',
      label: { zh: '可信域名', en: 'Trusted domain' },
      value: host,
      where: {
        zh: `${CONSOLE.trustedDomain.zh}（需先放置校验文件）`,
        en: `${CONSOLE.trustedDomain.en} (needs the verification file)`,
      },
    },
    {
      id: 'oauthDomain',
      label: { zh: 'OAuth 授权回调域 / 企业微信授权登录', en: 'OAuth redirect domain / web login' },
      value: host,
      where: CONSOLE.oauthDomain,
    },
  ];
  if (config.callback) {
    values.push({
      id: 'callbackUrl',
      label: { zh: '接收消息 URL', en: 'Callback (receive messages) URL' },
      value: `${base}/api/wecom/callback`,
      where: {
        zh: `${CONSOLE.callback.zh}（Token 与 EncodingAESKey 与 .env 中一致）`,
        en: `${CONSOLE.callback.en} (Token and EncodingAESKey as in .env)`,
      },
    });
  }
  return values;
}
