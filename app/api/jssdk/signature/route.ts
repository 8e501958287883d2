import { NextResponse } from 'next/server';
import { z } from 'zod';
import { badRequest, handle, unauthorized } from '@/lib/http';
import { getSessionUser } from '@/lib/session';
import { signaturesForCorp } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

const Query = z.object({
  url: z.string().min(1),
  refresh: z.enum(['0', '1', 'true', 'false']).optional(),
});

/** GET /api/jssdk/signature?url=<page url>[&refresh=1] → both JS-SDK signatures (never a ticket). */
export const GET = handle(async (req: Request) => {
  const user = await getSessionUser();
  if (!user) throw unauthorized();
  const parsed = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    throw badRequest('invalid_query', {
      zh: '缺少参数 url（当前页面地址）',
      en: 'Missing the url parameter (the current page address)',
    });
  }
  const { url, refresh } = parsed.data;
  // Each corp signs with its own tickets (third-party mode serves many corps).
  const body = await signaturesForCorp(user.corpId, url, { refresh: refresh === '1' || refresh === 'true' });
  return NextResponse.json(body, { headers: { 'cache-control': 'no-store' } });
});
