import { createHash, randomBytes, randomInt } from 'node:crypto';

export const dynamic = 'force-dynamic';

// The same work as the product's GET /api/jssdk/signature, minus session, validation and the ticket cache.
const CORP_TICKET = randomBytes(48).toString('base64url');
const AGENT_TICKET = randomBytes(48).toString('base64url');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function nonce() {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

function sign(url, ticket, timestamp) {
  const nonceStr = nonce();
  const signature = createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`, 'utf8')
    .digest('hex');
  return { timestamp, nonceStr, signature };
}

export function GET(req) {
  const url = (new URL(req.url).searchParams.get('url') ?? '').split('#')[0];
  if (!url) return Response.json({ error: 'url' }, { status: 400 });
  const timestamp = Math.floor(Date.now() / 1000);
  return Response.json(
    {
      corpId: 'ww5f3c2a1b9e8d7c60',
      agentId: '1000002',
      config: sign(url, CORP_TICKET, timestamp),
      agentConfig: sign(url, AGENT_TICKET, timestamp),
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}
