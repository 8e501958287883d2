import { getConfig } from '@/lib/config';
import { crmCallbackEvent } from '@/lib/crm/server';
import { getDb } from '@/lib/db';
import { HttpError } from '@/lib/http';
import { route } from '@/lib/route';
import { getStore } from '@/lib/store';
import { createCallbackCrypto } from '@/lib/wecom/callback-crypto';
import { receiveCallback, recordEvent, verifyCallbackUrl, type CallbackEndpoint } from '@/lib/wecom/callback';

export const dynamic = 'force-dynamic';

/** The self-built app's callback (接收消息); 404 unless its token and key are configured. */
function endpoint(): CallbackEndpoint {
  const config = getConfig();
  if (!config.callback) {
    throw new HttpError(404, 'callback_not_configured', {
      zh: '未配置应用回调（WECOM_CALLBACK_TOKEN、WECOM_CALLBACK_ENCODING_AES_KEY）',
      en: 'The app callback is not configured (WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_ENCODING_AES_KEY)',
    });
  }
  return {
    name: `app:${config.corpId}`,
    crypto: createCallbackCrypto(config.callback),
    store: getStore(),
    acceptReceiveId: (id) => id === config.corpId,
    // A self-built app's URL verification is encrypted for the corp id too (wecom-platform.md §5).
    acceptVerifyReceiveId: (id) => id === config.corpId,
  };
}

// WeCom reads the raw text answer (the echostr, `success`): the handlers return their Response as it is.
export const GET = route({ auth: 'none' }, ({ req }) => verifyCallbackUrl(req, endpoint()));

export const POST = route({ auth: 'none' }, ({ req }) => {
  const ep = endpoint();
  return receiveCallback(req, ep, async ({ message, plaintext }) => {
    await recordEvent(await getDb(), { corpId: getConfig().corpId, source: 'app', message, plaintext });
    await crmCallbackEvent(getConfig().corpId, message);
  });
});
