import { readiness } from '@/lib/ops/readiness';

export const dynamic = 'force-dynamic';

const PART_NAMES = {
  shutdown: { zh: '实例正在停止', en: 'the instance is shutting down' },
  store: { zh: '缓存存储（STORE_URL）不可达', en: 'the store (STORE_URL) is unreachable' },
  database: { zh: '数据库（DATABASE_URL）不可达', en: 'the database (DATABASE_URL) is unreachable' },
  schema: {
    zh: '数据库结构不是最新（请运行 npm run db:migrate）',
    en: 'the database schema is not current (run npm run db:migrate)',
  },
  wecom: { zh: '企业微信凭证不可用', en: 'the WeCom credentials are not usable' },
} as const;

/**
 * Readiness: database and store reachable, schema current, WeCom credentials usable. 200 when ready; 503 naming
 * the failing parts otherwise. Only part names and ok/failed, never configuration values.
 */
export async function GET(): Promise<Response> {
  const result = await readiness();
  const headers = { 'cache-control': 'no-store' };
  if (result.ready) return Response.json({ status: 'ready', checks: result.checks }, { headers });
  return Response.json(
    {
      status: 'not_ready',
      checks: result.checks,
      failing: result.failing,
      error: {
        code: 'not_ready',
        messageZh: `未就绪：${result.failing.map((p) => PART_NAMES[p].zh).join('；')}`,
        messageEn: `Not ready: ${result.failing.map((p) => PART_NAMES[p].en).join('; ')}`,
      },
    },
    { status: 503, headers },
  );
}
