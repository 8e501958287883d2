import type { EmulatorState } from './state';

/** Everything a handler needs about the current request. */
export interface Ctx {
  state: EmulatorState;
  req: Request;
  url: URL;
  /** Emulator time in ms. */
  now: number;
  ip: string;
  /** Public origin of the emulator (for avatar URLs and links). */
  base: string;
  trustedDomains: string[];
}

export function avatarUrl(ctx: Ctx, key: string): string {
  return `${ctx.base}/wecom-emulator/avatars/${encodeURIComponent(key)}.svg`;
}

export const EXTERNAL_USERID_RE = /^w[mo][A-Za-z0-9_-]{30}$/;
export const CHAT_ID_RE = /^wr[A-Za-z0-9_-]{30}$/;

export function daysAgo(state: EmulatorState, days: number, extraSeconds = 0): number {
  return Math.floor(state.seededAt / 1000) - days * 86400 + extraSeconds;
}
