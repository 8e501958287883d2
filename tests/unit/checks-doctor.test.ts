import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { runDoctor as doctor } from '../support/doctor-process';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';

const ROOT = path.resolve(__dirname, '../..');
const STRONG_SECRET = 'Qm8vT2xL9pR4wZ7kN3bH6yF1cJ5dG0sA';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let ctl: EmulatorControl;
/** Stands in for the demo app: the emulator on the app's own origin plus the files of public/. */
let app: Server;
let appUrl: string;

function startApp(): Promise<void> {
  app = createServer((req, res) => {
    void (async () => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (/^\/WW_verify_[A-Za-z0-9]{16}\.txt$/.test(pathname)) {
        let body: Buffer | null = null;
        try {
          body = readFileSync(path.join(ROOT, 'public', pathname));
        } catch {
          body = null;
        }
        if (body) res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
        else res.writeHead(404).end('Not Found');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(`${emu.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })();
  });
  return new Promise((resolve) =>
    app.listen(0, '127.0.0.1', () => {
      appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  await startApp();
});
afterAll(async () => {
  await emu?.close();
  await new Promise((r) => app?.close(r));
});
beforeEach(async () => {
  await ctl.reset();
});

describe('npm run doctor', () => {
  it('exits 1 with the 40001 fix for a bad secret (live mode) and never prints the secret', async () => {
    const badSecret = 'not-the-right-secret-0123456789abcdefXYZ';
    const { code, out } = await doctor({
      WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
      WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
      WECOM_AGENT_SECRET: badSecret,
      WECOM_API_BASE: emu.url,
      APP_BASE_URL: 'https://sidebar.invalid',
      SESSION_SECRET: STRONG_SECRET,
    });
    expect(code, out).toBe(1);
    expect(out).toMatch(/✘ App credentials/);
    expect(out).toContain('40001');
    expect(out).toContain('WECOM_AGENT_SECRET');
    expect(out).not.toContain(badSecret);
  });

  it('exits 0 when every check is green (demo mode against the app origin)', async () => {
    const { code, out } = await doctor({ APP_BASE_URL: appUrl });
    expect(out).not.toContain('✘');
    expect(code, out).toBe(0);
    expect(out).toContain('all 9 checks passed');
  });

  it('from an untrusted IP: credentials OK, the trusted-IP check red with where to add the IP', async () => {
    await ctl.switches({ ipBlocked: true });
    const { code, out } = await doctor({ APP_BASE_URL: appUrl });
    expect(code, out).toBe(1);
    expect(out).toMatch(/✔ App credentials/);
    expect(out).toMatch(/✘ Trusted IP/);
    expect(out).toContain('60020');
    expect(out).toContain('管理后台 → 应用管理 → 自建 → 本应用 → 企业可信IP');
  });

  it('exits 1 in demo mode when the emulator refuses the secret, and 2 for a broken configuration', async () => {
    await ctl.switches({ invalidSecret: true });
    const bad = await doctor({ APP_BASE_URL: appUrl });
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('40001');

    const broken = await doctor({ WECOM_CORP_ID: 'ww1' });
    expect(broken.code).toBe(2);
    expect(broken.out).toContain('WECOM_AGENT_ID');
  });
});
