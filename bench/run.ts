/**
 * npm run bench — builds the app for production, runs it against the standalone WeCom emulator and measures
 * upstream calls, stampedes, signing throughput against two floors, sidebar time-to-profile and page weight.
 * Loopback only; bounded loops; prints a markdown table and writes bench/results.json. Runs under the react-server
 * condition (package.json) because parts k and q load the app's server-only modules in process.
 *
 * BENCH_SKIP_BUILD=1  reuse the app's build in .next-bench when it exists. The floor app (bench/floor-next,
 *                     built into .next-bench-floor) is rebuilt only when its files change.
 * BENCH_ONLY=a,c      run only those parts (a–e, k, m, q, r; f comes with c and e). BENCH_ONLY=k,m,q,r needs no build.
 * BENCH_POSTGRES_URL  PostgreSQL server for parts m, q and r (default postgres://postgres@127.0.0.1:5432/postgres; a
 *                     new database is created there and dropped afterwards).
 * BENCH_REDIS_URL     Redis for the shared-store stampede (default redis://127.0.0.1:6379/14; wecom:* keys only).
 * CHROMIUM_PATH       default /usr/bin/chromium.
 * BENCH_BROWSER_OPENS opens per page in part e (default 20; reported runs use at least 20).
 * BENCH_TRACE=1       part e prints every open's resource timings and long tasks; BENCH_TRACE_DIR=<dir> also writes
 *                     a Chromium performance trace of each open of /sidebar there.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { emulatorControl } from '../emulator/control-client';
import { startEmulator } from '../emulator/index';
import { DEMO_CREDENTIALS, DEMO_SUITE } from '../lib/config';
import { CORP_CLIENT_CACHE_MAX } from '../lib/wecom/suite-limits';
import { measurePages, WECOM_UA } from './browser';
import { measureContent } from './content';
import { measureCrm } from './crm';
import { measureKnowledgeBase } from './kb';
import { combine, heapUsedAfterGc, sessionCookie, spread, visitEach, type LatencyResult } from './scale';
import { htmlScriptsGzip, login, sidebarOpen, sumOf, TOKEN_AND_TICKET_APIS } from './client';
import { measureDatabase } from './db';
import { burst, compare, pool } from './load';
import { machine, readmeSection, writeResults, type Results, type StampedeRow } from './report';
import { seedOpen, startSeedBaseline } from './seed-baseline';
import {
  freePort,
  migrateDatabase,
  nextBuild,
  ROOT,
  sampleRss,
  spawnProc,
  startNext,
  stopAll,
  waitForHttp,
  type NextServer,
} from './servers';

const CUSTOMER = 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn';
const GROUP_CHAT = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
const GROUP_NAME = 'VIP客户服务群';
const OPENS = 1000;
const WARM_OPENS = 100;
const OPEN_CONCURRENCY = 8;
const STAMPEDE = 500;
const CONNECTIONS = 50;
const SECONDS = 10;
const WARMUP_SECONDS = 2;
/** The measured seconds of each target are split into this many interleaved rounds. */
const ROUNDS = 2;
/** BENCH_BROWSER_OPENS lowers it while working on the page; reported runs use at least 20. */
const BROWSER_OPENS = Number(process.env.BENCH_BROWSER_OPENS ?? 20);
const SCALE_CORPS = 2000;
const SCALE_CONNECTIONS = 32;
const SCALE_SECONDS = 8;
const SCALE_ROUNDS = 2;
const LATENCY_MS = 50;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const DIST_DIR = '.next-bench';
const FLOOR_DIR = 'bench/floor-next';
const FLOOR_DIST_DIR = '.next-bench-floor';

const log = (line: string) =>
  console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const t0 = Date.now();

/** The environment of this process without anything that would change the app's configuration. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(WECOM_|APP_BASE_URL$|SESSION_SECRET$|STORE_URL$|ADMIN_USERIDS$|PORT$|NEXT_DIST_DIR$|DATA_DIR$)/.test(
        k,
      )
    ) {
      delete env[k];
    }
  }
  return { ...env, NODE_ENV: 'production', NEXT_DIST_DIR: DIST_DIR };
}

/** `next build` adds its dist dir's type folders to tsconfig.json; the benchmark leaves the checkout as it was. */
async function withTsconfigKept<T>(fn: () => Promise<T>): Promise<T> {
  const file = path.join(ROOT, 'tsconfig.json');
  try {
    return await fn();
  } finally {
    try {
      const config = JSON.parse(readFileSync(file, 'utf8')) as { include?: string[] };
      const include = config.include ?? [];
      const kept = include.filter((p) => !p.startsWith(`${DIST_DIR}/`));
      if (kept.length !== include.length) {
        config.include = kept;
        writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
      }
    } catch {
      // leave it alone
    }
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function floorStale(): boolean {
  const buildId = path.join(ROOT, FLOOR_DIST_DIR, 'BUILD_ID');
  return !existsSync(buildId) || statSync(buildId).mtimeMs < newestMtime(path.join(ROOT, FLOOR_DIR));
}

/** BENCH_ONLY=a,c runs only those parts (for working on the benchmark itself). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((x) => x.trim().toLowerCase());

async function section(results: Results, key: string, name: string, fn: () => Promise<void>): Promise<void> {
  if (ONLY && !ONLY.includes(key)) return;
  name = `${key}. ${name}`;
  log(`${name} …`);
  const started = Date.now();
  try {
    await fn();
    results.sectionSec[key] =
      Math.round(((results.sectionSec[key] ?? 0) + (Date.now() - started) / 1000) * 10) / 10;
  } catch (err) {
    const message = `${name}: ${err instanceof Error ? err.message : String(err)}`;
    results.errors.push(message);
    console.error(`[bench] FAILED ${message}`);
  }
}

async function main(): Promise<Results> {
  const results: Results = {
    startedAt: new Date().toISOString(),
    command: 'npm run bench',
    machine: machine(),
    sectionSec: {},
    errors: [],
  };
  // k. The knowledge base: retrieval quality on the evaluation set and search latency (in process, no server).
  await section(results, 'k', 'Knowledge base retrieval', async () => {
    results.kb = await measureKnowledgeBase();
  });
  // q. Durable data: quick replies and a page of 100,000 rows on SQLite and PostgreSQL, beside a bare query.
  await section(results, 'q', 'Database reads (SQLite, PostgreSQL)', async () => {
    results.db = await measureDatabase(log);
  });
  // m. Media reuse and the scheduler across three processes on PostgreSQL (no app server needed).
  await section(results, 'm', 'Content library and scheduler', async () => {
    results.content = await measureContent();
  });
  // r. CRM: WeCom calls per edit on a warm process; first timeline page of a customer with 10,000 entries.
  await section(results, 'r', 'CRM edits and timeline', async () => {
    results.crm = await measureCrm();
  });
  if (ONLY?.every((key) => ['k', 'm', 'q', 'r'].includes(key))) {
    results.durationSec = Math.round((Date.now() - t0) / 1000);
    return results;
  }

  const tmp = mkdtempSync(path.join(tmpdir(), 'wecom-bench-'));
  const closers: (() => Promise<void>)[] = [];
  const redisKeys = async (del: boolean) => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on('error', () => {});
    try {
      await redis.connect();
      const keys = await redis.keys('wecom:*');
      if (del && keys.length) await redis.del(...keys);
      return true;
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  };

  try {
    // 1. Production builds.
    const skip = process.env.BENCH_SKIP_BUILD === '1';
    results.buildSec = {};
    if (!(skip && existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID')))) {
      log(`next build → ${DIST_DIR}`);
      results.buildSec.app = (await withTsconfigKept(() => nextBuild('next build', [], cleanEnv()))) / 1000;
    }
    // The floor never changes with the product: rebuild it only when its own files are newer than its build.
    if (floorStale()) {
      log(`next build ${FLOOR_DIR}`);
      const { NEXT_DIST_DIR: _omit, ...env } = cleanEnv();
      void _omit;
      results.buildSec.floor = (await nextBuild('next build (floor)', [FLOOR_DIR], env)) / 1000;
    }

    // 2. The standalone emulator (ours) and a second one for the seed-style baseline (own counters and budgets).
    const publicPort = await freePort();
    const publicUrl = `http://127.0.0.1:${publicPort}`;
    const emu = await startEmulator({ port: 0, trustedDomains: [`127.0.0.1:${publicPort}`] });
    closers.push(() => emu.close());
    const emuSeed = await startEmulator({ port: 0 });
    closers.push(() => emuSeed.close());
    const control = emulatorControl(emu.url);
    const controlSeed = emulatorControl(emuSeed.url);
    const seed = await startSeedBaseline({
      apiBase: emuSeed.url,
      corpId: DEMO_CREDENTIALS.corpId,
      agentId: DEMO_CREDENTIALS.agentId,
      secret: DEMO_CREDENTIALS.agentSecret,
    });
    closers.push(() => seed.close());

    const sessionSecret = randomBytes(32).toString('base64url');
    // Every live instance serves the same public origin, as behind a load balancer.
    const liveEnv = (storeUrl: string): NodeJS.ProcessEnv => ({
      ...cleanEnv(),
      WECOM_CORP_ID: DEMO_CREDENTIALS.corpId,
      WECOM_AGENT_ID: DEMO_CREDENTIALS.agentId,
      WECOM_AGENT_SECRET: DEMO_CREDENTIALS.agentSecret,
      WECOM_API_BASE: emu.url,
      WECOM_OAUTH_BASE: emu.url,
      WECOM_LOGIN_BASE: emu.url,
      APP_BASE_URL: publicUrl,
      SESSION_SECRET: sessionSecret,
      STORE_URL: storeUrl,
      DATA_DIR: path.join(tmp, 'data'),
    });
    const startLive = (name: string, storeUrl: string, port?: number) =>
      startNext(name, { env: liveEnv(storeUrl), port, readyPath: '/api/session' });
    // Live mode starts only on a migrated database, as an operator runs it.
    await migrateDatabase(liveEnv('memory:'));

    log('starting the app (live mode against the emulator) and signing in');
    const app = await startLive('app', `sqlite:${path.join(tmp, 'app.db')}`, publicPort);
    const cookie = await login(app.url);
    const pageUrl = `${publicUrl}/sidebar`;
    const signatureUrl = (base: string) => `${base}/api/jssdk/signature?url=${encodeURIComponent(pageUrl)}`;
    let customerName = '林晓梅';

    // a. Upstream calls per sidebar open, from a cold process, and per warm open.
    await section(results, 'a', `${OPENS} sidebar opens`, async () => {
      const cold = await startLive('app (opens)', `sqlite:${path.join(tmp, 'opens.db')}`);
      try {
        await control.resetCounters();
        const opens = await pool(OPENS, OPEN_CONCURRENCY, () => sidebarOpen(cold.url, cookie, CUSTOMER));
        const countersOver1000 = await control.counters();
        await control.resetCounters();
        await pool(WARM_OPENS, OPEN_CONCURRENCY, () => sidebarOpen(cold.url, cookie, CUSTOMER));
        const warmCounters = await control.counters();
        const profile = opens.find((o) => o.profile)?.profile;
        if (typeof profile?.name === 'string') customerName = profile.name;

        await controlSeed.reset();
        const seedOk = await pool(OPENS, OPEN_CONCURRENCY, () => seedOpen(seed.url, pageUrl, CUSTOMER));
        const seedCounters = await controlSeed.counters();
        results.opens = {
          opens: OPENS,
          failed: opens.filter((o) => !o.ok).length,
          tokenAndTicketCalls: sumOf(countersOver1000, TOKEN_AND_TICKET_APIS),
          countersOver1000,
          warmOpens: WARM_OPENS,
          upstreamPerWarmOpen: sumOf(warmCounters) / WARM_OPENS,
          warmCounters,
          sidebarHtmlBytes: opens[0]?.htmlBytes ?? 0,
          seed: {
            opens: OPENS,
            failed: seedOk.filter((ok) => !ok).length,
            tokenAndTicketCalls: sumOf(seedCounters, TOKEN_AND_TICKET_APIS),
            upstreamPerOpen: sumOf(seedCounters) / OPENS,
            counters: seedCounters,
          },
        };
      } finally {
        await cold.proc.stop();
      }
    });

    // b. Stampedes on a cold cache.
    results.stampede = [];
    const stampede = async (scenario: string, servers: NextServer[], note?: string) => {
      await control.resetCounters();
      const urls = Array.from({ length: STAMPEDE }, (_, i) => signatureUrl(servers[i % servers.length]!.url));
      const r = await burst(urls, { cookie, 'user-agent': WECOM_UA });
      const c = await control.counters();
      const row: StampedeRow = {
        scenario,
        processes: servers.length,
        requests: STAMPEDE,
        ok: r.ok,
        counts: {
          gettoken: c.gettoken ?? 0,
          get_jsapi_ticket: c.get_jsapi_ticket ?? 0,
          'ticket/get': c['ticket/get'] ?? 0,
        },
        note: note ?? (r.failed ? `statuses ${JSON.stringify(r.statuses)}` : undefined),
      };
      if (r.failed) {
        const logs = servers.map((s) => `--- ${s.proc.name}\n${s.proc.tail()}`).join('\n');
        results.errors.push(
          `b. ${scenario}: ${r.failed} of ${STAMPEDE} failed ${JSON.stringify(r.statuses)}\n${logs}`,
        );
      }
      results.stampede!.push(row);
    };
    const withServers = async (names: string[], storeUrl: string, fn: (s: NextServer[]) => Promise<void>) => {
      const servers = await Promise.all(names.map((n) => startLive(n, storeUrl)));
      try {
        await fn(servers);
      } finally {
        await Promise.all(servers.map((s) => s.proc.stop()));
      }
    };
    await section(results, 'b', 'stampede, 1 process', () =>
      withServers(['app (stampede)'], `sqlite:${path.join(tmp, 'one.db')}`, (s) =>
        stampede('1 process (SQLite)', s),
      ),
    );
    await section(results, 'b', 'stampede, 3 processes on SQLite', () =>
      withServers(['app 1/3', 'app 2/3', 'app 3/3'], `sqlite:${path.join(tmp, 'shared.db')}`, (s) =>
        stampede('3 processes, one SQLite file', s),
      ),
    );
    await section(results, 'b', 'stampede, 3 processes on Redis', async () => {
      if (!(await redisKeys(true))) {
        results.stampede!.push({
          scenario: '3 processes, Redis',
          processes: 3,
          requests: 0,
          ok: 0,
          counts: { gettoken: 0, get_jsapi_ticket: 0, 'ticket/get': 0 },
          note: `skipped: no Redis at ${REDIS_URL}`,
        });
        return;
      }
      try {
        await withServers(['app 1/3 (redis)', 'app 2/3 (redis)', 'app 3/3 (redis)'], REDIS_URL, (s) =>
          stampede('3 processes, Redis', s),
        );
      } finally {
        await redisKeys(true);
      }
    });
    await section(results, 'b', 'stampede, seed-style baseline', async () => {
      await controlSeed.reset();
      const urls = Array.from({ length: STAMPEDE }, () => signatureUrl(seed.url));
      const r = await burst(urls);
      const c = await controlSeed.counters();
      results.stampede!.push({
        scenario: 'seed-style baseline',
        processes: 1,
        requests: STAMPEDE,
        ok: r.ok,
        counts: {
          gettoken: c.gettoken ?? 0,
          get_jsapi_ticket: c.get_jsapi_ticket ?? 0,
          'ticket/get': c['ticket/get'] ?? 0,
        },
        note: `token and both tickets per request; ${r.failed} of ${STAMPEDE} failed (ticket budget, 45009)`,
      });
    });

    // c + d. Throughput against the floors, on the warm app.
    // The floors start once, when (c) or (d) first needs them.
    let floorsStarted: Promise<{ next: NextServer; nodeUrl: string }> | undefined;
    const floors = () =>
      (floorsStarted ??= (async () => {
        const { NEXT_DIST_DIR: _omit, ...env } = cleanEnv();
        void _omit;
        const nodePort = await freePort();
        const nodeUrl = `http://127.0.0.1:${nodePort}`;
        const floorNode = spawnProc('floor-node', process.execPath, [
          '--import',
          'tsx',
          'bench/floor-node.ts',
          String(nodePort),
        ]);
        const [next] = await Promise.all([
          startNext('floor-next', { dir: FLOOR_DIR, env, readyPath: '/sidebar' }),
          waitForHttp(`${nodeUrl}/api/jssdk/signature?url=x`, floorNode),
        ]);
        return { next, nodeUrl };
      })());
    const opts = {
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      warmupSeconds: WARMUP_SECONDS,
    };
    await section(results, 'c', '/api/jssdk/signature against the floors', async () => {
      const { next: floorNext, nodeUrl: floorNodeUrl } = await floors();
      // Make sure the tickets are cached before measuring the steady state.
      await fetch(signatureUrl(app.url), { headers: { cookie } }).then((r) => r.arrayBuffer());
      const rss = sampleRss(app.proc.child.pid!);
      const [ours, next, node] = await compare(
        [
          { url: signatureUrl(app.url), headers: { cookie } },
          { url: signatureUrl(floorNext.url) },
          { url: signatureUrl(floorNodeUrl) },
        ],
        opts,
      );
      results.rss = rss.stop();
      results.signature = {
        ours: ours!,
        floorNext: next!,
        floorNode: node!,
        ratioVsNext: ours!.reqPerSec / next!.reqPerSec,
        ratioVsNode: ours!.reqPerSec / node!.reqPerSec,
      };
      if (ours!.non2xx || ours!.errors)
        results.errors.push(`c: ${ours!.non2xx} non-2xx, ${ours!.errors} errors`);
    });
    await section(results, 'd', '/sidebar SSR against a bare Next.js page', async () => {
      const { next: floorNext } = await floors();
      const headers = { cookie, 'user-agent': WECOM_UA };
      const ourRes = await fetch(`${app.url}/sidebar`, { headers, redirect: 'manual' });
      const ourBytes = Buffer.byteLength(await ourRes.text());
      if (ourRes.status !== 200) throw new Error(`/sidebar answered ${ourRes.status}`);
      // Size the floor page to the same number of HTML bytes: its size is linear in ?bytes=, so two points and
      // one correction step are enough.
      const floorSize = async (bytes: number) =>
        Buffer.byteLength(await (await fetch(`${floorNext.url}/sidebar?bytes=${bytes}`)).text());
      const x0 = 0;
      const y0 = await floorSize(x0);
      const x1 = ourBytes;
      const y1 = await floorSize(x1);
      let ask = Math.max(0, Math.round(x0 + ((ourBytes - y0) * (x1 - x0)) / Math.max(1, y1 - y0)));
      const y2 = await floorSize(ask);
      ask = Math.max(0, Math.round(ask + ((ourBytes - y2) * (x1 - x0)) / Math.max(1, y1 - y0)));
      const floorBytes = await floorSize(ask);
      const [ours, next] = await compare(
        [{ url: `${app.url}/sidebar`, headers }, { url: `${floorNext.url}/sidebar?bytes=${ask}` }],
        opts,
      );
      results.floorFirstLoadJs = await htmlScriptsGzip(`${floorNext.url}/sidebar?bytes=0`);
      results.page = {
        ours: ours!,
        floorNext: next!,
        ourBytes,
        floorBytes,
        ratioVsNext: ours!.reqPerSec / next!.reqPerSec,
      };
      if (ours!.non2xx || ours!.errors)
        results.errors.push(`d: ${ours!.non2xx} non-2xx, ${ours!.errors} errors`);
    });
    await stopAll();

    // e + f. The real page in headless Chromium, against a demo instance (embedded emulator and client bridge).
    await section(
      results,
      'e',
      `time to profile against the frameworkless floor (${BROWSER_OPENS} + ${BROWSER_OPENS} opens per chat, +${LATENCY_MS} ms per WeCom call)`,
      async () => {
        const port = await freePort();
        const demoUrl = `http://127.0.0.1:${port}`;
        const demo = await startNext('app (demo)', {
          port,
          readyPath: '/api/session',
          env: {
            ...cleanEnv(),
            STORE_URL: 'memory:',
            DATA_DIR: path.join(tmp, 'demo'),
            APP_BASE_URL: demoUrl,
            WECOM_DEMO: '1',
          },
        });
        const floorPort = await freePort();
        const floorUrl = `http://127.0.0.1:${floorPort}`;
        try {
          const demoControl = emulatorControl(demoUrl);
          // The floor page is served from its own origin: trusted like the app's (可信域名).
          await demoControl.trustDomain(`127.0.0.1:${floorPort}`);
          const floor = spawnProc('floor-page', process.execPath, [
            '--import',
            'tsx',
            'bench/floor-page.ts',
            String(floorPort),
            demoUrl,
            DEMO_CREDENTIALS.corpId,
            DEMO_CREDENTIALS.agentId,
            DEMO_CREDENTIALS.agentSecret,
          ]);
          await waitForHttp(`${floorUrl}/jssdk.js`, floor);
          await demoControl.fault({ api: '*', latencyMs: LATENCY_MS });
          const single = {
            userId: 'zhangwei',
            entry: 'single_chat_tools',
            externalUserId: CUSTOMER,
          } as const;
          const group = { userId: 'zhangwei', entry: 'group_chat_tools', chatId: GROUP_CHAT } as const;
          const chats: NonNullable<Results['browser']>['chats'] = [];
          for (const [chat, client, text] of [
            ['single', single, customerName],
            ['group', group, GROUP_NAME],
          ] as const) {
            const before = async () => void (await demoControl.setClient(client));
            const [ours, floorResult] = await measurePages({
              signIn: {
                name: 'sign-in',
                url: `${demoUrl}/sidebar`,
                text: customerName,
                before: async () => void (await demoControl.setClient(single)),
              },
              targets: [
                { name: 'ours', url: `${demoUrl}/sidebar`, text, before },
                { name: 'floor', url: `${floorUrl}/floor`, text, before },
              ],
              opens: BROWSER_OPENS,
            });
            const path = (m: Record<string, number>) =>
              Object.entries(m)
                .sort((a, b) => a[1] - b[1])
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ');
            log(`e. ${chat}: ours (median ms) ${path(ours!.milestones)}`);
            log(`e. ${chat}: floor (median ms) ${path(floorResult!.milestones)}`);
            chats.push({
              chat,
              ours: ours!,
              floor: floorResult!,
              ratioMedian: ours!.medianMs / floorResult!.medianMs,
              ratioP90: ours!.p90Ms / floorResult!.p90Ms,
            });
          }
          results.browser = { latencyMs: LATENCY_MS, chats };
          await floor.stop();
        } finally {
          await demo.proc.stop();
        }
      },
    );

    // s. Third-party mode with many installed corps: one process, sidebar signatures spread over them.
    await section(results, 's', `third-party scale (${SCALE_CORPS} corps)`, async () => {
      const port = await freePort();
      const inspectPort = await freePort();
      const appUrl = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = {
        ...cleanEnv(),
        WECOM_SUITE_ID: DEMO_SUITE.suiteId,
        WECOM_SUITE_SECRET: DEMO_SUITE.suiteSecret,
        WECOM_SUITE_TOKEN: DEMO_SUITE.token,
        WECOM_SUITE_ENCODING_AES_KEY: DEMO_SUITE.encodingAesKey,
        WECOM_API_BASE: emu.url,
        WECOM_OAUTH_BASE: emu.url,
        WECOM_LOGIN_BASE: emu.url,
        APP_BASE_URL: appUrl,
        SESSION_SECRET: sessionSecret,
        STORE_URL: `sqlite:${path.join(tmp, 'suite-store.db')}`,
        DATA_DIR: path.join(tmp, 'suite'),
      };
      await migrateDatabase(env);
      const suiteApp = await startNext('app (third-party)', {
        port,
        readyPath: '/api/session',
        env: { ...env, NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` },
      });
      try {
        // As in the provider console: the instruction URL saved, a suite ticket pushed, the demo corps installed.
        const configured = await fetch(`${emu.url}/wecom-emulator/suite/config`, {
          method: 'POST',
          body: JSON.stringify({
            callbackUrl: `${appUrl}/api/wecom/suite/callback`,
            pushTicket: true,
            installDemoCorps: true,
          }),
        });
        if (!configured.ok) throw new Error(`suite config → ${configured.status}`);
        const url = `${appUrl}/api/jssdk/signature?url=${encodeURIComponent(`${appUrl}/sidebar`)}`;
        const opts = { connections: SCALE_CONNECTIONS, seconds: SCALE_SECONDS };
        // The same number of distinct sessions either way: members of one corp, or one member in each corp.
        const oneCorp = await Promise.all(
          Array.from({ length: SCALE_CORPS }, (_, i) =>
            sessionCookie(sessionSecret, DEMO_CREDENTIALS.corpId, `member${i}`),
          ),
        );
        await spread(url, oneCorp, { connections: SCALE_CONNECTIONS, seconds: 2 });
        const heapOneCorp = await heapUsedAfterGc(inspectPort);

        // Installed in batches: each batch is one control request, answered when its create_auth pushes are done.
        const made = { corpIds: [] as string[] };
        for (let batch = 0; made.corpIds.length < SCALE_CORPS; batch++) {
          const count = Math.min(200, SCALE_CORPS - made.corpIds.length);
          const res = (await (
            await fetch(`${emu.url}/wecom-emulator/suite/scale-corps`, {
              method: 'POST',
              body: JSON.stringify({ count }),
            })
          ).json()) as { ok: boolean; installed: number; corpIds: string[] };
          if (!res.ok) throw new Error(`batch ${batch}: installed ${res.installed} of ${count} corps`);
          made.corpIds.push(...res.corpIds);
        }
        const manyCorps = await Promise.all(
          made.corpIds.map((c) => sessionCookie(sessionSecret, c, 'admin')),
        );
        const heapInstalled = await heapUsedAfterGc(inspectPort);
        // Every corp active once (its token and tickets fetched), then the measured rounds, interleaved.
        const warm = await visitEach(url, manyCorps, SCALE_CONNECTIONS);
        if (warm.failed) throw new Error(`first visits: ${JSON.stringify(warm.statuses)}`);
        const one: LatencyResult[] = [];
        const many: LatencyResult[] = [];
        for (let round = 0; round < SCALE_ROUNDS; round++) {
          one.push(await spread(url, oneCorp, opts));
          many.push(await spread(url, manyCorps, opts));
        }
        const heapActive = await heapUsedAfterGc(inspectPort);
        const counts = (await (await fetch(`${emu.url}/wecom-emulator/suite/scale-corps`)).json()) as {
          corps: number;
          totals: Record<string, number>;
          maxPerCorp: number;
          corpsCalled: number;
        };
        const oneCorpResult = combine(one);
        const manyCorpResult = combine(many);
        results.scale = {
          corps: SCALE_CORPS,
          connections: SCALE_CONNECTIONS,
          seconds: SCALE_SECONDS * SCALE_ROUNDS,
          oneCorp: oneCorpResult,
          manyCorps: manyCorpResult,
          p99Ratio: manyCorpResult.p99Ms / oneCorpResult.p99Ms,
          heapBytes: { oneCorp: heapOneCorp, installed: heapInstalled, active: heapActive },
          bytesPerActiveCorp: (heapActive - heapInstalled) / SCALE_CORPS,
          bytesPerInstalledCorp: (heapInstalled - heapOneCorp) / SCALE_CORPS,
          clientCacheMax: CORP_CLIENT_CACHE_MAX,
          upstream: counts,
        };
        if (oneCorpResult.failed || manyCorpResult.failed)
          results.errors.push(
            `s: failed requests ${JSON.stringify(oneCorpResult.statuses)} / ${JSON.stringify(manyCorpResult.statuses)}`,
          );
      } finally {
        await suiteApp.proc.stop();
      }
    });
  } finally {
    await stopAll();
    for (const close of closers.reverse()) await close().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
  results.durationSec = Math.round((Date.now() - t0) / 1000);
  return results;
}

main()
  .then((results) => {
    const file = writeResults(results);
    console.log(`\n${readmeSection(results)}\n`);
    console.log(
      `Whole run: ${results.durationSec} s (${JSON.stringify(results.sectionSec)}). Results: ${path.relative(process.cwd(), file)}`,
    );
    if (results.errors.length) {
      console.error(`\n${results.errors.length} problem(s):\n- ${results.errors.join('\n- ')}`);
      process.exitCode = 1;
    }
  })
  .catch(async (err) => {
    console.error('[bench] aborted:', err instanceof Error ? err.stack : err);
    await stopAll();
    process.exit(1);
  });
