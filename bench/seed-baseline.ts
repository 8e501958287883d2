/**
 * The hand-built sidebar backend as the seed articles write it, for contrast: every signature request fetches an
 * access_token and both jsapi tickets, and every profile request fetches a token again. No cache, no locks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Creds {
  apiBase: string;
  corpId: string;
  agentId: string;
  secret: string;
}

async function wecom(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  const body = (await res.json()) as Record<string, unknown>;
  if (body.errcode !== 0 && body.errcode !== undefined) throw new Error(`errcode ${String(body.errcode)}`);
  return body;
}

async function token(c: Creds): Promise<string> {
  const body = await wecom(`${c.apiBase}/cgi-bin/gettoken?corpid=${c.corpId}&corpsecret=${c.secret}`);
  return body.access_token as string;
}

function sign(ticket: string, url: string) {
  const nonceStr = randomBytes(8).toString('hex');
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`)
    .digest('hex');
  return { timestamp, nonceStr, signature };
}

export async function startSeedBaseline(c: Creds): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://seed');
      try {
        let body: unknown;
        if (u.pathname === '/api/jssdk/signature') {
          const url = (u.searchParams.get('url') ?? '').split('#')[0] ?? '';
          const t = await token(c);
          const corp = await wecom(`${c.apiBase}/cgi-bin/get_jsapi_ticket?access_token=${t}`);
          const agent = await wecom(`${c.apiBase}/cgi-bin/ticket/get?access_token=${t}&type=agent_config`);
          body = {
            corpId: c.corpId,
            agentId: c.agentId,
            config: sign(corp.ticket as string, url),
            agentConfig: sign(agent.ticket as string, url),
          };
        } else if (u.pathname.startsWith('/api/contacts/')) {
          const id = u.pathname.slice('/api/contacts/'.length);
          const t = await token(c);
          body = await wecom(
            `${c.apiBase}/cgi-bin/externalcontact/get?access_token=${t}&external_userid=${id}`,
          );
        } else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      } catch (err) {
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: String(err) }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A seed-style sidebar open: the signature request, then the profile request. */
export async function seedOpen(baseUrl: string, pageUrl: string, externalUserId: string): Promise<boolean> {
  const sig = await fetch(`${baseUrl}/api/jssdk/signature?url=${encodeURIComponent(pageUrl)}`);
  await sig.arrayBuffer();
  const contact = await fetch(`${baseUrl}/api/contacts/${externalUserId}`);
  await contact.arrayBuffer();
  return sig.ok && contact.ok;
}
