import type { AppConfig } from './config';
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
      where: {
        zh: '应用管理 → 本应用 → 应用主页 → 设置应用主页网页地址',
        en: 'App management → this app → App home page → web page URL',
      },
    },
    {
      id: 'toolbarUrl',
      label: { zh: '聊天工具栏页面', en: 'Chat toolbar page' },
      value: `${base}/sidebar`,
      where: {
        zh: '客户联系 → 聊天工具栏管理 → 配置应用页面 → 自定义 → 页面内容（选本应用）',
        en: 'Customer contact → Chat toolbar → add app page → custom → page URL (this app)',
      },
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
        zh: '应用管理 → 本应用 → 开发者接口 → 网页授权及JS-SDK → 设置可信域名（需先放置校验文件）',
        en: 'App → Developer API → Web authorization & JS-SDK → trusted domain (needs the verification file)',
      },
    },
    {
      id: 'oauthDomain',
      label: { zh: 'OAuth 授权回调域 / 企业微信授权登录', en: 'OAuth redirect domain / web login' },
      value: host,
      where: {
        zh: '应用管理 → 本应用 → 开发者接口 → 企业微信授权登录 → Web网页 → 授权回调域',
        en: 'App → Developer API → WeCom login → Web page → authorized redirect domain',
      },
    },
  ];
  if (config.callback) {
    values.push({
      id: 'callbackUrl',
      label: { zh: '接收消息 URL', en: 'Callback (receive messages) URL' },
      value: `${base}/api/wecom/callback`,
      where: {
        zh: '应用管理 → 本应用 → 接收消息 → 设置API接收（Token 与 EncodingAESKey 与 .env 中一致）',
        en: 'App → Receive messages → set API receiving (Token and EncodingAESKey as in .env)',
      },
    });
  }
  return values;
}
