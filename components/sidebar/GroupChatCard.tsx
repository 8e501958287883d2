import { Fragment, type ReactNode } from 'react';
import { OpenDataName } from '@/components/open-data/OpenDataName';
import { Avatar, Chip } from '@/components/ui';
import type { EmployeeRef, GroupChatDto, GroupMemberDto } from '@/lib/contacts-dto';
import type { Lang } from '@/lib/bilingual';
import { formatDateTime, messages } from './i18n';
import styles from './sidebar.module.css';

/** The app as registered with the WeCom client, for names the client renders (ww-open-data). */
export interface OpenDataApp {
  corpId: string;
  agentId: string;
}

/** An employee's name: from the API, or rendered by the WeCom client (third-party apps get no names). */
function EmployeeName({ person, app }: { person: EmployeeRef; app?: OpenDataApp }) {
  if (person.nameSource === 'api') return <>{person.name}</>;
  return <OpenDataName userId={person.userId} app={app} />;
}

function MemberRow({ member, lang, app }: { member: GroupMemberDto; lang: Lang; app?: OpenDataApp }) {
  const t = messages(lang);
  const meta: ReactNode[] = [formatDateTime(member.joinedAt, lang), member.joinSceneText[lang]];
  if (member.invitedBy) {
    meta.push(
      member.invitedBy.nameSource === 'api' ? (
        t.invitedBy(member.invitedBy.name)
      ) : (
        <span data-testid="member-invitor">
          {t.invitedBy('')}
          <EmployeeName person={member.invitedBy} app={app} />
        </span>
      ),
    );
  }
  return (
    <li className={styles.member} data-testid={`member-${member.kind}`}>
      <Avatar name={member.name} size={32} />
      <div className={styles.memberMain}>
        <div className={styles.memberName}>
          <span data-testid="member-name">
            {member.kind === 'employee' ? <EmployeeName person={member} app={app} /> : member.name}
          </span>
          {member.groupNickname && member.groupNickname !== member.name ? (
            <span className={styles.muted} style={{ fontSize: 12 }}>
              （{member.groupNickname}）
            </span>
          ) : null}
          {member.isOwner ? <Chip tone="warn">{t.owner}</Chip> : null}
          {member.isAdmin ? <Chip tone="accent">{t.admin}</Chip> : null}
          {member.isMe ? <Chip tone="muted">{t.me}</Chip> : null}
        </div>
        <p className={styles.memberMeta}>
          {meta.map((item, i) => (
            <Fragment key={i}>
              {i > 0 ? ' · ' : null}
              {item}
            </Fragment>
          ))}
        </p>
      </div>
    </li>
  );
}

function MemberSection({
  title,
  members,
  lang,
  testId,
  app,
}: {
  title: string;
  members: GroupMemberDto[];
  lang: Lang;
  testId: string;
  app?: OpenDataApp;
}) {
  const t = messages(lang);
  return (
    <section className={styles.card} data-testid={testId}>
      <h2 className={styles.cardTitle}>{title}</h2>
      {members.length === 0 ? (
        <p className={styles.muted} style={{ margin: 0, fontSize: 13 }}>
          {t.nobody}
        </p>
      ) : (
        <ul className={styles.memberList}>
          {members.map((m, i) => (
            <MemberRow key={`${m.userId}-${i}`} member={m} lang={lang} app={app} />
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * A customer group chat: name, owner, notice, and members split into customers and employees. `app` is the app
 * registered with the client, for the employees' names a third-party app shows through ww-open-data.
 */
export function GroupChatCard({ chat, lang, app }: { chat: GroupChatDto; lang: Lang; app?: OpenDataApp }) {
  const t = messages(lang);
  return (
    <div data-testid="group-chat" style={{ display: 'contents' }}>
      <section className={styles.card}>
        <div className={styles.header}>
          <Avatar name={chat.name} size={48} square />
          <div className={styles.headerMain}>
            <h1 className={styles.name} data-testid="group-name">
              {chat.name}
            </h1>
            <p className={styles.sub} data-testid="group-owner">
              {t.owner}：<EmployeeName person={chat.owner} app={app} />
              {chat.owner.isMe ? `（${t.me}）` : ''} · {t.members(chat.memberCount)}
            </p>
            <p className={styles.sub}>
              {t.createdAt}：{formatDateTime(chat.createdAt, lang)}
            </p>
          </div>
        </div>
      </section>
      <section className={styles.card} data-testid="group-notice">
        <h2 className={styles.cardTitle}>{t.notice}</h2>
        {chat.notice ? (
          <p className={styles.notice}>{chat.notice}</p>
        ) : (
          <p className={styles.muted} style={{ margin: 0, fontSize: 13 }}>
            {t.noNotice}
          </p>
        )}
      </section>
      <MemberSection
        title={t.customers(chat.customers.length)}
        members={chat.customers}
        lang={lang}
        testId="group-customers"
        app={app}
      />
      <MemberSection
        title={t.employees(chat.employees.length)}
        members={chat.employees}
        lang={lang}
        testId="group-employees"
        app={app}
      />
    </div>
  );
}
