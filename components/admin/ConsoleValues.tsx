import type { ConsoleValue } from '@/lib/console-values';
import { CopyButton } from './CopyButton';
import styles from './admin.module.css';

/** The values to paste into the WeCom admin console, each with where it goes and a copy button. */
export function ConsoleValues({ values }: { values: ConsoleValue[] }) {
  return (
    <ul className={styles.values}>
      {values.map((v) => (
        <li key={v.id} className={styles.value} data-testid={`console-${v.id}`}>
          <div className={styles.valueLabel}>
            {v.label.zh} <span className={styles.en}>{v.label.en}</span>
          </div>
          <div className={styles.valueRow}>
            <code className={styles.valueText} data-testid="console-value">
              {v.value}
            </code>
            <CopyButton text={v.value} label={v.label.en} />
          </div>
          <div className={styles.where}>
            {v.where.zh}
            <br />
            <span lang="en">{v.where.en}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
