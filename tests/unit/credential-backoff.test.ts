import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { createStore } from '@/lib/store';
import type { Store } from '@/lib/store/types';
import { corpSecretCredentials, createWecomClient } from '@/lib/wecom/client';
import { WecomError } from '@/lib/wecom/errors';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { mustRunRedis, REDIS_URL, uniquePrefix } from './fixtures/redis';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let ctl: EmulatorControl;
let clock = 1_800_000_000_000;
const stores: Store[] = [];

/** One app instance: its own client (own memory), the shared Redis store, a clock the test moves. */
function instance(keyPrefix: string) {
  const store = createStore(REDIS_URL, { keyPrefix });
  stores.push(store);
  return createWecomClient({
    apiBase: emu.url,
    corpId: DEMO_CREDENTIALS.corpId,
    agentId: DEMO_CREDENTIALS.agentId,
    credentials: corpSecretCredentials(DEMO_CREDENTIALS.corpId, DEMO_CREDENTIALS.agentSecret),
    store,
    now: () => clock,
    maxRetries: 0,
    log: () => {},
  });
}

async function failure(p: Promise<unknown>): Promise<WecomError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WecomError);
  return err as WecomError;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await emu.close();
});
beforeEach(async () => {
  await ctl.reset();
});

describe.runIf(await mustRunRedis())('token fetch failures back off per credential across instances', () => {
  it('fails fast on every instance with the last failure, then retries after a doubling wait', async () => {
    const prefix = uniquePrefix('backoff');
    const a = instance(prefix);
    const b = instance(prefix);
    await ctl.switches({ invalidSecret: true });

    expect((await failure(a.tokens.getAccessToken())).errcode).toBe(40001);
    expect((await ctl.counters()).gettoken).toBe(1);

    // Another instance, and the first again: no call to WeCom, the same clear failure.
    const fast = await failure(b.tokens.getAccessToken());
    expect(fast.errcode).toBe(40001);
    expect(fast.message).toMatch(/not retried for 2 s/);
    expect((await failure(a.tokens.getAccessToken())).errcode).toBe(40001);
    expect((await ctl.counters()).gettoken).toBe(1);

    // After 2 s one instance tries again; the second failure doubles the wait to 4 s.
    clock += 2_001;
    expect((await failure(b.tokens.getAccessToken())).errcode).toBe(40001);
    expect((await ctl.counters()).gettoken).toBe(2);
    clock += 2_001;
    expect((await failure(a.tokens.getAccessToken())).message).toMatch(/not retried for 2 s/);
    expect((await ctl.counters()).gettoken).toBe(2);

    // WeCom accepts the secret again: after the wait, one fetch, and the backoff is gone.
    await ctl.switches({ invalidSecret: false });
    clock += 2_001;
    expect(await a.tokens.getAccessToken()).toBeTruthy();
    expect(await b.tokens.getAccessToken()).toBeTruthy();
    expect((await ctl.counters()).gettoken).toBe(3);
  });

  it('remembers network failures too (WeCom unreachable)', async () => {
    const prefix = uniquePrefix('backoff-net');
    const a = instance(prefix);
    const b = instance(prefix);
    await ctl.fault({ api: 'gettoken', httpStatus: 502 });
    const first = await failure(a.tokens.getAccessToken());
    expect(first.transport).toBe('http');
    const second = await failure(b.tokens.getAccessToken());
    expect(second.transport).toBe('http');
    expect(second.toPublic().status).toBe(first.toPublic().status);
    expect((await ctl.counters()).gettoken).toBe(1);
  });
});
