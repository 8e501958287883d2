import styles from './ui.module.css';

export function SkeletonBlock({
  width = '100%',
  height = 12,
  circle = false,
}: {
  width?: number | string;
  height?: number | string;
  circle?: boolean;
}) {
  return (
    <span
      className={circle ? `${styles.skeletonBlock} ${styles.skeletonCircle}` : styles.skeletonBlock}
      style={{ width, height }}
    />
  );
}

/** Placeholder while something loads: an avatar row and a few text lines, so the page is never blank. */
export function Skeleton({
  lines = 4,
  avatar = true,
  label,
}: {
  lines?: number;
  avatar?: boolean;
  label: string;
}) {
  const widths = ['92%', '76%', '84%', '60%', '70%', '88%'];
  return (
    <div className={styles.skeleton} role="status" aria-live="polite" aria-busy="true" data-testid="skeleton">
      <span
        className="visually-hidden"
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden' }}
      >
        {label}
      </span>
      {avatar ? (
        <div className={styles.skeletonRow}>
          <SkeletonBlock width={48} height={48} circle />
          <div style={{ flex: 1, display: 'flex', flexDirection: 'column', gap: 8 }}>
            <SkeletonBlock width="45%" height={14} />
            <SkeletonBlock width="70%" height={10} />
          </div>
        </div>
      ) : null}
      {Array.from({ length: lines }, (_, i) => (
        <SkeletonBlock key={i} width={widths[i % widths.length]} />
      ))}
    </div>
  );
}
