import { z } from 'zod';
import { replyViewer } from '@/lib/content/library-access';
import { setFavourite } from '@/lib/quick-replies';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Params = z.object({ id: z.string().min(1).max(64) });

/** Marks a reply as one of the member's favourites → `{ favourite: true }`. */
export const PUT = route({ auth: 'user', params: Params, sameOrigin: true }, ({ corp, user, params }) =>
  setFavourite(replyViewer(user), params.id, true, { corpId: corp.id }),
);

export const DELETE = route({ auth: 'user', params: Params, sameOrigin: true }, ({ corp, user, params }) =>
  setFavourite(replyViewer(user), params.id, false, { corpId: corp.id }),
);
