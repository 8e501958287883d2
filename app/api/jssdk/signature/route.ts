import { z } from 'zod';
import { clientIp, enforceLimit } from '@/lib/ops/rate-limit';
import { route } from '@/lib/route';
import { signaturesForCorp } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

const Query = z.object({
  url: z
    .string()
    .min(1, '缺少参数 url（当前页面地址） / Missing the url parameter (the current page address)'),
  refresh: z.enum(['0', '1', 'true', 'false']).optional(),
});

/** GET /api/jssdk/signature?url=<page url>[&refresh=1] → both JS-SDK signatures (never a ticket). */
export const GET = route({ auth: 'user', query: Query }, async ({ req, corp, user, query }) => {
  const refresh = query.refresh === '1' || query.refresh === 'true';
  // Refreshing costs WeCom ticket calls: limited per member and per IP.
  if (refresh) await enforceLimit('signature-refresh', { ip: clientIp(req), user });
  // Each corp signs with its own tickets (third-party mode serves many corps).
  return signaturesForCorp(corp.id, query.url, { refresh });
});
