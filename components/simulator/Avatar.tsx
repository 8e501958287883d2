import styles from './simulator.module.css';

const PALETTE = ['#3d8af7', '#27b07e', '#f2994a', '#9b6cf0', '#e0625a', '#2fb3c6'];

function tint(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? PALETTE[0]!;
}

/** Avatar image, or the last character of the name on a coloured tile (as WeCom draws missing avatars). */
export function Avatar({
  name,
  src,
  size = 36,
  group = false,
}: {
  name: string;
  src?: string;
  size?: number;
  group?: boolean;
}) {
  const style = { width: size, height: size };
  if (src) {
    // eslint-disable-next-line @next/next/no-img-element -- emulator-served SVG avatars, no optimisation needed
    return <img className={styles.avatar} src={src} alt="" style={style} />;
  }
  return (
    <span
      className={styles.avatar}
      style={{ ...style, background: group ? '#5b8def' : tint(name), fontSize: size * 0.42 }}
      aria-hidden="true"
    >
      {group ? '群' : name.slice(-1)}
    </span>
  );
}
