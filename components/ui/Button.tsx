import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from 'react';
import styles from './ui.module.css';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost';

interface Common {
  variant?: ButtonVariant;
  size?: 'normal' | 'small';
}

function classes(variant: ButtonVariant, size: 'normal' | 'small', extra?: string) {
  return [styles.button, styles[variant], size === 'small' ? styles.small : '', extra ?? '']
    .filter(Boolean)
    .join(' ');
}

export function Button({
  variant = 'secondary',
  size = 'normal',
  className,
  type = 'button',
  ...rest
}: Common & ButtonHTMLAttributes<HTMLButtonElement>) {
  return <button type={type} className={classes(variant, size, className)} {...rest} />;
}

/** A link styled as a button (plain <a>: no prefetching, works for full-page navigations such as re-login). */
export function ButtonLink({
  variant = 'secondary',
  size = 'normal',
  className,
  ...rest
}: Common & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a className={classes(variant, size, className)} {...rest} />;
}
