import 'server-only';
import { createCallbackCrypto, xmlText } from './callback-crypto';
import { recordEvent, type CallbackEndpoint } from './callback';
import type { SuiteService } from './suite';

/**
 * The two callback URLs of a third-party app. Instruction callbacks (指令回调) are encrypted for the suite id;
 * data callbacks (数据回调) for the authorizing corp (or the suite id), and only authorized corps are accepted.
 * URL verification accepts any receiveid: WeCom's consoles use the suite id or the provider corp id there, and
 * the signature already proves the sender knows the token.
 */
export function instructionEndpoint(suite: SuiteService): CallbackEndpoint {
  return {
    name: `suite:${suite.suite.suiteId}`,
    crypto: createCallbackCrypto({ token: suite.suite.token, encodingAesKey: suite.suite.encodingAesKey }),
    store: suite.store,
    acceptReceiveId: (id) => id === suite.suite.suiteId,
  };
}

export function dataEndpoint(suite: SuiteService): CallbackEndpoint {
  return {
    name: `suite-data:${suite.suite.suiteId}`,
    crypto: createCallbackCrypto({ token: suite.suite.token, encodingAesKey: suite.suite.encodingAesKey }),
    store: suite.store,
    acceptReceiveId: async (id) => id === suite.suite.suiteId || (await suite.authorization(id)) !== null,
  };
}

/** Records a data-callback event for the corp it concerns (only authorized corps). */
export async function handleDataEvent(
  suite: SuiteService,
  delivery: { message: Parameters<typeof xmlText>[0]; receiveId: string },
): Promise<void> {
  const { message, receiveId } = delivery;
  const corpId =
    receiveId !== suite.suite.suiteId
      ? receiveId
      : xmlText(message, 'AuthCorpId') || xmlText(message, 'ToUserName');
  if (!corpId || !(await suite.authorization(corpId))) return;
  await recordEvent(suite.store, corpId, message);
}
