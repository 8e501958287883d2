import { getConfig } from '@/lib/config';

/**
 * Demo mode only: the built-in WeCom emulator answers on the app's own origin (server API, OAuth and web-login
 * pages, install page, control API). In live mode these paths are 404 and the emulator is never even loaded.
 */
export async function emulatorRoute(req: Request): Promise<Response> {
  const config = getConfig();
  if (config.mode !== 'demo') return new Response('Not Found', { status: 404 });
  const { handleEmbedded } = await import('@/emulator/embedded');
  return handleEmbedded(req, config.appBaseUrl);
}
