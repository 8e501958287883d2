import type { ReactNode } from 'react';
import styles from './ui.module.css';

export type ChipTone = 'default' | 'accent' | 'ok' | 'warn' | 'muted';

const toneClass: Record<ChipTone, string | undefined> = {
  default: undefined,
  accent: styles.chipAccent,
  ok: styles.chipOk,
  warn: styles.chipWarn,
  muted: styles.chipMuted,
};

export function Chip({
  children,
  tone = 'default',
  title,
}: {
  children: ReactNode;
  tone?: ChipTone;
  title?: string;
}) {
  const extra = toneClass[tone];
  return (
    <span className={extra ? `${styles.chip} ${extra}` : styles.chip} title={title}>
      {children}
    </span>
  );
}
