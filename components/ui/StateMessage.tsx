import type { ReactNode } from 'react';
import styles from './ui.module.css';

export type StateTone = 'info' | 'warn' | 'error';

export interface StateMessageProps {
  tone?: StateTone;
  title: ReactNode;
  children?: ReactNode;
  /** Technical detail such as a client errMsg, shown verbatim in a monospace box. */
  detail?: string;
  actions?: ReactNode;
  /** Stable hook for tests and support: which state this is. */
  state?: string;
}

const icons: Record<StateTone, string> = { info: 'i', warn: '!', error: '×' };

/** A full-width message for an empty, blocked or failed view, with what to do next. */
export function StateMessage({ tone = 'info', title, children, detail, actions, state }: StateMessageProps) {
  const toneClass = tone === 'error' ? styles.stateError : tone === 'warn' ? styles.stateWarn : '';
  return (
    <section
      className={`${styles.state} ${toneClass}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-state={state}
      data-testid="state"
    >
      <span className={styles.stateIcon} aria-hidden>
        {icons[tone]}
      </span>
      <h2 className={styles.stateTitle}>{title}</h2>
      {children ? <div className={styles.stateBody}>{children}</div> : null}
      {detail ? <p className={styles.stateDetail}>{detail}</p> : null}
      {actions ? <div className={styles.stateActions}>{actions}</div> : null}
    </section>
  );
}
