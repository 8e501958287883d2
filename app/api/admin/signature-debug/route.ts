import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { route } from '@/lib/route';
import { sign } from '@/lib/wecom/jssdk';

export const dynamic = 'force-dynamic';

const Body = z.object({
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

/** First 4 + *** + last 4: enough to tell two tickets apart, useless to anyone reading over a shoulder. */
function mask(ticket: string): string {
  return ticket.length <= 8 ? '***' : `${ticket.slice(0, 4)}***${ticket.slice(-4)}`;
}

/** Like WeCom's signature tool: string1 (ticket masked) and the signature, computed with the current ticket. */
export const POST = route({ auth: 'admin-change', body: Body }, async ({ corp, body }) => {
  const { nonceStr, timestamp, kind } = body;
  // WeCom signs the URL without its fragment; the client does the same.
  const url = body.url.split('#')[0]!;
  // The signed-in admin's corp (third-party mode serves many corps).
  const ticket =
    kind === 'corp' ? await corp.wecom.tokens.getCorpTicket() : await corp.wecom.tokens.getAgentTicket();
  const signature = sign(url, ticket, nonceStr, timestamp);
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
    signature,
    warning: offOrigin
      ? {
          zh: 'url 不在 APP_BASE_URL 的域名下，客户端会报 invalid url domain',
          en: 'The url is not on APP_BASE_URL’s origin; the client would report invalid url domain',
        }
      : undefined,
  };
});
