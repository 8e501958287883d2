import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { CORP_B, SUITE } from '@/emulator/suite/seed';
import { createTestDatabase, mustRunPostgres, type TestDatabase } from './fixtures/db';
import { mustRunRedis } from './fixtures/redis';

// Several hosts: two app processes on one PostgreSQL and one Redis share everything, and a flush of Redis
// (FLUSHDB of its own database, as after a restart without persistence) loses no authorized corp and no reply.
// The Redis database is flushed whole: REDIS_FLUSH_URL (default db 13) must be one no other test uses.

const REDIS_FLUSH_URL = process.env.REDIS_FLUSH_URL ?? 'redis://127.0.0.1:6379/13';
const root = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(root, 'tests/unit/fixtures/app-instance.ts');

let emu: RunningEmulator;
let database: TestDatabase;
const children: ChildProcess[] = [];

function startInstance(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /ready (\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.on('exit', () => reject(new Error(`instance exited before it was ready: ${err}`)));
  });
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function emuPost(p: string, body: unknown) {
  return (await (
    await fetch(new URL(p, emu.url), { method: 'POST', body: JSON.stringify(body) })
  ).json()) as Record<string, unknown>;
}

describe.runIf((await mustRunRedis()) && (await mustRunPostgres()))(
  'two app processes, one PostgreSQL, one Redis',
  () => {
    let a = '';
    let b = '';
    const redis = new Redis(REDIS_FLUSH_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

    beforeAll(async () => {
      emu = await startEmulator({ port: 0 });
      database = await createTestDatabase('postgres');
      await redis.connect();
      await redis.flushdb();
      const env = {
        DATABASE_URL: database.url,
        STORE_URL: REDIS_FLUSH_URL,
        WECOM_API_BASE: emu.url,
        APP_BASE_URL: 'http://127.0.0.1:3999',
        SESSION_SECRET: 'x'.repeat(40),
        WECOM_SUITE_ID: SUITE.suiteId,
        WECOM_SUITE_SECRET: SUITE.suiteSecret,
        WECOM_SUITE_TOKEN: SUITE.token,
        WECOM_SUITE_ENCODING_AES_KEY: SUITE.encodingAesKey,
        WECOM_PROVIDER_CORP_ID: SUITE.providerCorpId,
      };
      [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    }, 60_000);

    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      redis.disconnect();
      await emu?.close();
      await database?.drop();
    });

    it('shares installs and quick replies, and keeps both through a Redis flush', async () => {
      // WeCom pushes the ticket and the install to one process (A) …
      await emuPost('/wecom-emulator/suite/config', { callbackUrl: `${a}/callback` });
      expect(await emuPost('/wecom-emulator/suite/push-ticket', {})).toMatchObject({ ok: true });
      expect(await emuPost('/wecom-emulator/suite/install', { corpId: CORP_B.corpId })).toMatchObject({
        ok: true,
      });
      // … and the other (B) serves the corp once A has finished the work after its reply.
      let corps: string[] = [];
      for (let i = 0; i < 100 && !corps.includes(CORP_B.corpId); i++) {
        corps = await get<string[]>(`${b}/corps`);
        if (!corps.includes(CORP_B.corpId)) await new Promise((r) => setTimeout(r, 50));
      }
      expect(corps).toEqual([CORP_B.corpId]);
      const customers = `/customers?corpId=${CORP_B.corpId}&userid=sunli`;
      expect(
        (await get<{ external_userid: string[] }>(`${b}${customers}`)).external_userid.length,
      ).toBeGreaterThan(0);

      // A quick reply written on A is read on B.
      const created = await fetch(`${a}/quick-replies?corpId=${CORP_B.corpId}`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'text', title: '多实例', text: '两台主机共用', scope: { type: 'all' } }),
      });
      expect(created.status).toBe(200);
      const { id } = (await created.json()) as { id: string };
      const onB = await get<{ id: string }[]>(`${b}/quick-replies?corpId=${CORP_B.corpId}`);
      expect(onB.map((r) => r.id)).toEqual([id]);

      // Redis loses everything: tokens, tickets, locks, replay guards.
      await redis.flushdb();
      expect(await redis.dbsize()).toBe(0);
      for (const host of [a, b]) {
        expect(await get<string[]>(`${host}/corps`)).toEqual([CORP_B.corpId]);
        expect(
          (await get<{ id: string }[]>(`${host}/quick-replies?corpId=${CORP_B.corpId}`)).map((r) => r.id),
        ).toEqual([id]);
      }
      // The suite_ticket and permanent code come from the database; the tokens are fetched again.
      expect(
        (await get<{ external_userid: string[] }>(`${a}${customers}`)).external_userid.length,
      ).toBeGreaterThan(0);
    });
  },
);
