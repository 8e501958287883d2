import { Button, StateMessage } from '@/components/ui';
import styles from './admin.module.css';

/** Shown to a signed-in member who is not an admin. */
export function Forbidden({ userId, name }: { userId: string; name?: string }) {
  return (
    <main className={styles.page} data-testid="admin-forbidden">
      <StateMessage
        tone="error"
        state="forbidden"
        title="403 · 无权访问管理页 / Not allowed"
        actions={
          <form method="post" action="/api/auth/logout">
            <Button type="submit">换个账号登录 / Sign in as someone else</Button>
          </form>
        }
      >
        <p>
          {name ?? userId}（{userId}）不在管理员列表中。请让部署者把你的 userid 加入 ADMIN_USERIDS。
        </p>
        <p lang="en">
          {name ?? userId} ({userId}) is not an admin. Ask whoever deploys the app to add your userid to
          ADMIN_USERIDS.
        </p>
        <p>
          <a href="/workbench">返回工作台 / Back to the workbench</a>
        </p>
      </StateMessage>
    </main>
  );
}
