import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { MySchedules } from '@/components/workbench/MySchedules';
import { requirePageUser } from '@/lib/auth';
import { pickLang } from '@/lib/http';
import styles from '@/components/workbench/workbench.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '定时发送 · Scheduled messages' };

/** The member's scheduled messages to every customer and group chat, upcoming and past, with their state. */
export default async function WorkbenchSchedulesPage() {
  await requirePageUser('/workbench/schedules');
  const lang = pickLang((await headers()).get('accept-language'));
  return (
    <main className={styles.page} data-testid="workbench-schedules">
      <a className={styles.back} href="/workbench">
        ‹ 工作台 / Workbench
      </a>
      <h1 style={{ fontSize: 18, margin: '8px 0 12px' }}>定时发送 / Scheduled messages</h1>
      <MySchedules lang={lang} />
    </main>
  );
}
