import type { Bilingual } from './http';

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

/**
 * Where each setting lives in WeCom's consoles, written once: the client errors below, the admin checks
 * (lib/checks.ts) and the doctor all quote these.
 */
export const CONSOLE = {
  homeUrl: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → 应用主页 → 设置应用主页网页地址',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → 应用主页 (App home page) → web page URL',
  ),
  toolbarPage: bi(
    '管理后台 → 客户与上下游 → 客户联系 → 聊天工具栏管理 → 配置应用页面 → 自定义（选本应用）',
    'Admin console → 客户与上下游 → 客户联系 (Customer contact) → 聊天工具栏管理 (Chat toolbar) → add app page → custom (this app)',
  ),
  oauthDomain: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → 开发者接口 → 企业微信授权登录 → Web网页 → 授权回调域',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → 开发者接口 → 企业微信授权登录 (WeCom login) → Web page → authorized redirect domain',
  ),
  callback: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → 接收消息 → 设置API接收',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → 接收消息 (Receive messages) → set API receiving',
  ),
  corpId: bi(
    '管理后台 → 我的企业 → 企业信息 → 企业ID',
    'Admin console → 我的企业 (My company) → 企业信息 → 企业ID (Corp ID)',
  ),
  appSecret: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → Secret',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → Secret',
  ),
  agentId: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → AgentId',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → AgentId',
  ),
  trustedIp: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → 企业可信IP (Trusted IPs)',
  ),
  providerIpAllowList: bi(
    '服务商管理后台 → 服务商信息 → 基本信息 → IP白名单',
    'Provider console (服务商管理后台) → 服务商信息 → 基本信息 → IP白名单 (IP allow-list)',
  ),
  trustedDomain: bi(
    '管理后台 → 应用管理 → 自建 → 本应用 → 开发者接口 → 网页授权及JS-SDK → 可信域名',
    'Admin console → 应用管理 (Apps) → 自建 (Self-built) → this app → 开发者接口 → 网页授权及JS-SDK → 可信域名 (trusted domain)',
  ),
  providerTrustedDomain: bi(
    '服务商管理后台 → 应用管理 → 本应用 → 可信域名',
    'Provider console → 应用管理 (Apps) → this app → 可信域名 (trusted domain)',
  ),
  visibleRange: bi(
    '管理后台 → 应用管理 → 本应用 → 可见范围',
    'Admin console → 应用管理 (Apps) → this app → 可见范围 (Visible range)',
  ),
  externalContactApps: bi(
    '管理后台 → 客户与上下游 → 客户联系 → 客户 → API → 可调用应用',
    'Admin console → 客户与上下游 → 客户联系 (Customer contact) → 客户 → API → 可调用应用 (apps allowed to call)',
  ),
  providerPermissions: bi(
    '服务商管理后台 → 应用管理 → 本应用 → 权限 → 企业客户权限 → 客户基础信息',
    'Provider console → 应用管理 (Apps) → this app → 权限 (permissions) → 企业客户权限 → 客户基础信息',
  ),
  contactSyncTrustedIp: bi(
    '管理后台 → 安全与管理 → 管理工具 → 通讯录同步 → 企业可信IP',
    'Admin console → 安全与管理 → 管理工具 → 通讯录同步 (Contact sync) → 企业可信IP',
  ),
  appEnabled: bi(
    '管理后台 → 应用管理 → 本应用 → 启用',
    'Admin console → 应用管理 (Apps) → this app → Enable',
  ),
} as const;
