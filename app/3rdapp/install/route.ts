import { getConfig } from '@/lib/config';

// Demo mode only: the emulated open.work.weixin.qq.com install page, served on the app's own origin.
export const dynamic = 'force-dynamic';

async function handler(req: Request): Promise<Response> {
  const config = getConfig();
  if (config.mode !== 'demo') return new Response('Not Found', { status: 404 });
  const { handleEmbedded } = await import('@/emulator/embedded');
  return handleEmbedded(req, config.appBaseUrl);
}

export { handler as GET, handler as POST };
