import 'server-only';
import { z } from 'zod';
import type { Bilingual } from './bilingual';
import { getConfig } from './config';
import { sign } from './wecom/jssdk';
import type { Corp } from './wecom/tenant';

/** What the admin page's signature debugger submits. */
export const SignatureDebugInput = z.object({
  url: z.string().trim().min(1).max(2048),
  nonceStr: z
    .string()
    .trim()
    .regex(
      /^[\x21-\x7e]{1,128}$/,
      'noncestr 须为 1–128 个可见字符，不含空格 / noncestr: 1–128 visible characters, no spaces',
    ),
  timestamp: z
    .string()
    .trim()
    .regex(/^\d{1,13}$/, 'timestamp 须为数字（秒） / timestamp: digits (seconds)'),
  kind: z.enum(['corp', 'agent']),
});

export interface SignatureDebugResult {
  kind: 'corp' | 'agent';
  url: string;
  ticketMasked: string;
  string1: string;
  signature: string;
  warning?: Bilingual;
}

/** First 4 + *** + last 4: enough to tell two tickets apart, useless to anyone reading over a shoulder. */
function mask(ticket: string): string {
  return ticket.length <= 8 ? '***' : `${ticket.slice(0, 4)}***${ticket.slice(-4)}`;
}

/** Like WeCom's signature tool: string1 (ticket masked) and the signature, computed with the corp's current ticket. */
export async function debugSignature(
  corp: Corp,
  input: z.output<typeof SignatureDebugInput>,
): Promise<SignatureDebugResult> {
  const { nonceStr, timestamp, kind } = input;
  // WeCom signs the URL without its fragment; the client does the same.
  const url = input.url.split('#')[0]!;
  const ticket =
    kind === 'corp' ? await corp.wecom.tokens.getCorpTicket() : await corp.wecom.tokens.getAgentTicket();
  const ticketMasked = mask(ticket);
  let offOrigin = false;
  try {
    offOrigin = new URL(url).origin !== new URL(getConfig().appBaseUrl).origin;
  } catch {
    offOrigin = true;
  }
  return {
    kind,
    url,
    ticketMasked,
    string1: `jsapi_ticket=${ticketMasked}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`,
    signature: sign(url, ticket, nonceStr, timestamp),
    warning: offOrigin
      ? {
          zh: 'url 不在 APP_BASE_URL 的域名下，客户端会报 invalid url domain',
          en: 'The url is not on APP_BASE_URL’s origin; the client would report invalid url domain',
        }
      : undefined,
  };
}
