export const dynamic = 'force-dynamic';

/** Liveness: the process answers. Touches no dependency and says nothing about the configuration. */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
