import 'server-only';
import type { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the production server (scripts/server.mjs) knows about the request being answered, shared through
 * globalThis: its id, its route pattern, and the signed-in member once the app has read the session (the server
 * writes them into the request's log line).
 */
export interface RequestContext {
  requestId: string;
  route: string;
  corpId?: string;
  userId?: string;
}

const KEY = Symbol.for('wecom-sidebar.request-context');

function storage(): AsyncLocalStorage<RequestContext> | undefined {
  return (globalThis as { [KEY]?: AsyncLocalStorage<RequestContext> })[KEY];
}

/** The current request's context, when the production server runs this code (not in `next dev` or tests). */
export function requestContext(): RequestContext | undefined {
  return storage()?.getStore();
}

/** Names the signed-in member in the current request's log line. */
export function noteSignedIn(user: { corpId: string; userId: string }): void {
  const ctx = requestContext();
  if (!ctx) return;
  ctx.corpId = user.corpId;
  ctx.userId = user.userId;
}
