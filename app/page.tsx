import Link from 'next/link';
import { getConfig } from '@/lib/config';

// Demo or live is decided when the server starts, never when it is built.
export const dynamic = 'force-dynamic';

export default function Home() {
  const demo = getConfig().mode === 'demo';
  return (
    <main style={{ maxWidth: 640, margin: '40px auto', padding: '0 16px' }}>
      <h1>客户侧边栏 · WeCom Sidebar</h1>
      <p>企业微信聊天工具栏里的客户资料、客户群详情与快捷回复。</p>
      <ul>
        {demo ? (
          <li>
            <Link href="/simulator">企业微信模拟器 / WeCom simulator</Link>：在浏览器里体验完整的侧边栏
          </li>
        ) : null}
        <li>
          <Link href="/workbench">工作台 / Workbench</Link>：我的客户
        </li>
        <li>
          <Link href="/sidebar">聊天工具栏 / Chat toolbar</Link>（在企业微信客户端的聊天工具栏中打开）
        </li>
        <li>
          <Link href="/admin">管理后台 / Admin setup</Link>：配置值与配置检查
        </li>
      </ul>
    </main>
  );
}
