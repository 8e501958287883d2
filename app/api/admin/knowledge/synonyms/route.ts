import { z } from 'zod';
import { kbDeps } from '@/lib/kb/server';
import { getSynonyms, setSynonyms } from '@/lib/kb/service';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'admin' }, async ({ corp }) => ({
  synonyms: await getSynonyms(await kbDeps(corp)),
}));

export const PUT = route(
  { auth: 'admin-change', body: z.object({ synonyms: z.string().max(50_000) }) },
  async ({ corp, body }) => ({ synonyms: await setSynonyms(await kbDeps(corp), body.synonyms) }),
);
