import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Debian's Chromium (no browser downloads here); PLAYWRIGHT_CHROMIUM_PATH overrides. */
function chromiumPath(): string | undefined {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const DEMO_PORT = port('E2E_DEMO_PORT', 3100);
export const LIVE_PORT = port('E2E_LIVE_PORT', 3200);
export const EMULATOR_PORT = port('E2E_EMULATOR_PORT', 4100);
export const SUITE_PORT = port('E2E_SUITE_PORT', 3300);
/**
 * The production server (`npm start`: the standalone build behind scripts/server.mjs), its output kept in
 * E2E_LOG_DIR so that tests/e2e/global-teardown.ts can check a whole run's logs. E2E_DEV=1 runs `next dev`
 * instead (faster while iterating).
 */
export const LOG_DIR = process.env.E2E_LOG_DIR ?? '.data/e2e-logs';
const nextCommand = (p: number, name: string) =>
  process.env.E2E_DEV
    ? `npx next dev -p ${p}`
    : `mkdir -p ${LOG_DIR} && exec node scripts/start.mjs -p ${p} > ${LOG_DIR}/${name}.log 2>&1`;
const distDir = process.env.NEXT_DIST_DIR ?? '.next';

export const LIVE_SECRET = 'e2e-live-session-secret-0123456789abcdef';
export const METRICS_TOKEN = 'e2e-metrics-token-4Kp9Wz2Qx7';

export default defineConfig({
  testDir: 'tests/e2e',
  globalTeardown: './tests/e2e/global-teardown.ts',
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  fullyParallel: false,
  // One worker: the demo app's emulator (and the simulated client) is shared state.
  workers: 1,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${DEMO_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'zh-CN',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // Demo mode: nothing configured, the embedded emulator answers on the app's own origin; a new database each start.
      command: `rm -f .data/e2e-demo-${DEMO_PORT}/app.db* && ${nextCommand(DEMO_PORT, `demo-${DEMO_PORT}`)}`,
      url: `http://localhost:${DEMO_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      env: {
        PORT: String(DEMO_PORT),
        NEXT_DIST_DIR: distDir,
        DATA_DIR: `.data/e2e-demo-${DEMO_PORT}`,
        STORE_URL: 'memory:',
        WECOM_DEMO: '1',
      },
    },
    {
      // Demo mode as a third-party (服务商) app with two emulated corps; a new database each start.
      command: `rm -f .data/e2e-suite-${SUITE_PORT}/app.db* && ${nextCommand(SUITE_PORT, `suite-${SUITE_PORT}`)}`,
      url: `http://localhost:${SUITE_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      env: {
        PORT: String(SUITE_PORT),
        NEXT_DIST_DIR: process.env.E2E_DEV ? `${distDir}-suite` : distDir,
        DATA_DIR: `.data/e2e-suite-${SUITE_PORT}`,
        STORE_URL: 'memory:',
        WECOM_DEMO: '1',
        WECOM_DEMO_SUITE: '1',
      },
    },
    {
      command: `npx tsx emulator/cli.ts --port ${EMULATOR_PORT} --trusted-domain localhost:${LIVE_PORT}`,
      url: `http://127.0.0.1:${EMULATOR_PORT}/wecom-emulator/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // Live mode against the standalone emulator: proves nothing of the emulator is served by the app.
      // Live mode starts only on a migrated database, as an operator would run it.
      command: `npx tsx scripts/db-migrate.ts && ${nextCommand(LIVE_PORT, `live-${LIVE_PORT}`)}`,
      url: `http://localhost:${LIVE_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      env: {
        PORT: String(LIVE_PORT),
        // `next dev` allows one server per dist dir; production servers share the build.
        NEXT_DIST_DIR: process.env.E2E_DEV ? `${distDir}-live` : distDir,
        DATA_DIR: `.data/e2e-live-${LIVE_PORT}`,
        WECOM_CORP_ID: 'ww5f3c2a1b9e8d7c60',
        WECOM_AGENT_ID: '1000002',
        WECOM_AGENT_SECRET: 'demo-agent-secret-8Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4',
        WECOM_API_BASE: `http://127.0.0.1:${EMULATOR_PORT}`,
        WECOM_OAUTH_BASE: `http://localhost:${EMULATOR_PORT}`,
        WECOM_LOGIN_BASE: `http://localhost:${EMULATOR_PORT}`,
        APP_BASE_URL: `http://localhost:${LIVE_PORT}`,
        SESSION_SECRET: LIVE_SECRET,
        STORE_URL: 'memory:',
        ADMIN_USERIDS: 'zhangwei',
        METRICS_TOKEN,
      },
    },
  ],
});
