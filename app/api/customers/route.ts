import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { badRequest, handle } from '@/lib/http';
import { TagIdSchema } from '@/lib/ids';
import { listCustomerIds, listCustomersPage, type CustomerSummary } from '@/lib/wecom/contacts';
import { getWecomFor } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

const Query = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  q: z.string().trim().max(50).optional(),
  tag: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .pipe(TagIdSchema.optional())
    .optional(),
});

/** A filtered request reads at most this many upstream pages before answering with a cursor to continue. */
const MAX_FILTER_PAGES = 10;

function matches(c: CustomerSummary, q: string | undefined, tag: string | undefined): boolean {
  if (tag && !c.tagIds.includes(tag)) return false;
  if (!q) return true;
  const needle = q.toLowerCase();
  return c.name.toLowerCase().includes(needle) || (c.remark ?? '').toLowerCase().includes(needle);
}

/**
 * The signed-in member's customers, a page at a time: `?cursor=&limit=&q=<name or remark>&tag=<tag id>`.
 * The first page also carries `total` (externalcontact/list), which is 0 for a member without customers or
 * without the 客户联系 feature (WeCom answers 84061 for both).
 */
export const GET = handle(async (req) => {
  const user = await requireApiUser();
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = Query.safeParse(params);
  if (!parsed.success) {
    throw badRequest('invalid_query', {
      zh: '查询参数不正确（limit 1–100，搜索词最多 50 字）',
      en: 'Invalid query (limit 1–100, search at most 50 characters)',
    });
  }
  const { cursor, limit, q, tag } = parsed.data;
  const headers = { 'cache-control': 'no-store, private' };
  const deps = { client: await getWecomFor(user.corpId) };

  let total: number | undefined;
  if (!cursor) {
    total = (await listCustomerIds(user.userId, deps)).length;
    if (total === 0) return Response.json({ items: [], nextCursor: null, total }, { headers });
  }

  if (!q && !tag) {
    const page = await listCustomersPage(user.userId, { cursor, limit }, deps);
    return Response.json({ ...page, total }, { headers });
  }

  // WeCom has no server-side search: walk full pages and keep the matches until this page is full.
  const items: CustomerSummary[] = [];
  let next: string | null = cursor ?? null;
  for (let i = 0; i < MAX_FILTER_PAGES; i++) {
    const page = await listCustomersPage(user.userId, { cursor: next, limit: 100 }, deps);
    items.push(...page.items.filter((c) => matches(c, q, tag)));
    next = page.nextCursor;
    if (!next || items.length >= limit) break;
  }
  return Response.json({ items, nextCursor: next, total }, { headers });
});
