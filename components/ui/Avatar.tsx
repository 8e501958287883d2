'use client';

import { useState } from 'react';
import styles from './ui.module.css';

export interface AvatarProps {
  src?: string | null;
  name: string;
  size?: number;
  square?: boolean;
}

/** A round picture; falls back to the first character of the name when there is no picture or it fails to load. */
export function Avatar({ src, name, size = 40, square = false }: AvatarProps) {
  const [failed, setFailed] = useState(false);
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  const className = square ? `${styles.avatar} ${styles.avatarSquare}` : styles.avatar;
  return (
    <span
      className={className}
      style={{ width: size, height: size, fontSize: size * 0.42 }}
      aria-hidden={!!src}
    >
      {src && !failed ? (
        // Avatars come from WeCom's CDN (any host); next/image would need each host configured.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={src} alt={name} width={size} height={size} loading="lazy" onError={() => setFailed(true)} />
      ) : (
        initial
      )}
    </span>
  );
}
