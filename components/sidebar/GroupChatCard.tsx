import { Avatar, Chip } from '@/components/ui';
import type { GroupChatDto, GroupMemberDto } from '@/lib/contacts-dto';
import { formatDateTime, messages, type Lang } from './i18n';
import styles from './sidebar.module.css';

function MemberRow({ member, lang }: { member: GroupMemberDto; lang: Lang }) {
  const t = messages(lang);
  const meta = [formatDateTime(member.joinedAt, lang), member.joinSceneText[lang]];
  if (member.invitedBy) meta.push(t.invitedBy(member.invitedBy));
  return (
    <li className={styles.member} data-testid={`member-${member.kind}`}>
      <Avatar name={member.name} size={32} />
      <div className={styles.memberMain}>
        <div className={styles.memberName}>
          <span data-testid="member-name">{member.name}</span>
          {member.groupNickname && member.groupNickname !== member.name ? (
            <span className={styles.muted} style={{ fontSize: 12 }}>
              （{member.groupNickname}）
            </span>
          ) : null}
          {member.isOwner ? <Chip tone="warn">{t.owner}</Chip> : null}
          {member.isAdmin ? <Chip tone="accent">{t.admin}</Chip> : null}
          {member.isMe ? <Chip tone="muted">{t.me}</Chip> : null}
        </div>
        <p className={styles.memberMeta}>{meta.join(' · ')}</p>
      </div>
    </li>
  );
}

function MemberSection({
  title,
  members,
  lang,
  testId,
}: {
  title: string;
  members: GroupMemberDto[];
  lang: Lang;
  testId: string;
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
            <MemberRow key={`${m.name}-${i}`} member={m} lang={lang} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** A customer group chat: name, owner, notice, and members split into customers and employees. */
export function GroupChatCard({ chat, lang }: { chat: GroupChatDto; lang: Lang }) {
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
            <p className={styles.sub}>
              {t.owner}：{chat.owner.name}
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
      />
      <MemberSection
        title={t.employees(chat.employees.length)}
        members={chat.employees}
        lang={lang}
        testId="group-employees"
      />
    </div>
  );
}
