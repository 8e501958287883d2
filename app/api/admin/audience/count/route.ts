import { z } from 'zod';
import { checkAudience, countAudience } from '@/lib/content/audience';
import { TagIdSchema, UserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({
  userId: UserIdSchema,
  /** Comma-separated tag ids. */
  tagIds: z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(TagIdSchema).min(1).max(100)),
});

/** Dry run of an audience: how many of the member's customers carry at least one of the tags right now. */
export const GET = route({ auth: 'admin', query: Query }, async ({ corp, query }) => {
  await checkAudience(corp.wecom, query);
  return countAudience(corp.wecom, query);
});
