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

/**
 * external_userid, chat_id and tag ids as WeCom issues them: URL-safe base64, no documented length (the docs'
 * own examples are 30–32 characters; third-party apps get encrypted ids). Anything else is answered with the
 * API's "invalid id" errcode, like an unknown id.
 */
export const OPAQUE_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

export function daysAgo(state: EmulatorState, days: number, extraSeconds = 0): number {
  return Math.floor(state.seededAt / 1000) - days * 86400 + extraSeconds;
}
