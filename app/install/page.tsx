import type { Metadata } from 'next';
import { ButtonLink, StateMessage } from '@/components/ui';
import { unsealData } from 'iron-session';
import { getConfig } from '@/lib/config';
import { suiteErrorMessage } from '@/lib/wecom/suite';
import { getTenancy } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '安装到企业微信 · Install' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The provider's install page: one button to WeCom's authorization page, and the outcome when WeCom sends the admin back. */
export default async function InstallPage({ searchParams }: Props) {
  const params = await searchParams;
  const suite = getTenancy().suite;
  const demo = getConfig().mode === 'demo';
  if (!suite) {
    return (
      <main style={{ maxWidth: 640, margin: '40px auto', padding: '0 16px' }}>
        <StateMessage tone="info" title="未启用第三方应用模式 / Third-party mode is off" state="suite-off">
          设置 WECOM_SUITE_ID、WECOM_SUITE_SECRET、WECOM_SUITE_TOKEN、WECOM_SUITE_ENCODING_AES_KEY 后可用。
          <br />
          Set the WECOM_SUITE_* variables to enable it.
        </StateMessage>
      </main>
    );
  }
  // The install route seals the outcome into ?result=; a corp id in the address reveals nothing.
  const sealed = one(params.result);
  const installed = sealed
    ? await unsealData<{ corpName?: string }>(sealed, { password: getConfig().sessionSecret })
        .then((r) => (typeof r.corpName === 'string' ? { corpName: r.corpName } : null))
        .catch(() => null)
    : null;
  const error = one(params.error);
  const message = error ? suiteErrorMessage(error) : null;
  return (
    <main style={{ maxWidth: 640, margin: '40px auto', padding: '0 16px' }}>
      <h1>安装客户侧边栏 · Install the sidebar</h1>
      <p>企业管理员点击下方按钮，在企业微信授权页选择企业并确认授权。</p>
      <p style={{ color: 'var(--muted)' }}>
        Corp admins: click the button, pick your corp on WeCom’s authorization page and confirm.
        {demo ? ' 演示模式使用测试授权 / Demo mode uses test authorization.' : null}
      </p>
      {installed ? (
        <StateMessage tone="info" title={`已安装到「${installed.corpName}」/ Installed`} state="installed">
          成员可在工作台打开应用，或在聊天工具栏使用侧边栏。
          <br />
          Members can open the app from the workbench or the chat toolbar.
        </StateMessage>
      ) : null}
      {message ? (
        <StateMessage tone="error" title="安装未完成 / Installation failed" state="install-error">
          {message.zh}
          <br />
          {message.en}
        </StateMessage>
      ) : null}
      <p>
        <ButtonLink variant="primary" href="/api/wecom/suite/install" data-testid="install">
          安装到企业微信 / Install to WeCom
        </ButtonLink>
      </p>
    </main>
  );
}
