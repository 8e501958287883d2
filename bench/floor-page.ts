/**
 * The floor of the sidebar's critical path: no framework, a plain node:http server in front of the same emulated
 * WeCom (a demo-mode instance of the app, whose embedded emulator also plays the client). The page has both JS-SDK
 * signatures inlined, loads the bridge and @wecom/jssdk's global build, and walks ww.register → getContext →
 * getCurExternalContact (or getCurExternalChat) → one fetch to this server, which calls WeCom
 * (externalcontact/get or groupchat/get) with an access token kept in memory; then writes the name.
 *
 * Usage: node --import tsx bench/floor-page.ts <port> <emulator origin> <corpId> <agentId> <secret>
 */
import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

const [portArg, emulator, corpId, agentId, secret] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const JSSDK = readFileSync(createRequire(import.meta.url).resolve('@wecom/jssdk/dist/wecom.global.prod.js'));
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

async function cgi(api: string, init?: { query?: Record<string, string>; body?: unknown }) {
  const url = new URL(`/cgi-bin/${api}`, emulator);
  for (const [k, v] of Object.entries(init?.query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: init?.body ? 'POST' : 'GET',
    headers: init?.body ? { 'content-type': 'application/json' } : {},
    body: init?.body ? JSON.stringify(init.body) : undefined,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (json.errcode) throw new Error(`${api}: ${String(json.errcode)} ${String(json.errmsg)}`);
  return json;
}

// Token and tickets once, in memory: the floor pays for none of the caching the app does.
const token = String((await cgi('gettoken', { query: { corpid: corpId, corpsecret: secret } })).access_token);
const corpTicket = String((await cgi('get_jsapi_ticket', { query: { access_token: token } })).ticket);
const agentTicket = String(
  (await cgi('ticket/get', { query: { access_token: token, type: 'agent_config' } })).ticket,
);

function sign(url: string, ticket: string, timestamp: number) {
  let nonceStr = '';
  for (let i = 0; i < 16; i++) nonceStr += ALPHABET[randomInt(ALPHABET.length)];
  const signature = createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`, 'utf8')
    .digest('hex');
  return { timestamp, nonceStr, signature };
}

function page(url: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const config = JSON.stringify({
    corpId,
    agentId,
    url,
    config: sign(url, corpTicket, timestamp),
    agentConfig: sign(url, agentTicket, timestamp),
  }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>floor</title>
<script src="/wecom-emulator/bridge.js"></script><script src="/jssdk.js"></script></head>
<body><main id="out">…</main><script>
(function () {
  var s = ${config};
  var out = document.getElementById('out');
  ww.register({
    corpId: s.corpId,
    agentId: s.agentId,
    jsApiList: ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage'],
    getConfigSignature: function () { return s.config; },
    getAgentConfigSignature: function () { return s.agentConfig; },
  });
  ww.getContext()
    .then(function (ctx) {
      if (ctx.entry === 'group_chat_tools') {
        return ww.getCurExternalChat().then(function (r) { return '/api/group-chats/' + r.chatId; });
      }
      return ww.getCurExternalContact().then(function (r) { return '/api/contacts/' + r.userId; });
    })
    .then(function (path) { return fetch(path).then(function (r) { return r.json(); }); })
    .then(function (body) { out.textContent = body.name; })
    .catch(function (e) { out.textContent = 'failed: ' + (e && e.errMsg || e); });
})();
</script></body></html>`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const server = createServer((req, res) => {
  const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const p = u.pathname;
  if (p === '/floor') return send(res, 200, 'text/html; charset=utf-8', page(u.href.split('#')[0]!));
  if (p === '/jssdk.js') return send(res, 200, 'application/javascript', JSSDK);
  const contact = /^\/api\/contacts\/([\w-]+)$/.exec(p);
  const chat = /^\/api\/group-chats\/([\w-]+)$/.exec(p);
  if (contact || chat) {
    const answer = contact
      ? cgi('externalcontact/get', { query: { access_token: token, external_userid: contact[1]! } }).then(
          (j) => ({ name: (j.external_contact as { name: string }).name }),
        )
      : cgi('externalcontact/groupchat/get', {
          query: { access_token: token },
          body: { chat_id: chat![1]!, need_name: 1 },
        }).then((j) => ({ name: (j.group_chat as { name: string }).name }));
    answer.then(
      (b) => send(res, 200, 'application/json', JSON.stringify(b)),
      (e: unknown) => send(res, 502, 'application/json', JSON.stringify({ error: String(e) })),
    );
    return;
  }
  if (p.startsWith('/wecom-emulator/')) {
    // The emulated client's own requests (its bridge script, signature checks, chat context).
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      fetch(new URL(p + u.search, emulator), {
        method: req.method,
        headers: req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {},
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
        .then(async (r) =>
          send(res, r.status, r.headers.get('content-type') ?? '', Buffer.from(await r.arrayBuffer())),
        )
        .catch((e: unknown) => send(res, 502, 'text/plain', String(e)));
    });
    return;
  }
  send(res, 404, 'text/plain', 'not found');
});

server.listen(Number(portArg), '127.0.0.1', () => console.log(`floor-page listening on ${portArg}`));
