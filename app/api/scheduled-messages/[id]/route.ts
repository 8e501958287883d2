import { z } from 'zod';
import { cancelSchedule, SchedulePatchSchema, updateSchedule } from '@/lib/content/scheduled';
import { scheduleDepsFor, viewerOf } from '@/lib/content/targets';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '定时消息 id 无效 / invalid id') });

/** Changes the time or content while it is still scheduled (409 once it fired). */
export const PATCH = route(
  { auth: 'user', params: Params, body: SchedulePatchSchema, sameOrigin: true },
  async ({ user, corp, params, body }) => ({
    schedule: await updateSchedule(viewerOf(user), params.id, body, await scheduleDepsFor(corp)),
  }),
);

/** Cancels it while it is still scheduled (409 once it fired). */
export const DELETE = route(
  { auth: 'user', params: Params, sameOrigin: true },
  async ({ user, corp, params }) => ({
    schedule: await cancelSchedule(viewerOf(user), params.id, await scheduleDepsFor(corp)),
  }),
);
