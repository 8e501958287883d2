import { getConfig } from '@/lib/config';
import { bearerMatches, metricsText } from '@/lib/ops/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus metrics behind `Authorization: Bearer $METRICS_TOKEN`; 404 when no token is configured. */
export async function GET(req: Request): Promise<Response> {
  const token = getConfig().metricsToken;
  if (!token) return new Response('Not Found', { status: 404, headers: { 'cache-control': 'no-store' } });
  if (!bearerMatches(req.headers.get('authorization'), token)) {
    return Response.json(
      {
        error: {
          code: 'unauthenticated',
          messageZh: '需要指标令牌',
          messageEn: 'A metrics token is required',
        },
      },
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' } },
    );
  }
  const { contentType, body } = await metricsText();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
