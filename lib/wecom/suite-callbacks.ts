import 'server-only';
import { getDb, type Db } from '../db';
import { createCallbackCrypto, xmlText } from './callback-crypto';
import { recordEvent, type CallbackEndpoint } from './callback';
import type { SuiteService } from './suite';

/**
 * The two callback URLs of a third-party app. Instruction callbacks (指令回调) are encrypted for the suite id;
 * data callbacks (数据回调) for the authorizing corp (or the suite id), and only authorized corps are accepted.
 * URL verification (GET echostr) of both is encrypted for the provider's corpid (the data URL's $CORPID$ is
 * replaced by it too); the suite id is accepted as well. Without WECOM_PROVIDER_CORP_ID any receiveid is
 * accepted there: the signature already proves the sender knows the token.
 */
function verifyReceiveIds(suite: SuiteService): ((id: string) => boolean) | undefined {
  const provider = suite.suite.providerCorpId;
  if (!provider) return undefined;
  return (id) => id === provider || id === suite.suite.suiteId;
}

export function instructionEndpoint(suite: SuiteService): CallbackEndpoint {
  return {
    name: `suite:${suite.suite.suiteId}`,
    crypto: createCallbackCrypto({ token: suite.suite.token, encodingAesKey: suite.suite.encodingAesKey }),
    store: suite.store,
    acceptReceiveId: (id) => id === suite.suite.suiteId,
    acceptVerifyReceiveId: verifyReceiveIds(suite),
  };
}

export function dataEndpoint(suite: SuiteService): CallbackEndpoint {
  return {
    name: `suite-data:${suite.suite.suiteId}`,
    crypto: createCallbackCrypto({ token: suite.suite.token, encodingAesKey: suite.suite.encodingAesKey }),
    store: suite.store,
    acceptReceiveId: async (id) => id === suite.suite.suiteId || (await suite.authorization(id)) !== null,
    acceptVerifyReceiveId: verifyReceiveIds(suite),
  };
}

/** Records a data-callback event for the corp it concerns (only authorized corps). */
export async function handleDataEvent(
  suite: SuiteService,
  delivery: { message: Parameters<typeof xmlText>[0]; plaintext: string; receiveId: string },
  db?: Db,
): Promise<void> {
  const { message, plaintext, receiveId } = delivery;
  const corpId =
    receiveId !== suite.suite.suiteId
      ? receiveId
      : xmlText(message, 'AuthCorpId') || xmlText(message, 'ToUserName');
  if (!corpId || !(await suite.authorization(corpId))) return;
  await recordEvent(db ?? (await getDb()), { corpId, source: 'suite-data', message, plaintext });
}
