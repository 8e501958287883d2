import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { CORP_A_INFO, SUITE } from '@/emulator/suite/seed';
import { createStore } from '@/lib/store';
import { receiveCallback } from '@/lib/wecom/callback';
import { createSuiteService, type SuiteService } from '@/lib/wecom/suite';
import { instructionEndpoint } from '@/lib/wecom/suite-callbacks';
import { runDoctor } from '../support/doctor-process';
import { createTestDatabase, type TestDatabase } from './fixtures/db';

const STRONG_SECRET = 'Qm8vT2xL9pR4wZ7kN3bH6yF1cJ5dG0sA';

let emu: RunningEmulator;
let ctl: EmulatorControl;
let database: TestDatabase;
let suite: SuiteService;
/** The provider's instruction callback: the app's own receiving code, in front of the suite the doctor reads. */
let receiver: Server;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  receiver = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const request = new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), {
        method: req.method,
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      });
      const answer = await receiveCallback(request, instructionEndpoint(suite), (d) =>
        suite.handleInstruction(d),
      );
      res.writeHead(answer.status).end(await answer.text());
    })();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
});

afterAll(async () => {
  await emu?.close();
  await new Promise((r) => receiver?.close(r));
});

beforeEach(async () => {
  await ctl.reset();
  await database?.drop();
  database = await createTestDatabase('sqlite');
  suite = createSuiteService({
    suite: SUITE,
    apiBase: emu.url,
    store: createStore('memory:'),
    db: database.db,
  });
  await ctl.suite.config({
    callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`,
  });
  await ctl.suite.pushTicket();
});
afterAll(async () => {
  await database?.drop();
});

/** `npm run doctor` as a third-party app (the four suite values, no self-built credentials). */
const doctor = (args: string[] = []) =>
  runDoctor(
    {
      WECOM_SUITE_ID: SUITE.suiteId,
      WECOM_SUITE_SECRET: SUITE.suiteSecret,
      WECOM_SUITE_TOKEN: SUITE.token,
      WECOM_SUITE_ENCODING_AES_KEY: SUITE.encodingAesKey,
      WECOM_PROVIDER_CORP_ID: SUITE.providerCorpId,
      WECOM_API_BASE: emu.url,
      APP_BASE_URL: 'https://sidebar.invalid',
      SESSION_SECRET: STRONG_SECRET,
      DATABASE_URL: database.url,
    },
    args,
  );

// Each test runs the doctor as its own process (tsx compiles it on start): slow on a loaded machine.
describe('npm run doctor for a third-party app', { timeout: 90_000 }, () => {
  it('says no corp has installed the app yet, instead of checking self-built credentials it does not have', async () => {
    const { code, out } = await doctor();
    expect(code, out).toBe(1);
    expect(out).toContain('No corp has installed the app yet');
    expect(out).not.toContain('gettoken');
  });

  it('checks an installed corp through the suite (get_corp_token), with the provider’s IP allow-list', async () => {
    expect((await ctl.suite.install(CORP_A_INFO.corpId)).ok).toBe(true);
    await suite.idle();
    expect((await suite.authorizedCorps()).map((c) => c.corpId)).toEqual([CORP_A_INFO.corpId]);

    const green = await doctor();
    expect(green.out).toContain(`third-party · corp ${CORP_A_INFO.corpId}`);
    expect(green.out).toMatch(/✔ App credentials[^\n]*\n[^\n]*service\/get_corp_token/);
    expect(green.out).toMatch(/✔ Customer contact/);
    expect(green.out).not.toContain(SUITE.suiteSecret);

    await ctl.switches({ ipBlocked: true });
    const blocked = await doctor(['--json']);
    expect(blocked.code, blocked.out).toBe(1);
    const report = JSON.parse(blocked.out) as {
      results: { id: string; status: string; title: { zh: string }; fix?: { zh: string } }[];
    };
    const ip = report.results.find((r) => r.id === 'trustedIp')!;
    expect(ip.status).toBe('fail');
    expect(ip.title.zh).toBe('服务商 IP白名单');
    expect(ip.fix?.zh).toContain('服务商管理后台');
  });

  it('names the corp with --corp, and refuses a corp that has not installed the app', async () => {
    const { code, out } = await doctor(['--corp', 'wwnotinstalled00001']);
    expect(code, out).toBe(2);
    expect(out).toContain('尚未安装本应用');
  });
});
