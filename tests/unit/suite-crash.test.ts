import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { CORP_B, SUITE } from '@/emulator/suite/seed';
import { openDb } from '@/lib/db';
import { createStore } from '@/lib/store';
import { receiveCallback } from '@/lib/wecom/callback';
import { createSuiteService } from '@/lib/wecom/suite';
import { instructionEndpoint } from '@/lib/wecom/suite-callbacks';
import { createTestDatabase, mustRunPostgres, type TestDatabase } from './fixtures/db';
import { mustRunRedis, REDIS_URL, uniquePrefix } from './fixtures/redis';

// `kill -9` between the reply to a create_auth push and the end of its work: the instance answered `success`
// (within WeCom's 1000 ms), then died while storing the permanent code. The event was stored before the reply, so
// the restarted instance finishes the work without spending the auth code again.

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(root, 'tests/unit/fixtures/suite-crash.ts');
let emu: RunningEmulator;
let ctl: EmulatorControl;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
});
afterAll(async () => {
  await emu?.close();
  await Promise.all(databases.map((d) => d.drop()));
});

async function database(kind: 'sqlite' | 'postgres') {
  const t = await createTestDatabase(kind);
  databases.push(t);
  return t;
}

function startInstance(
  storeUrl: string,
  databaseUrl: string,
  step: string,
  keyPrefix = '',
): Promise<{ url: string; exited: Promise<string | null>; kill: () => void }> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', script, emu.url, storeUrl, databaseUrl, step, keyPrefix],
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

const permanentCodeCalls = () => ctl.counter('service/get_permanent_code');

describe('kill -9 after the reply to a create_auth push, before its work finished', () => {
  for (const step of ['code-recorded', 'stored']) {
    it(`keeps the permanent code when the instance dies at "${step}"`, async () => {
      await ctl.reset();
      const dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'suite-crash-')), 'wecom.db');
      const t = await database('sqlite');
      const instance = await startInstance(`sqlite:${dbFile}`, t.url, step);
      await ctl.suite.config({ callbackUrl: instance.url });
      expect(await ctl.suite.pushTicket()).toMatchObject({ ok: true });

      const push = await ctl.suite.install(CORP_B.corpId);
      // The instance answered `success` before the slow part, then died in it.
      expect(push).toMatchObject({ ok: true, body: 'success' });
      expect(await instance.exited).toBe('SIGKILL');
      expect(await permanentCodeCalls()).toBe(1);

      // The restarted instance (later than the dead one's lease on the event) finishes the pending work.
      const store = createStore(`sqlite:${dbFile}`, { now: () => Date.now() + 60_000 });
      const db = openDb(t.url);
      try {
        const suite = createSuiteService({
          suite: { ...SUITE },
          apiBase: emu.url,
          store,
          db,
          now: () => Date.now() + 60_000,
          log: () => {},
        });
        await suite.processPending();
        expect(await permanentCodeCalls()).toBe(1);
        expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([CORP_B.corpId]);
        const list = await (
          await suite.clientFor(CORP_B.corpId)
        ).call<{ external_userid: string[] }>('externalcontact/list', { query: { userid: 'sunli' } });
        expect(list.external_userid.length).toBeGreaterThan(0);
        // WeCom's retry of the acknowledged push changes nothing.
        const retry = await receiveCallback(
          new Request(push.sent!.url, { method: 'POST', body: push.sent!.body }),
          instructionEndpoint(suite),
          (delivery) => suite.handleInstruction(delivery),
        );
        expect(await retry.text()).toBe('success');
        await suite.idle();
        expect(await permanentCodeCalls()).toBe(1);
      } finally {
        await store.close();
        await db.destroy();
      }
    });
  }
});

describe.runIf((await mustRunRedis()) && (await mustRunPostgres()))(
  'with Redis and PostgreSQL (many hosts)',
  () => {
    it('keeps the suite_ticket and permanent codes after the instance is killed and the store flushed', async () => {
      await ctl.reset();
      const keyPrefix = uniquePrefix('suite');
      const t = await database('postgres');
      const instance = await startInstance(REDIS_URL, t.url, 'never', keyPrefix);
      await ctl.suite.config({ callbackUrl: instance.url });
      expect(await ctl.suite.pushTicket()).toMatchObject({ ok: true });
      expect(await ctl.suite.install(CORP_B.corpId)).toMatchObject({
        ok: true,
      });
      const db = openDb(t.url);
      try {
        // The work after the reply finishes in the instance; wait for its result in the shared database.
        for (let i = 0; i < 100; i++) {
          const row = await db.selectFrom('suite_corps').select('corp_id').executeTakeFirst();
          if (row) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        instance.kill();
        expect(await instance.exited).toBe('SIGKILL');

        // Everything of the instance's in the store is lost (as after a Redis restart without persistence).
        const store = createStore(REDIS_URL, { keyPrefix: `${keyPrefix}other:` });
        try {
          const suite = createSuiteService({
            suite: { ...SUITE },
            apiBase: emu.url,
            store,
            db,
            log: () => {},
          });
          expect(await suite.suiteTicket()).not.toBeNull();
          expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([CORP_B.corpId]);
          const list = await (
            await suite.clientFor(CORP_B.corpId)
          ).call<{ external_userid: string[] }>('externalcontact/list', { query: { userid: 'sunli' } });
          expect(list.external_userid.length).toBeGreaterThan(0);
        } finally {
          await store.close();
        }
      } finally {
        await db.destroy();
      }
    });
  },
);
