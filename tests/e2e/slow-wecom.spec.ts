import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { emulator, WELL_KNOWN, WECOM_UA } from './helpers';

/**
 * A slow WeCom never means a blank toolbar. A freshly started instance (nothing cached) whose ticket requests hang
 * far longer than any test: the page shell and its skeleton must arrive while those requests are still pending,
 * then a clear state with a retry; once WeCom answers again, the retry shows the customer.
 */

const HANG_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let server: ChildProcess | undefined;
let base = '';
let dataDir = '';

const counters = (request: APIRequestContext) => emulator(request, base).counters();

test.describe('slow WeCom on a fresh instance', () => {
  test.describe.configure({ timeout: 120_000 });
  test.use({ userAgent: WECOM_UA });

  test.beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    dataDir = mkdtempSync(path.join(tmpdir(), 'wecom-slow-'));
    // The production server as `npm start` runs it; WECOM_DEMO=1 is the explicit switch a production demo needs.
    server = spawn(process.execPath, [path.resolve('scripts/start.mjs'), '-p', String(port)], {
      env: {
        ...process.env,
        WECOM_DEMO: '1',
        PORT: String(port),
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next',
        APP_BASE_URL: base,
        DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${path.join(dataDir, 'app.db')}`,
        STORE_URL: 'memory:',
      },
      stdio: 'ignore',
    });
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`${base}/wecom-emulator/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the fresh instance did not start');
  });

  test.afterAll(async () => {
    server?.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the sidebar shell and skeleton arrive while the ticket requests hang; then a clear state, and retry works', async ({
    page,
    request,
  }) => {
    await emulator(request, base).setClient({
      userId: 'zhangwei',
      entry: 'single_chat_tools',
      externalUserId: WELL_KNOWN.linXiaomei,
    });
    await emulator(request, base).fault({ api: 'get_jsapi_ticket', latencyMs: HANG_MS });
    await emulator(request, base).fault({ api: 'ticket/get', latencyMs: HANG_MS });

    await page.goto(`${base}/sidebar`, { waitUntil: 'commit' });
    // The shell's skeleton exists only until the signatures settle: seeing it means the page was streamed first.
    await expect(page.locator('main[data-phase="signing"]').getByTestId('skeleton')).toBeVisible();
    await expect
      .poll(async () => {
        const c = await counters(request);
        return (c.get_jsapi_ticket ?? 0) + (c['ticket/get'] ?? 0);
      })
      .toBeGreaterThan(0);

    // The budget runs out long before WeCom answers: a clear state with a way to retry.
    const failed = page.locator('[data-state="sdk-signature-endpoint"]');
    await expect(failed).toBeVisible({ timeout: 30_000 });
    await expect(failed.getByRole('button')).toBeVisible();

    // Once WeCom answers again, retrying shows the customer. A retry inside the failed ticket's backoff (shared by
    // every instance, 2 s doubling) fails fast with the same state, so the user may need to retry once more.
    await emulator(request, base).clearFaults();
    await expect(async () => {
      if (await failed.isVisible()) await failed.getByRole('button').click();
      await expect(page.getByText('林晓梅').first()).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 90_000 });
  });

  test('the workbench shows the employee while the tag library hangs, then the list without tags', async ({
    page,
    request,
  }) => {
    await emulator(request, base).fault({
      api: 'externalcontact/get_corp_tag_list',
      latencyMs: HANG_MS,
    });
    await page.goto(`${base}/workbench`, { waitUntil: 'commit' });
    // The list's placeholder exists only until the tag library settles: the page was streamed before it.
    await expect(page.getByTestId('workbench').getByTestId('customer-list-pending')).toBeVisible();
    await expect
      .poll(async () => (await counters(request))['externalcontact/get_corp_tag_list'] ?? 0)
      .toBeGreaterThan(0);
    // The budget runs out: the customers are listed all the same.
    await expect(page.getByTestId('customer-list-pending')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByText('林晓梅').first()).toBeVisible({ timeout: 30_000 });
    await emulator(request, base).clearFaults();
  });
});
