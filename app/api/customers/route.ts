import { z } from 'zod';
import { TagIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';
import { searchCustomers } from '@/lib/wecom/contacts';

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

/**
 * The signed-in member's customers, a page at a time: `?cursor=&limit=&q=<name or remark>&tag=<tag id>`; the
 * first page also carries `total`.
 */
export const GET = route({ auth: 'user', query: Query }, ({ user, corp, query }) =>
  searchCustomers(user.userId, query, { client: corp.wecom }),
);
