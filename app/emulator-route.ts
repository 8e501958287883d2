import { getConfig } from '@/lib/config';

/**
 * Demo mode only: the built-in WeCom emulator answers on the app's own origin (server API, OAuth and web-login
 * pages, install page, control API). In live mode these paths are 404 and the emulator is never even loaded.
 */
export async function emulatorRoute(req: Request): Promise<Response> {
  const config = getConfig();
  if (config.mode !== 'demo') return new Response('Not Found', { status: 404 });
  const { handleEmbedded } = await import('@/emulator/embedded');
  // Like the admin console's 接收消息 settings: change events go to this app's callback URL.
  const callback = config.callback && {
    agentId: config.agentId,
    url: `${config.appBaseUrl}/api/wecom/callback`,
    ...config.callback,
  };
  return handleEmbedded(req, config.appBaseUrl, callback);
}
