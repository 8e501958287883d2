import { z } from 'zod';
import { livePipeline, savePipeline } from '@/lib/crm/pipeline';
import { crmDeps, Text } from '@/lib/crm/server';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'admin' }, async ({ corp }) =>
  livePipeline(await crmDeps(corp), { fresh: true }),
);

const Body = z.object({
  stages: z
    .array(
      z.object({
        id: z.string().min(1).max(128).optional(),
        name: Text,
        color: z.string().max(16).optional(),
      }),
    )
    .max(50),
});

/** Saves the pipeline's stages in order (a corp tag group in WeCom; colours here). */
export const PUT = route({ auth: 'admin-change', body: Body }, async ({ corp, body }) =>
  savePipeline(await crmDeps(corp), body.stages),
);
