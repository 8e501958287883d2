import { route } from '@/lib/route';
import { receiveCallback, verifyCallbackUrl } from '@/lib/wecom/callback';
import { dataEndpoint, handleDataEvent } from '@/lib/wecom/suite-callbacks';
import { requireSuite } from '@/lib/wecom/tenant';

export const dynamic = 'force-dynamic';

// WeCom reads the raw text answer (the echostr, `success`): the handlers return their Response as it is.
export const GET = route({ auth: 'none' }, ({ req }) => verifyCallbackUrl(req, dataEndpoint(requireSuite())));

/** 数据回调: events of authorized corps (change_external_contact and others) are recorded per corp. */
export const POST = route({ auth: 'none' }, ({ req }) => {
  const suite = requireSuite();
  return receiveCallback(req, dataEndpoint(suite), (delivery) => handleDataEvent(suite, delivery));
});
