import { receiveCallback, verifyCallbackUrl } from '@/lib/wecom/callback';
import { getSuite } from '@/lib/wecom/suite';
import { instructionEndpoint } from '@/lib/wecom/suite-callbacks';

export const dynamic = 'force-dynamic';

const notConfigured = () => new Response('Not Found', { status: 404 });

export async function GET(req: Request) {
  const suite = getSuite();
  return suite ? verifyCallbackUrl(req, instructionEndpoint(suite)) : notConfigured();
}

/** 指令回调: everything is stored before the `success` that WeCom waits for. */
export async function POST(req: Request) {
  const suite = getSuite();
  if (!suite) return notConfigured();
  return receiveCallback(req, instructionEndpoint(suite), ({ message }) => suite.handleInstruction(message));
}
