import { z } from 'zod';
import { deleteNote, editNote } from '@/lib/crm/notes';
import { crmDeps, FollowUpAt, NoteId, Text, viewerOf } from '@/lib/crm/server';
import { ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: ExternalUserIdSchema, noteId: NoteId });
const Body = z.object({ text: Text.optional(), followUpAt: FollowUpAt });

/** The author edits their note (text, follow-up time). */
export const PATCH = route(
  { auth: 'user', params: Params, body: Body },
  async ({ corp, user, params, body }) =>
    editNote(await crmDeps(corp), viewerOf(user), params.id, params.noteId, body),
);

/** The author deletes their note (and its timeline entry). */
export const DELETE = route({ auth: 'user', params: Params }, async ({ corp, user, params }) => {
  await deleteNote(await crmDeps(corp), viewerOf(user), params.id, params.noteId);
});
