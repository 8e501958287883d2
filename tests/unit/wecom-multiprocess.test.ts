import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { REDIS_URL, mustRunRedis, uniquePrefix } from './fixtures/redis';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(root, 'tests/unit/fixtures/token-race.ts');

interface RaceResult {
  token: string[];
  corpTicket: string[];
  agentTicket: string[];
}

/** Starts one app instance (a separate Node process) and resolves once it is ready to fire. */
function instance(apiBase: string, storeUrl: string, count: number, keyPrefix = '') {
  // react-server: `server-only` resolves to its empty marker, as inside Next's server bundle.
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', script, apiBase, storeUrl, String(count), keyPrefix],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`instance exited early (${code}): ${err}`)));
  });
  const result = new Promise<RaceResult>((resolve, reject) => {
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as RaceResult);
      else reject(new Error(`instance failed (${code}): ${err}`));
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}

async function race(apiBase: string, storeUrl: string, keyPrefix?: string) {
  const procs = [instance(apiBase, storeUrl, 100, keyPrefix), instance(apiBase, storeUrl, 100, keyPrefix)];
  await Promise.all(procs.map((p) => p.ready));
  procs.forEach((p) => p.go());
  return Promise.all(procs.map((p) => p.result));
}

let emu: Awaited<ReturnType<typeof startEmulator>>;
let ctl: EmulatorControl;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await ctl.reset();
});

function expectOneFetchEach(results: RaceResult[], counters: Record<string, number>) {
  expect(counters).toMatchObject({ gettoken: 1, get_jsapi_ticket: 1, 'ticket/get': 1 });
  // Both processes ended up with the very same credentials.
  for (const k of ['token', 'corpTicket', 'agentTicket'] as const) {
    expect(new Set(results.flatMap((r) => r[k])).size).toBe(1);
  }
}

const runRedis = await mustRunRedis();

describe('two app processes on a cold cache', () => {
  it('sharing one SQLite file fetch each credential exactly once', { timeout: 60_000 }, async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'race-')), 'wecom.db');
    const results = await race(emu.url, `sqlite:${file}`);
    expectOneFetchEach(results, await ctl.counters());
  });

  it.runIf(runRedis)('sharing Redis fetch each credential exactly once', { timeout: 60_000 }, async () => {
    const results = await race(emu.url, REDIS_URL, uniquePrefix('race'));
    expectOneFetchEach(results, await ctl.counters());
  });
});
