import { receiveCallback, verifyCallbackUrl } from '@/lib/wecom/callback';
import { getSuite } from '@/lib/wecom/suite';
import { dataEndpoint, handleDataEvent } from '@/lib/wecom/suite-callbacks';

export const dynamic = 'force-dynamic';

const notConfigured = () => new Response('Not Found', { status: 404 });

export async function GET(req: Request) {
  const suite = getSuite();
  return suite ? verifyCallbackUrl(req, dataEndpoint(suite)) : notConfigured();
}

/** 数据回调: events of authorized corps (change_external_contact and others) are recorded per corp. */
export async function POST(req: Request) {
  const suite = getSuite();
  if (!suite) return notConfigured();
  return receiveCallback(req, dataEndpoint(suite), (delivery) => handleDataEvent(suite, delivery));
}
