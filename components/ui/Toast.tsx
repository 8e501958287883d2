import styles from './ui.module.css';

/** A short-lived notice at the bottom of the view; the caller decides when to remove it. */
export function Toast({ message, tone = 'ok' }: { message: string; tone?: 'ok' | 'error' }) {
  return (
    <div
      className={tone === 'error' ? `${styles.toast} ${styles.toastError}` : styles.toast}
      role="status"
      data-testid="toast"
      data-tone={tone}
    >
      {message}
    </div>
  );
}
