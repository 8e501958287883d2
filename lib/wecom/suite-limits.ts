/** Corps whose WeCom clients a process keeps in memory at most, and how long an unused one stays there. */
export const CORP_CLIENT_CACHE_MAX = 256;
export const CORP_CLIENT_IDLE_MS = 30 * 60_000;
