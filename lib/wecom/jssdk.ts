import 'server-only';
import { createHash, randomInt } from 'node:crypto';
import { badRequest } from '../http';
import type { WecomClient } from './client';

export interface Signature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/** What the browser needs for ww.register: both signatures, never a ticket. */
export interface JssdkSignatures {
  corpId: string;
  agentId: string;
  /** For wx.config / getConfigSignature (corp jsapi_ticket). */
  config: Signature;
  /** For wx.agentConfig / getAgentConfigSignature (app jsapi_ticket). */
  agentConfig: Signature;
}

export const MAX_SIGN_URL_LENGTH = 2048;
/** A refresh (after the client reported `invalid signature`) re-fetches the tickets at most this often per app. */
export const TICKET_REFRESH_INTERVAL_MS = 60_000;

/**
 * JS-SDK signature (WeCom doc 96909): sha1 of
 * `jsapi_ticket=<ticket>&noncestr=<nonce>&timestamp=<seconds>&url=<url without #...>`, raw values, lowercase hex.
 */
export function sign(url: string, ticket: string, nonceStr: string, timestamp: number | string): string {
  const string1 = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
  return createHash('sha1').update(string1, 'utf8').digest('hex');
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 characters from a CSPRNG; a new one for every signature. */
export function randomNonce(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return out;
}

/**
 * The URL the client will sign against: the page URL without its fragment, which must be on this app's origin
 * (WeCom only accepts trusted domains, and signing arbitrary URLs would lend our tickets to other sites).
 */
export function signableUrl(rawUrl: string, appBaseUrl: string): string {
  const url = rawUrl.split('#')[0] ?? '';
  if (url.length > MAX_SIGN_URL_LENGTH) {
    throw badRequest('url_too_long', {
      zh: `url 过长（最多 ${MAX_SIGN_URL_LENGTH} 个字符）`,
      en: `url is too long (at most ${MAX_SIGN_URL_LENGTH} characters)`,
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('invalid_url', {
      zh: 'url 必须是当前页面的完整地址（含 http(s)://）',
      en: 'url must be the full address of the current page (with http(s)://)',
    });
  }
  const origin = new URL(appBaseUrl).origin;
  if (parsed.origin !== origin) {
    throw badRequest('foreign_origin', {
      zh: `只能为本应用的页面签名（${origin}），请检查 APP_BASE_URL 与访问地址是否一致`,
      en: `Only pages of this app (${origin}) can be signed; check that APP_BASE_URL matches the address in use`,
    });
  }
  return url;
}

export interface SignerOptions {
  client: WecomClient;
  appBaseUrl: string;
  now?: () => number;
  nonce?: () => string;
}

export interface Signer {
  signaturesFor(url: string, options?: { refresh?: boolean }): Promise<JssdkSignatures>;
}

export function createSigner({
  client,
  appBaseUrl,
  now = Date.now,
  nonce = randomNonce,
}: SignerOptions): Signer {
  const refreshKey = `wecom:ticket-refresh:${client.corpId}:${client.agentId}`;
  return {
    async signaturesFor(rawUrl, options = {}) {
      const url = signableUrl(rawUrl, appBaseUrl);
      let tickets: { corpTicket: string; agentTicket: string } | undefined;
      if (options.refresh) {
        // The lock doubles as a rate limit shared by every instance: it is never released, it just expires.
        const mayRefresh = await client.store.tryLock(refreshKey, TICKET_REFRESH_INTERVAL_MS);
        if (mayRefresh) tickets = await client.tokens.refreshTickets();
      }
      // A refresh that was rate-limited still reads the shared store: another instance may hold newer tickets.
      const skipMemory = options.refresh === true;
      const [corpTicket, agentTicket] = tickets
        ? [tickets.corpTicket, tickets.agentTicket]
        : await Promise.all([
            client.tokens.getCorpTicket({ skipMemory }),
            client.tokens.getAgentTicket({ skipMemory }),
          ]);
      const timestamp = Math.floor(now() / 1000);
      const make = (ticket: string): Signature => {
        const nonceStr = nonce();
        return { timestamp, nonceStr, signature: sign(url, ticket, nonceStr, timestamp) };
      };
      return {
        corpId: client.corpId,
        agentId: client.agentId,
        config: make(corpTicket),
        agentConfig: make(agentTicket),
      };
    },
  };
}
