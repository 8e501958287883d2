import { z } from 'zod';
import { exportLibrary } from '@/lib/content/library-io';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** The corp library as a file (`?format=json|csv`), media by id and file name. */
export const GET = route({ auth: 'admin', query: Query }, async ({ corp, query }) => {
  const file = await exportLibrary(query.format, { corpId: corp.id });
  return new Response(file.text, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename}"`,
      'cache-control': 'no-store',
    },
  });
});
