import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addNote } from '@/lib/crm/notes';
import { crmDeps, FollowUpAt, NoteId, Text, viewerOf } from '@/lib/crm/server';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema });
const Body = z.object({ id: NoteId.optional(), text: Text, followUpAt: FollowUpAt });

/** Adds a follow-up note; the client's id makes a retried submit answer the same note. */
export const POST = route(
  { auth: 'user', params: Params, body: Body, status: 201 },
  async ({ corp, user, params, body }) => {
    const { note } = await addNote(await crmDeps(corp), viewerOf(user), params.id, {
      id: body.id ?? randomUUID(),
      text: body.text,
      followUpAt: body.followUpAt ?? null,
    });
    return note;
  },
);
