import { crmCallbackEvent } from '@/lib/crm/server';
import { route } from '@/lib/route';
import { receiveCallback, verifyCallbackUrl } from '@/lib/wecom/callback';
import { xmlText } from '@/lib/wecom/callback-crypto';
import { instructionEndpoint } from '@/lib/wecom/suite-callbacks';
import { requireSuite } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

// WeCom reads the raw text answer (the echostr, `success`): the handlers return their Response as it is.
export const GET = route({ auth: 'none' }, ({ req }) =>
  verifyCallbackUrl(req, instructionEndpoint(requireSuite())),
);

/**
 * 指令回调: the ticket and every event are stored before the `success` that WeCom waits for; the slow part of
 * auth events (get_permanent_code …) runs after it (WeCom wants the answer within 1000 ms).
 */
export const POST = route({ auth: 'none' }, ({ req }) => {
  const suite = requireSuite();
  return receiveCallback(req, instructionEndpoint(suite), async (delivery) => {
    await suite.handleInstruction(delivery);
    // Customer, group and tag changes of an authorized corp (InfoType change_external_*, AuthCorpId).
    await crmCallbackEvent(xmlText(delivery.message, 'AuthCorpId'), delivery.message);
  });
});
