import { expect, test } from '@playwright/test';
import { runDoctor as doctor } from '../support/doctor-process';
import { resetEmulator } from './helpers';

const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 3100);
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 4100);

test('npm run doctor exits non-zero with a bad secret and prints the 40001 fix', async () => {
  const secret = 'wrong-secret-for-the-doctor-0123456789ABCDEF';
  const { code, out } = await doctor({
    WECOM_CORP_ID: 'ww5f3c2a1b9e8d7c60',
    WECOM_AGENT_ID: '1000002',
    WECOM_AGENT_SECRET: secret,
    WECOM_API_BASE: `http://127.0.0.1:${EMULATOR_PORT}`,
    APP_BASE_URL: `http://localhost:${DEMO_PORT}`,
    SESSION_SECRET: 'Qm8vT2xL9pR4wZ7kN3bH6yF1cJ5dG0sA',
  });
  expect(code, out).toBe(1);
  expect(out).toMatch(/✘ App credentials/);
  expect(out).toContain('40001');
  expect(out).toContain('WECOM_AGENT_SECRET');
  expect(out).not.toContain(secret);
});

test('npm run doctor exits 0 against the running demo app', async ({ request }) => {
  await resetEmulator(request);
  const { code, out } = await doctor({ PORT: String(DEMO_PORT) });
  expect(out).toContain('all 9 checks passed');
  expect(code, out).toBe(0);
});
