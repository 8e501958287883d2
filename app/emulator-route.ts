import { getConfig } from '@/lib/config';

/**
 * Demo mode only: the built-in WeCom emulator answers on the app's own origin (server API, OAuth and web-login
 * pages, install page, control API). In live mode these paths are 404 and the emulator is never even loaded.
 * A production server runs the demo only when WECOM_DEMO=1 says so, and then its control API (every request
 * under /wecom-emulator/ that changes something) answers this machine only: the production server marks each
 * request with x-wecom-peer from the socket's address.
 */
export async function emulatorRoute(req: Request): Promise<Response> {
  const config = getConfig();
  if (config.mode !== 'demo') return new Response('Not Found', { status: 404 });
  const changes = req.method !== 'GET' && req.method !== 'HEAD';
  if (
    config.production &&
    changes &&
    new URL(req.url).pathname.startsWith('/wecom-emulator/') &&
    req.headers.get('x-wecom-peer') !== 'loopback'
  ) {
    return Response.json(
      {
        error: {
          code: 'emulator_loopback_only',
          messageZh: '演示模拟器的控制接口只接受本机请求',
          messageEn: 'The demo emulator’s control API answers this machine only',
        },
      },
      { status: 403, headers: { 'cache-control': 'no-store' } },
    );
  }
  const { handleEmbedded } = await import('@/emulator/embedded');
  // Like the admin console's 接收消息 settings: change events go to this app's callback URL.
  const callback = config.callback && {
    agentId: config.agentId,
    url: `${config.appBaseUrl}/api/wecom/callback`,
    ...config.callback,
  };
  return handleEmbedded(req, config.appBaseUrl, callback);
}
