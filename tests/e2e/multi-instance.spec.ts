import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { LOG_DIR } from '../../playwright.config';
import { WECOM_UA, WELL_KNOWN } from './helpers';

/**
 * Two production instances (`npm start`'s server) on one PostgreSQL database and one Redis, behind a small
 * round-robin proxy, live mode against a standalone emulator: what an operator runs (see the README's production
 * recipe). Ports E2E_MULTI_PORT_BASE (default 5160) to +9.
 */
const BASE = Number(process.env.E2E_MULTI_PORT_BASE ?? 5160);
const PORT_A = BASE;
const PORT_B = BASE + 1;
const PORT_BROKEN = BASE + 2;
const EMULATOR_PORT = BASE + 8;
const PROXY_PORT = BASE + 9;
const PUBLIC = `http://localhost:${PROXY_PORT}`;
const A = `http://localhost:${PORT_A}`;
const B = `http://localhost:${PORT_B}`;
const REDIS_URL = process.env.E2E_MULTI_REDIS_URL ?? 'redis://127.0.0.1:6379/6';
const PG_ADMIN = process.env.E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `e2e_multi_${process.pid}_${randomBytes(3).toString('hex')}`;
const DATABASE_URL = PG_ADMIN.replace(/\/[^/]*$/, `/${DB_NAME}`);

const env = (port: number, extra: Record<string, string> = {}): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next',
  PORT: String(port),
  HOST: '127.0.0.1',
  WECOM_CORP_ID: 'ww5f3c2a1b9e8d7c60',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'demo-agent-secret-8Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4',
  WECOM_API_BASE: `http://127.0.0.1:${EMULATOR_PORT}`,
  WECOM_OAUTH_BASE: `http://localhost:${EMULATOR_PORT}`,
  WECOM_LOGIN_BASE: `http://localhost:${EMULATOR_PORT}`,
  APP_BASE_URL: PUBLIC,
  SESSION_SECRET: 'multi-instance-session-secret-0123456789',
  STORE_URL: REDIS_URL,
  DATABASE_URL,
  ADMIN_USERIDS: 'zhangwei',
  DATA_DIR: `.data/e2e-multi-${port}`,
  TRUST_PROXY_HOPS: '1',
  SHUTDOWN_TIMEOUT_MS: '15000',
  ...extra,
});

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
}

function start(
  name: string,
  command: string,
  args: string[],
  processEnv: Record<string, string | undefined>,
): Proc {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(command, args, {
    env: processEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}

async function waitFor(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${url}: the process exited (${proc.child.exitCode})`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function run(command: string, args: string[], processEnv: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: processEnv as NodeJS.ProcessEnv, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}

/** A small reverse proxy: round-robin over the instances, X-Forwarded-For like nginx. */
function startProxy(targets: number[]): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const port = targets[next++ % targets.length]!;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(PROXY_PORT, '127.0.0.1', () => resolve(server)));
}

const procs: Proc[] = [];
let emulator: Proc;
let instanceA: Proc;
let instanceB: Proc;
let proxy: http.Server;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  emulator = start(
    'multi-emulator',
    process.execPath,
    [
      '--import',
      'tsx',
      'emulator/cli.ts',
      '--port',
      String(EMULATOR_PORT),
      '--trusted-domain',
      `localhost:${PROXY_PORT}`,
    ],
    { PATH: process.env.PATH, HOME: process.env.HOME },
  );
  procs.push(emulator);
  await waitFor(`http://127.0.0.1:${EMULATOR_PORT}/wecom-emulator/health`, emulator);
  // The operator migrates once, before starting the instances.
  await run('npx', ['tsx', 'scripts/db-migrate.ts'], env(PORT_A));
  instanceA = start(`multi-a-${PORT_A}`, process.execPath, ['scripts/start.mjs'], env(PORT_A));
  instanceB = start(`multi-b-${PORT_B}`, process.execPath, ['scripts/start.mjs'], env(PORT_B));
  procs.push(instanceA, instanceB);
  await Promise.all([waitFor(`${A}/api/health`, instanceA), waitFor(`${B}/api/health`, instanceB)]);
  proxy = await startProxy([PORT_A, PORT_B]);
});

test.afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.end();
});

test.use({ userAgent: WECOM_UA });

test('both instances are ready on PostgreSQL and Redis', async ({ request }) => {
  for (const base of [A, B]) {
    const res = await request.get(`${base}/api/ready`);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', database: 'ok', schema: 'ok', wecom: 'ok' },
    });
  }
});

test('signed in on one instance, the data and the session work on the other; logout ends it on both', async ({
  page,
}) => {
  // Sign-in starts on A; WeCom sends the browser back through the proxy (the state is in Redis).
  await page.goto(`${A}/api/auth/login?returnTo=%2Fapi%2Fsession&client=1`);
  await expect(page).toHaveURL(`${PUBLIC}/api/session#`);
  for (const base of [A, B]) {
    const session = await page.request.get(`${base}/api/session`);
    expect((await session.json()).user).toMatchObject({ userId: 'zhangwei' });
  }

  // An admin's change on A (PostgreSQL) is what B serves.
  const title = `多实例 ${randomBytes(3).toString('hex')}`;
  const created = await page.request.post(`${A}/api/admin/quick-replies`, {
    headers: { origin: PUBLIC },
    data: { kind: 'text', title, text: '两个实例看到同一条快捷回复', scope: { type: 'all' } },
  });
  expect(created.status()).toBe(201);
  const onB = await page.request.get(`${B}/api/quick-replies`);
  expect(JSON.stringify(await onB.json())).toContain(title);

  // Logout on B; the same cookie no longer works on A.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'wecom_sidebar_session')!;
  const out = await page.request.post(`${B}/api/auth/logout`, { headers: { accept: 'application/json' } });
  expect(out.status()).toBe(200);
  await page.context().addCookies([cookie]);
  expect((await (await page.request.get(`${A}/api/session`)).json()).user).toBeNull();
});

test('a scheduled message is submitted to WeCom once, though both instances run the scheduler', async ({
  page,
}) => {
  await signIn(page);
  const before = await massTasks();
  const created = await page.request.post(`${A}/api/scheduled-messages`, {
    headers: { origin: PUBLIC },
    data: {
      target: { externalUserId: WELL_KNOWN.linXiaomei },
      at: Date.now() + 3000,
      content: { kind: 'text', text: '多实例定时消息' },
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).schedule.id as string;
  await expect.poll(massTasks, { timeout: 30_000 }).toBe(before + 1);
  // Several more passes of both schedulers: still exactly one submission, and B reports it submitted.
  await new Promise((r) => setTimeout(r, 6000));
  expect(await massTasks()).toBe(before + 1);
  expect(await stateOn(page, B, id)).toMatch(/submitted|sent/);
});

/** Signs the page's member in on A (WeCom sends the browser back through the proxy). */
async function signIn(page: Page): Promise<void> {
  await page.goto(`${A}/api/auth/login?returnTo=%2Fapi%2Fsession&client=1`);
  await expect(page).toHaveURL(`${PUBLIC}/api/session#`);
}

/** How many mass-message tasks WeCom has been asked to create (externalcontact/add_msg_template calls). */
async function massTasks(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${EMULATOR_PORT}/wecom-emulator/state`);
  const { counters } = (await res.json()) as { counters: Record<string, number> };
  return counters['externalcontact/add_msg_template'] ?? 0;
}

/** A schedule's state as an instance lists it to the signed-in member. */
async function stateOn(page: Page, base: string, id: string): Promise<string | undefined> {
  const res = await page.request.get(`${base}/api/scheduled-messages`);
  const { upcoming, past } = (await res.json()) as Record<
    'upcoming' | 'past',
    { id: string; state: string }[]
  >;
  return [...upcoming, ...past].find((m) => m.id === id)?.state;
}

test('after every instance was down: a message over an hour late is marked missed, one less late is submitted once', async ({
  page,
}) => {
  await signIn(page);
  const before = await massTasks();
  // Two schedules made before an outage, found due when the schedulers next look (as at start after it).
  const now = Date.now();
  const suffix = randomBytes(4).toString('hex');
  const rows = [
    { id: `outage_late_${suffix}`, due: now - 2 * 3600_000, text: '停机前安排：晚了两小时' },
    { id: `outage_soon_${suffix}`, due: now - 10 * 60_000, text: '停机前安排：晚了十分钟' },
  ];
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    for (const r of rows) {
      await db.query(
        `INSERT INTO scheduled_messages (corp_id, id, created_by, sender, target_kind, external_user_id, chat_id,
           audience, content, due_at, state, msgid, error, attempts, claimed_until, submitted_at, result, checked_at,
           created_at, updated_at)
         VALUES ($1, $2, 'zhangwei', 'zhangwei', 'customer', $3, NULL, NULL, $4, $5, 'scheduled', NULL, NULL, 0, NULL,
           NULL, NULL, NULL, $6, $6)`,
        [
          'ww5f3c2a1b9e8d7c60',
          r.id,
          WELL_KNOWN.linXiaomei,
          JSON.stringify({ kind: 'text', text: r.text }),
          r.due,
          r.due - 86400_000,
        ],
      );
    }
  } finally {
    await db.end();
  }
  await expect.poll(() => stateOn(page, B, rows[0]!.id), { timeout: 30_000 }).toBe('missed');
  await expect.poll(() => stateOn(page, A, rows[1]!.id), { timeout: 30_000 }).toMatch(/submitted|sent/);
  await new Promise((r) => setTimeout(r, 5000));
  expect(await massTasks()).toBe(before + 1);
});

test('SIGTERM during a request: it completes, the instance exits 0, the other keeps serving', async ({
  page,
}) => {
  await page.goto(`${A}/api/auth/login?returnTo=%2Fapi%2Fsession&client=1`);
  await expect(page).toHaveURL(`${PUBLIC}/api/session#`);
  // WeCom answers the profile slowly, so the request is still in flight when B is told to stop.
  const fault = await fetch(`http://127.0.0.1:${EMULATOR_PORT}/wecom-emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api: 'externalcontact/get', latencyMs: 3000, times: 1 }),
  });
  expect(fault.ok).toBe(true);
  const inFlight = page.request.get(`${B}/api/contacts/${WELL_KNOWN.linXiaomei}`);
  await new Promise((r) => setTimeout(r, 800));
  instanceB.child.kill('SIGTERM');
  const res = await inFlight;
  expect(res.status()).toBe(200);
  expect(JSON.stringify(await res.json())).toContain('林晓梅');
  expect(await instanceB.exited).toBe(0);
  await expect(fetch(`${B}/api/health`)).rejects.toThrow();
  // The proxy's other instance still answers.
  expect((await page.request.get(`${A}/api/health`)).status()).toBe(200);
});

test('an instance whose store is unreachable is not ready and says which part fails', async ({ request }) => {
  const broken = start(
    `multi-broken-${PORT_BROKEN}`,
    process.execPath,
    ['scripts/start.mjs'],
    env(PORT_BROKEN, { STORE_URL: `redis://127.0.0.1:${BASE + 7}/0` }),
  );
  procs.push(broken);
  await waitFor(`http://localhost:${PORT_BROKEN}/api/health`, broken);
  const res = await request.get(`http://localhost:${PORT_BROKEN}/api/ready`);
  expect(res.status()).toBe(503);
  const body = await res.json();
  expect(body.failing).toEqual(expect.arrayContaining(['store', 'wecom']));
  expect(body.failing).not.toContain('database');
  expect(body.error.messageEn).toContain('the store (STORE_URL) is unreachable');
  expect(JSON.stringify(body)).not.toContain(String(BASE + 7));
});
