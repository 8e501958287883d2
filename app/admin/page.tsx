import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { isAdmin, requirePageUser } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { consoleValues } from '@/lib/console-values';
import { AudienceSchedule } from '@/components/admin/AudienceSchedule';
import { ChecksPanel } from '@/components/admin/ChecksPanel';
import { PipelineEditor, TagLibraryManager } from '@/components/crm/AdminCrm';
import { ConsoleValues } from '@/components/admin/ConsoleValues';
import { KnowledgeManager } from '@/components/admin/KnowledgeManager';
import { QuickReplyManager } from '@/components/admin/QuickReplyManager';
import { SignatureDebugger } from '@/components/admin/SignatureDebugger';
import styles from '@/components/admin/admin.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '管理设置 · Admin setup', robots: { index: false } };

export default async function AdminPage() {
  const user = await requirePageUser('/admin');
  if (!isAdmin(user)) forbidden();
  const config = getConfig();
  return (
    <main className={styles.page} data-testid="admin">
      <header className={styles.header}>
        <h1>管理设置 · Admin setup</h1>
        <span className={styles.who}>
          {user.name ?? user.userId}（{user.userId}）·{' '}
          {config.mode === 'demo' ? '演示模式 / demo' : user.corpId}
        </span>
      </header>
      <nav className={styles.nav} aria-label="sections">
        <a href="#console">后台配置 / Console values</a>
        <a href="#checks">配置检查 / Checks</a>
        <a href="#signature">签名调试 / Signature</a>
        <a href="#replies">快捷回复 / Quick replies</a>
        <a href="#schedule">按标签群发 / Scheduled mass messages</a>
        <a href="#knowledge">知识库 / Knowledge base</a>
        <a href="#pipeline">客户阶段 / Pipeline</a>
        <a href="#tags">客户标签 / Tags</a>
        <a href="/workbench">工作台 / Workbench</a>
      </nav>

      <section id="console" className={styles.section}>
        <h2>填写到企业微信管理后台的值 / Values for the WeCom admin console</h2>
        <p className={styles.hint}>
          在 work.weixin.qq.com 管理后台逐项粘贴 / Paste each into the admin console at work.weixin.qq.com
        </p>
        <ConsoleValues values={consoleValues(config)} />
      </section>

      <section id="checks" className={styles.section}>
        <h2>配置检查 / Configuration check</h2>
        <p className={styles.hint}>
          实时调用企业微信接口检查（同 npm run doctor）/ Live calls to WeCom, same as npm run doctor
        </p>
        <ChecksPanel />
      </section>

      <section id="signature" className={styles.section}>
        <h2>JS-SDK 签名调试 / JS-SDK signature debugger</h2>
        <p className={styles.hint}>
          与企业微信官方签名校验工具相同的算法：string1 =
          jsapi_ticket=…&amp;noncestr=…&amp;timestamp=…&amp;url=…，signature = sha1(string1) / Same algorithm
          as WeCom&apos;s own tool
        </p>
        <SignatureDebugger defaultUrl={`${config.appBaseUrl}/sidebar`} />
      </section>

      <section id="replies" className={styles.section}>
        <h2>快捷回复 / Quick replies</h2>
        <p className={styles.hint}>
          分类、各类回复（文本、图文、图片、视频、文件、小程序、多条）、素材上传与导入导出；保存后侧边栏立即生效
          / Categories, replies of every kind, media uploads, import and export; changes show in the sidebar
          at once
        </p>
        <QuickReplyManager />
      </section>

      <section id="schedule" className={styles.section}>
        <h2>按标签定时群发 / Scheduled mass messages by tag</h2>
        <p className={styles.hint}>
          到点后企业微信提醒所选成员在「群发助手」确认发送（企业微信要求成员确认）/ When due, WeCom asks the
          member to confirm the send in its mass-message assistant
        </p>
        <AudienceSchedule />
      </section>

      <section id="knowledge" className={styles.section}>
        <h2>知识库 / Knowledge base</h2>
        <p className={styles.hint}>
          侧边栏和工作台的问答助手从这里查找答案 / The assistant answers from these documents
        </p>
        <KnowledgeManager />
      </section>

      <section id="pipeline" className={styles.section}>
        <h2>客户阶段 / Pipeline</h2>
        <p className={styles.hint}>
          保存为企业微信中的一个客户标签组（客户阶段），企业微信和其他工具也能看到 / Saved as one corp tag
          group in WeCom, so WeCom and other tools see the stage too
        </p>
        <PipelineEditor />
      </section>

      <section id="tags" className={styles.section}>
        <h2>企业客户标签 / Corp customer tags</h2>
        <p className={styles.hint}>
          本应用只能修改和删除自己创建的标签；管理后台创建的标签只读 / This app may change and delete only the
          tags it created; tags made in the admin console are read-only here
        </p>
        <TagLibraryManager />
      </section>
    </main>
  );
}
