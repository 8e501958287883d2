import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth';
import { PersonalReplies } from '@/components/content/PersonalReplies';
import styles from '@/components/workbench/workbench.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '我的快捷回复 · My quick replies' };

/** A member's own quick replies: only they see them, in the sidebar beside the corp's. */
export default async function WorkbenchRepliesPage() {
  await requirePageUser('/workbench/replies');
  return (
    <main className={styles.page} data-testid="workbench-replies">
      <a className={styles.back} href="/workbench">
        ‹ 工作台 / Workbench
      </a>
      <h1 style={{ fontSize: 18, margin: '8px 0 4px' }}>我的快捷回复 / My quick replies</h1>
      <p style={{ color: 'var(--muted)', fontSize: 12, margin: '0 0 12px' }}>
        只有你能看到和发送这些回复 / Only you see and send these replies
      </p>
      <PersonalReplies />
    </main>
  );
}
