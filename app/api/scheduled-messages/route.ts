import { z } from 'zod';
import { createSchedule, listSchedules, ScheduleInputSchema } from '@/lib/content/scheduled';
import { scheduleDepsFor, viewerOf } from '@/lib/content/targets';
import { ChatIdSchema, ExternalUserIdSchema } from '@/lib/ids';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({
  externalUserId: ExternalUserIdSchema.optional(),
  chatId: ChatIdSchema.optional(),
  /** Admins: every member's schedules. */
  all: z.enum(['1', 'true']).optional(),
  /** Only schedules to an audience (a member's customers by tag). */
  audience: z.enum(['1', 'true']).optional(),
});

/** The member's scheduled messages (upcoming by time, then past), optionally for one customer or group chat. */
export const GET = route({ auth: 'user', query: Query }, async ({ user, corp, query }) =>
  listSchedules(
    viewerOf(user),
    {
      externalUserId: query.externalUserId,
      chatId: query.chatId,
      all: !!query.all,
      audience: !!query.audience,
    },
    await scheduleDepsFor(corp),
  ),
);

/** `{ target: { externalUserId } | { chatId } | { audience }, at, content, id? }` → 201 with the schedule. */
export const POST = route(
  { auth: 'user', body: ScheduleInputSchema, sameOrigin: true },
  async ({ user, corp, body }) => {
    const { schedule, created } = await createSchedule(viewerOf(user), body, await scheduleDepsFor(corp));
    return Response.json(
      { schedule },
      { status: created ? 201 : 200, headers: { 'cache-control': 'no-store' } },
    );
  },
);
