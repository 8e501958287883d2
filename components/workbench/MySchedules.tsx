'use client';

import { useState } from 'react';
import { ScheduleList } from '@/components/schedule/ScheduleList';
import { Toast } from '@/components/ui';
import type { Lang } from '@/lib/bilingual';

const HINT = {
  zh: '在侧边栏为客户或客户群安排定时发送；到点后在企业微信「群发助手」确认发送。未发出前可修改或取消。',
  en: 'Schedule messages from the sidebar of a customer or group chat; when due, confirm them in WeCom’s mass-message assistant. Until then you can edit or cancel them.',
};

/** Every schedule the member created, whichever customer or group chat it is for. */
export function MySchedules({ lang }: { lang: Lang }) {
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);
  return (
    <section>
      <p style={{ fontSize: 13, color: 'var(--muted)' }}>{HINT[lang]}</p>
      <ScheduleList
        query={{}}
        lang={lang}
        showTarget
        onMessage={(message, tone) => setToast({ message, tone })}
      />
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </section>
  );
}
