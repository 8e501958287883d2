import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { CORP_B, SUITE } from '@/emulator/suite/seed';
import { createStore } from '@/lib/store';
import { receiveCallback } from '@/lib/wecom/callback';
import { createSuiteService } from '@/lib/wecom/suite';
import { instructionEndpoint } from '@/lib/wecom/suite-callbacks';
import { mustRunRedis, REDIS_URL, uniquePrefix } from './fixtures/redis';

// `kill -9` in the middle of a create_auth delivery: the instance dies after fetching the permanent code, WeCom
// retries the same delivery (to another instance, or after the restart) and the permanent code is not lost.

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(root, 'tests/unit/fixtures/suite-crash.ts');
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu?.close();
});

function startInstance(
  storeUrl: string,
  step: string,
  keyPrefix = '',
): Promise<{ url: string; exited: Promise<string | null>; kill: () => void }> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', script, emu.url, storeUrl, step, keyPrefix],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  const exited = new Promise<string | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /ready (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, exited, kill: () => child.kill('SIGKILL') });
    });
    child.on('exit', () => reject(new Error(`instance exited before it was ready: ${err}`)));
  });
}

async function emuPost(p: string, body: unknown) {
  const res = await fetch(new URL(p, emu.url), { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown> & { sent?: { url: string; body: string } };
}

async function permanentCodeCalls(): Promise<number> {
  const state = (await (await fetch(new URL('/wecom-emulator/state', emu.url))).json()) as {
    counters: Record<string, number>;
  };
  return state.counters['service/get_permanent_code'] ?? 0;
}

describe('kill -9 during a create_auth delivery', () => {
  for (const step of ['code-recorded', 'stored']) {
    it(`keeps the permanent code when the instance dies at "${step}"`, async () => {
      await emuPost('/wecom-emulator/reset', {});
      const dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'suite-crash-')), 'wecom.db');
      const instance = await startInstance(`sqlite:${dbFile}`, step);
      await emuPost('/wecom-emulator/suite/config', { callbackUrl: instance.url });
      expect(await emuPost('/wecom-emulator/suite/push-ticket', {})).toMatchObject({ ok: true });

      const push = await emuPost('/wecom-emulator/suite/install', { corpId: CORP_B.corpId });
      expect(push.ok).toBe(false); // no "success": the instance was killed mid-delivery
      expect(await instance.exited).toBe('SIGKILL');
      expect(await permanentCodeCalls()).toBe(1);

      // WeCom retries the same delivery a little later; a restarted instance opens the same SQLite file (the dead
      // instance's delivery lock has expired by then).
      const store = createStore(`sqlite:${dbFile}`, { now: () => Date.now() + 60_000 });
      try {
        const suite = createSuiteService({ suite: { ...SUITE }, apiBase: emu.url, store, log: () => {} });
        const retry = await receiveCallback(
          new Request(push.sent!.url, { method: 'POST', body: push.sent!.body }),
          instructionEndpoint(suite),
          ({ message }) => suite.handleInstruction(message),
        );
        expect(await retry.text()).toBe('success');
        expect(await permanentCodeCalls()).toBe(1);
        expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([CORP_B.corpId]);
        const list = await (
          await suite.clientFor(CORP_B.corpId)
        ).call<{ external_userid: string[] }>('externalcontact/list', { query: { userid: 'sunli' } });
        expect(list.external_userid.length).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    });
  }
});

describe.runIf(await mustRunRedis())('with Redis (many hosts)', () => {
  it('keeps the suite_ticket and permanent codes after the instance is killed and another one connects', async () => {
    await emuPost('/wecom-emulator/reset', {});
    const keyPrefix = uniquePrefix('suite');
    const instance = await startInstance(REDIS_URL, 'never', keyPrefix);
    await emuPost('/wecom-emulator/suite/config', { callbackUrl: instance.url });
    expect(await emuPost('/wecom-emulator/suite/push-ticket', {})).toMatchObject({ ok: true });
    expect(await emuPost('/wecom-emulator/suite/install', { corpId: CORP_B.corpId })).toMatchObject({
      ok: true,
    });
    instance.kill();
    expect(await instance.exited).toBe('SIGKILL');

    const store = createStore(REDIS_URL, { keyPrefix });
    try {
      const suite = createSuiteService({ suite: { ...SUITE }, apiBase: emu.url, store, log: () => {} });
      expect(await suite.suiteTicket()).not.toBeNull();
      expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([CORP_B.corpId]);
      const list = await (
        await suite.clientFor(CORP_B.corpId)
      ).call<{ external_userid: string[] }>('externalcontact/list', { query: { userid: 'sunli' } });
      expect(list.external_userid.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
