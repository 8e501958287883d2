import { OpenDataName } from '@/components/open-data/OpenDataName';
import { Avatar } from '@/components/ui';
import styles from './workbench.module.css';

export interface EmployeeCardProps {
  userId: string;
  name?: string;
  avatar?: string;
  /** Where to ask for snsapi_privateinfo consent (the avatar is only given with it); none outside WeCom. */
  avatarConsentHref?: string;
  isAdmin: boolean;
  /** Third-party mode: no names from the server, the client renders them (ww-open-data) for this corp/agent. */
  openDataApp?: { corpId: string; agentId: string };
}

/** Who is signed in; the avatar appears only after the member agreed to share it. */
export function EmployeeCard({
  userId,
  name,
  avatar,
  avatarConsentHref,
  isAdmin,
  openDataApp,
}: EmployeeCardProps) {
  return (
    <section className={styles.me} data-testid="employee">
      <Avatar src={avatar} name={name ?? userId} size={52} />
      <div className={styles.meText}>
        <div className={styles.meName} data-testid="employee-name">
          <OpenDataName userId={userId} name={name} app={openDataApp} />
        </div>
        <div className={styles.meSub}>账号 / userid: {userId}</div>
        <div className={styles.meLinks}>
          {avatar ? null : avatarConsentHref ? (
            <a href={avatarConsentHref} data-testid="avatar-consent">
              授权显示头像 / Show my avatar
            </a>
          ) : (
            <span>在企业微信中打开可显示头像 / Open in WeCom to show your avatar</span>
          )}
          <a href="/workbench/assistant" data-testid="assistant-link">
            问答助手 / Assistant
          </a>
          <a href="/workbench/schedules" data-testid="schedules-link">
            定时发送 / Scheduled messages
          </a>
          <a href="/workbench/replies" data-testid="replies-link">
            我的快捷回复 / My replies
          </a>
          {isAdmin ? <a href="/admin">管理设置 / Admin setup</a> : null}
        </div>
      </div>
    </section>
  );
}
