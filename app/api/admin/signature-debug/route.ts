import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { badRequest, handle } from '@/lib/http';
import { sign } from '@/lib/wecom/jssdk';
import { getWecomFor } from '@/lib/wecom/tenant';
import { adminJson, NO_STORE, requireAdmin } from '../_guard';

export const dynamic = 'force-dynamic';

const Body = z.object({
  url: z.string().trim().min(1).max(2048),
  nonceStr: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,128}$/),
  timestamp: z
    .string()
    .trim()
    .regex(/^\d{1,13}$/),
  kind: z.enum(['corp', 'agent']),
});

/** First 4 + *** + last 4: enough to tell two tickets apart, useless to anyone reading over a shoulder. */
function mask(ticket: string): string {
  return ticket.length <= 8 ? '***' : `${ticket.slice(0, 4)}***${ticket.slice(-4)}`;
}

/** Like WeCom's signature tool: string1 (ticket masked) and the signature, computed with the current ticket. */
export const POST = handle(async (req) => {
  const parsed = Body.safeParse(await adminJson(req));
  if (!parsed.success) {
    throw badRequest('invalid_signature_input', {
      zh: '请填写 url、noncestr（无空格）、timestamp（秒，数字）和 ticket 类型',
      en: 'Fill in url, noncestr (no spaces), timestamp (seconds, digits) and the ticket kind',
    });
  }
  const { nonceStr, timestamp, kind } = parsed.data;
  // WeCom signs the URL without its fragment; the client does the same.
  const url = parsed.data.url.split('#')[0]!;
  // The signed-in admin's corp (third-party mode serves many corps).
  const wecom = await getWecomFor((await requireAdmin()).corpId);
  const ticket = kind === 'corp' ? await wecom.tokens.getCorpTicket() : await wecom.tokens.getAgentTicket();
  const signature = sign(url, ticket, nonceStr, timestamp);
  const ticketMasked = mask(ticket);
  let offOrigin = false;
  try {
    offOrigin = new URL(url).origin !== new URL(getConfig().appBaseUrl).origin;
  } catch {
    offOrigin = true;
  }
  return Response.json(
    {
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
    },
    { headers: NO_STORE },
  );
});
