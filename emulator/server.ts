import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { droppedResponses } from './http';
import { createEmulator, type Emulator } from './core';
import type { EmulatorState } from './state';

export interface StartOptions {
  port?: number;
  host?: string;
  trustedDomains?: string[];
  now?: () => number;
  publicBaseUrl?: string;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  state: EmulatorState;
  emulator: Emulator;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
  });
}

async function send(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  const buf = method === 'HEAD' ? null : Buffer.from(await response.arrayBuffer());
  if (buf) headers['content-length'] = String(buf.length);
  res.writeHead(response.status, headers);
  res.end(buf ?? undefined);
}

/** Runs the emulator on a local HTTP port (port 0 = any free port). */
export async function startEmulator(opts: StartOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const emulator = createEmulator({
    trustedDomains: opts.trustedDomains,
    now: opts.now,
    publicBaseUrl: opts.publicBaseUrl,
  });
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const request = await toRequest(req, req.headers.host ? `http://${req.headers.host}` : origin);
        const response = await emulator.handle(request, { ip: req.socket.remoteAddress });
        if (droppedResponses.has(response)) {
          req.socket.destroy();
          return;
        }
        await send(res, response, req.method ?? 'GET');
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('emulator error');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  origin = `http://${urlHost}:${port}`;
  return {
    url: origin,
    state: emulator.state,
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        emulator.suite?.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
