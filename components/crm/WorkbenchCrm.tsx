'use client';

import useSWR from 'swr';
import { OpenDataName } from '@/components/open-data/OpenDataName';
import type { CustomerGroup, FollowUp } from '@/lib/crm/types';
import type { Lang } from '@/lib/bilingual';
import { api, type ApiError } from '@/lib/api-client';
import styles from './crm.module.css';

const fmt = (iso: string, lang: Lang) =>
  new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

/** Workbench: 待跟进 (my notes whose follow-up time has come, oldest first) and 我的客户群 (groups I own). */
export function WorkbenchCrm({ lang, app }: { lang: Lang; app?: { corpId: string; agentId: string } }) {
  const opts = { revalidateOnFocus: false };
  const followUps = useSWR<{ items: FollowUp[] }, ApiError>('/api/follow-ups', api.get, opts);
  const groups = useSWR<{ items: CustomerGroup[] }, ApiError>('/api/my-group-chats', api.get, opts);
  return (
    <>
      <section className={styles.card} data-testid="follow-ups">
        <h2 className={styles.title}>待跟进 / Follow-ups due</h2>
        {followUps.error ? <p className={styles.error}>{followUps.error.userMessage[lang]}</p> : null}
        {followUps.data && followUps.data.items.length === 0 ? (
          <p className={styles.muted}>{lang === 'en' ? 'Nothing due' : '暂无到期的跟进'}</p>
        ) : null}
        <ul className={styles.list}>
          {(followUps.data?.items ?? []).map((f) => (
            <li key={f.noteId} className={styles.row} data-testid="follow-up">
              <a
                href={`/workbench/customers/${encodeURIComponent(f.externalUserId)}`}
                className={styles.actionLink}
              >
                {f.customerName || f.externalUserId}
              </a>
              <span className={styles.meta} title={f.text}>
                {f.text.length > 24 ? `${f.text.slice(0, 24)}…` : f.text} · {fmt(f.followUpAt, lang)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className={styles.card} data-testid="my-group-chats">
        <h2 className={styles.title}>我的客户群 / My group chats</h2>
        {groups.error ? <p className={styles.error}>{groups.error.userMessage[lang]}</p> : null}
        {groups.data && groups.data.items.length === 0 ? (
          <p className={styles.muted}>
            {lang === 'en' ? 'You own no customer groups' : '你还没有作为群主的客户群'}
          </p>
        ) : null}
        <ul className={styles.list}>
          {(groups.data?.items ?? []).map((g) => (
            <li key={g.chatId} className={styles.row} data-testid="my-group-chat">
              <span>{g.name}</span>
              <span className={styles.meta}>
                {g.owner.nameSource === 'open-data' ? (
                  <OpenDataName userId={g.owner.userId} app={app} />
                ) : null}
                {lang === 'en' ? `${g.memberCount} members` : `${g.memberCount} 人`}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
