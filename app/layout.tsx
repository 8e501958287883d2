import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { getConfig } from '@/lib/config';
import { tenancyProfile } from '@/lib/wecom/tenancy-profile';
import { OPEN_DATA_SCRIPT_ID } from '@/lib/jssdk-client/open-data-id';
import './globals.css';

export const metadata: Metadata = {
  title: '客户侧边栏 · WeCom Sidebar',
  description: '企业微信聊天工具栏客户侧边栏 / WeCom chat-toolbar customer sidebar',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const config = getConfig();
  const h = await headers();
  const userAgent = h.get('user-agent') ?? '';
  // The WeCom client announces its theme in the user agent (ColorScheme/Dark); browsers use the media query.
  const theme = /ColorScheme\/Dark/i.test(userAgent)
    ? 'dark'
    : /ColorScheme\/Light/i.test(userAgent)
      ? 'light'
      : undefined;
  const demo = config.mode === 'demo';
  const openData = tenancyProfile(config).openDataScript;
  return (
    <html lang="zh-CN" data-theme={theme}>
      <head>
        {/* Demo mode only: the emulated WeCom client bridge must exist before @wecom/jssdk loads, so it blocks. */}
        {/* eslint-disable-next-line @next/next/no-sync-scripts */}
        {demo ? <script src="/wecom-emulator/bridge.js" /> : null}
        {/* Third-party mode: WeCom's open-data SDK, loaded as its docs say (referrerpolicy origin), before initOpenData. */}
        {openData ? (
          <script
            id={OPEN_DATA_SCRIPT_ID}
            src={openData}
            referrerPolicy="origin"
            async
            nonce={h.get('x-nonce') ?? undefined}
          />
        ) : null}
      </head>
      <body>
        {demo ? (
          <div className="demo-banner" role="note">
            演示模式 · Demo mode
            <span className="demo-banner-detail">
              ：连接内置企业微信模拟器，未配置真实企业 · running against the built-in WeCom emulator
            </span>
          </div>
        ) : null}
        {children}
      </body>
    </html>
  );
}
