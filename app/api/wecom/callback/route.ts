import { getConfig } from '@/lib/config';
import { getStore } from '@/lib/store';
import { createCallbackCrypto } from '@/lib/wecom/callback-crypto';
import { receiveCallback, recordEvent, verifyCallbackUrl, type CallbackEndpoint } from '@/lib/wecom/callback';

export const dynamic = 'force-dynamic';

function endpoint(): CallbackEndpoint | null {
  const config = getConfig();
  if (!config.callback) return null;
  return {
    name: `app:${config.corpId}`,
    crypto: createCallbackCrypto(config.callback),
    store: getStore(),
    acceptReceiveId: (id) => id === config.corpId,
  };
}

const notConfigured = () => new Response('Not Found', { status: 404 });

export async function GET(req: Request) {
  const ep = endpoint();
  return ep ? verifyCallbackUrl(req, ep) : notConfigured();
}

export async function POST(req: Request) {
  const ep = endpoint();
  if (!ep) return notConfigured();
  return receiveCallback(req, ep, async ({ message }) => {
    await recordEvent(ep.store, getConfig().corpId, message);
  });
}
