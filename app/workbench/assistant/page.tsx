import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { AssistantPanel } from '@/components/assistant/AssistantPanel';
import { requirePageUser } from '@/lib/auth';
import { pickLang } from '@/lib/http';
import styles from '@/components/workbench/workbench.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '问答助手 · Assistant' };

/** The assistant as a full page in the workbench, offering the member's own recent questions. */
export default async function WorkbenchAssistantPage() {
  await requirePageUser('/workbench/assistant');
  const lang = pickLang((await headers()).get('accept-language'));
  return (
    <main className={styles.page} data-testid="workbench-assistant">
      <a className={styles.back} href="/workbench">
        ‹ 工作台 / Workbench
      </a>
      <h1 style={{ fontSize: 18, margin: '8px 0 12px' }}>问答助手 / Assistant</h1>
      <AssistantPanel lang={lang} suggestionsUrl="/api/assistant/recent" suggestionsLabel="recent" />
    </main>
  );
}
