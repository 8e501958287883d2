import { z } from 'zod';
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
export const GET = route({ auth: 'user', query: Query }, ({ corp, query }) =>
  // Each corp signs with its own tickets (third-party mode serves many corps).
  signaturesForCorp(corp.id, query.url, { refresh: query.refresh === '1' || query.refresh === 'true' }),
);
