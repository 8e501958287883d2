/**
 * The floor of the work: a raw node:http server doing the same JS-SDK signing as GET /api/jssdk/signature
 * (two SHA-1 signatures from an in-memory ticket, fresh nonces, the same JSON shape). Nothing else.
 * Usage: node --import tsx bench/floor-node.ts <port>
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:http';

const CORP_TICKET = randomBytes(48).toString('base64url');
const AGENT_TICKET = randomBytes(48).toString('base64url');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function nonce(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

function sign(url: string, ticket: string, timestamp: number) {
  const nonceStr = nonce();
  const signature = createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`, 'utf8')
    .digest('hex');
  return { timestamp, nonceStr, signature };
}

const server = createServer((req, res) => {
  const u = new URL(req.url ?? '/', 'http://floor');
  const url = (u.searchParams.get('url') ?? '').split('#')[0] ?? '';
  if (u.pathname !== '/api/jssdk/signature' || !url) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
    return;
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    corpId: 'ww5f3c2a1b9e8d7c60',
    agentId: '1000002',
    config: sign(url, CORP_TICKET, timestamp),
    agentConfig: sign(url, AGENT_TICKET, timestamp),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`floor-node listening on ${typeof addr === 'object' && addr ? addr.port : '?'}`);
});
