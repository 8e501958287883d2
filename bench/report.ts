import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserResult } from './browser';
import type { LoadResult } from './load';
import type { LatencyResult } from './scale';
import { ROOT } from './servers';
import type { DbResult } from './db';
import type { ContentResult } from './content';
import type { CrmResult } from './crm';
import type { KbResult } from './kb';

export interface Machine {
  nproc: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  loadAvgAtStart: number[];
}

export function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    nproc: cpus().length,
    cpuModel,
    ramGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export interface StampedeRow {
  scenario: string;
  processes: number;
  requests: number;
  ok: number;
  counts: { gettoken: number; get_jsapi_ticket: number; 'ticket/get': number };
  note?: string;
}

export interface Results {
  startedAt: string;
  durationSec?: number;
  command: string;
  machine: Machine;
  buildSec?: { app?: number; floor?: number };
  opens?: {
    opens: number;
    failed: number;
    tokenAndTicketCalls: number;
    countersOver1000: Record<string, number>;
    warmOpens: number;
    upstreamPerWarmOpen: number;
    warmCounters: Record<string, number>;
    sidebarHtmlBytes: number;
    seed: {
      opens: number;
      failed: number;
      tokenAndTicketCalls: number;
      upstreamPerOpen: number;
      counters: Record<string, number>;
    };
  };
  stampede?: StampedeRow[];
  signature?: {
    ours: LoadResult;
    floorNext: LoadResult;
    floorNode: LoadResult;
    ratioVsNext: number;
    ratioVsNode: number;
  };
  page?: {
    ours: LoadResult;
    floorNext: LoadResult;
    ourBytes: number;
    floorBytes: number;
    ratioVsNext: number;
  };
  rss?: { peakRssMb: number; maxHwmMb: number };
  /** The bare Next.js page's JavaScript, for scale. */
  floorFirstLoadJs?: { files: number; rawBytes: number; gzipBytes: number };
  browser?: {
    latencyMs: number;
    /** The customer profile (single chat) and the group chat: ours, the frameworkless floor, and the ratio. */
    chats: {
      chat: 'single' | 'group';
      ours: BrowserResult;
      floor: BrowserResult;
      ratioMedian: number;
      ratioP90: number;
    }[];
  };
  kb?: KbResult;
  db?: DbResult;
  scale?: {
    corps: number;
    connections: number;
    seconds: number;
    oneCorp: LatencyResult;
    manyCorps: LatencyResult;
    p99Ratio: number;
    /** JavaScript heap in use after a full GC: one corp warm; all corps installed; all corps active. */
    heapBytes: { oneCorp: number; installed: number; active: number };
    bytesPerActiveCorp: number;
    bytesPerInstalledCorp: number;
    clientCacheMax: number;
    upstream: { corps: number; totals: Record<string, number>; maxPerCorp: number; corpsCalled: number };
  };
  content?: ContentResult;
  crm?: CrmResult;
  /** Wall-clock seconds per part of the run. */
  sectionSec: Record<string, number>;
  errors: string[];
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const loadCell = (r: LoadResult) =>
  `${fmt(r.reqPerSec)} req/s · p50 ${fmt(r.p50Ms, 1)} ms · p99 ${fmt(r.p99Ms, 1)} ms`;

const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'yes' : 'NO');

/** The results as a markdown table (printed, and pasted into the README). */
export function table(r: Results): string {
  const rows: [string, string, string, string, string][] = [];
  const o = r.opens;
  if (o) {
    rows.push([
      'a. Upstream calls per warm sidebar open',
      fmt(o.upstreamPerWarmOpen, 2),
      `seed-style: ${fmt(o.seed.upstreamPerOpen, 2)}`,
      '1',
      mark(o.upstreamPerWarmOpen <= 1),
    ]);
    rows.push([
      `a. Token + ticket calls over ${fmt(o.opens)} opens (cold start)`,
      fmt(o.tokenAndTicketCalls),
      `seed-style: ${fmt(o.seed.tokenAndTicketCalls)} (${fmt(o.seed.failed)} opens failed, 45009)`,
      '3',
      mark(o.tokenAndTicketCalls <= 3 && o.failed === 0),
    ]);
  }
  for (const s of r.stampede ?? []) {
    const c = s.counts;
    rows.push([
      `b. Stampede, ${s.requests} concurrent signatures: ${s.scenario}`,
      `${c.gettoken} / ${c.get_jsapi_ticket} / ${c['ticket/get']}${s.ok < s.requests ? ` (${s.requests - s.ok} failed)` : ''}`,
      s.note ?? '',
      s.scenario.startsWith('seed') ? '' : '1 / 1 / 1',
      s.scenario.startsWith('seed')
        ? ''
        : mark(c.gettoken <= 1 && c.get_jsapi_ticket <= 1 && c['ticket/get'] <= 1 && s.ok === s.requests),
    ]);
  }
  if (r.signature) {
    const s = r.signature;
    rows.push(['c. `/api/jssdk/signature`, 50 connections, 10 s', loadCell(s.ours), '', '', '']);
    rows.push(['c. floor: bare Next.js route handler', loadCell(s.floorNext), '', '', '']);
    rows.push(['c. floor: raw `node:http`', loadCell(s.floorNode), '', '', '']);
    rows.push(['c. ours / bare Next.js', fmt(s.ratioVsNext, 2), '', '≥ 0.8', mark(s.ratioVsNext >= 0.8)]);
    rows.push(['c. ours / raw node:http', fmt(s.ratioVsNode, 3), '', '', '']);
  }
  if (r.page) {
    const p = r.page;
    rows.push([
      `d. \`/sidebar\` SSR (${fmt(p.ourBytes)} B), 50 connections, 10 s`,
      loadCell(p.ours),
      '',
      '',
      '',
    ]);
    rows.push([`d. floor: bare Next.js page (${fmt(p.floorBytes)} B)`, loadCell(p.floorNext), '', '', '']);
    rows.push(['d. ours / bare Next.js', fmt(p.ratioVsNext, 2), '', '≥ 0.8', mark(p.ratioVsNext >= 0.8)]);
  }
  if (r.browser) {
    const b = r.browser;
    for (const c of b.chats) {
      const what = c.chat === 'single' ? "customer's name" : "group's name";
      const page = c.chat === 'single' ? '`/sidebar` (customer)' : '`/sidebar` (group chat)';
      rows.push([
        `e. ${page}: navigation → ${what} on screen, +${b.latencyMs} ms per WeCom call (${c.ours.opens} opens)`,
        `median ${fmt(c.ours.medianMs)} · p90 ${fmt(c.ours.p90Ms)} ms`,
        `min ${fmt(Math.min(...c.ours.timesMs))} · max ${fmt(Math.max(...c.ours.timesMs))} ms`,
        '',
        '',
      ]);
      rows.push([
        `e. floor: frameworkless page, same path (${c.floor.opens} opens, interleaved)`,
        `median ${fmt(c.floor.medianMs)} · p90 ${fmt(c.floor.p90Ms)} ms`,
        `min ${fmt(Math.min(...c.floor.timesMs))} · max ${fmt(Math.max(...c.floor.timesMs))} ms`,
        '',
        '',
      ]);
      rows.push([
        `e. ours / floor (${c.chat === 'single' ? 'customer' : 'group chat'})`,
        `median ${fmt(c.ratioMedian, 2)} · p90 ${fmt(c.ratioP90, 2)}`,
        '',
        '≤ 1.3',
        mark(c.ratioMedian <= 1.3 && c.ratioP90 <= 1.3),
      ]);
    }
    const single = b.chats.find((c) => c.chat === 'single')?.ours;
    if (single) {
      rows.push([
        'e. Requests after the HTML (customer)',
        fmt(single.requestsAfterHtml),
        Object.entries(single.requestsByKind)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
        '',
        '',
      ]);
      rows.push([
        'f. First-load JS of `/sidebar`',
        `${fmt(single.firstLoadJs.gzipBytes / 1024, 1)} KiB gzip`,
        `${single.firstLoadJs.files} files, ${fmt(single.firstLoadJs.rawBytes / 1024, 1)} KiB raw` +
          (r.floorFirstLoadJs
            ? `; bare Next.js page: ${fmt(r.floorFirstLoadJs.gzipBytes / 1024, 1)} KiB gzip (${r.floorFirstLoadJs.files} files)`
            : ''),
        '',
        '',
      ]);
    }
  }
  if (r.scale) {
    const s = r.scale;
    const cell = (x: LatencyResult) =>
      `${fmt(x.reqPerSec)} req/s · p50 ${fmt(x.p50Ms, 1)} ms · p99 ${fmt(x.p99Ms, 1)} ms`;
    const u = s.upstream;
    rows.push([
      `s. Third-party, ${fmt(s.corps)} installed corps: token + ticket calls per corp (max)`,
      fmt(u.maxPerCorp),
      `${fmt(u.corpsCalled)} corps called; get_corp_token ${fmt(u.totals['service/get_corp_token'] ?? 0)}, ` +
        `get_jsapi_ticket ${fmt(u.totals.get_jsapi_ticket ?? 0)}, ticket/get ${fmt(u.totals['ticket/get'] ?? 0)}`,
      '≤ 3 per 7,200 s',
      mark(u.maxPerCorp <= 3 && u.corpsCalled === s.corps),
    ]);
    rows.push([
      `s. Heap growth per active corp (${fmt(s.corps)} corps active)`,
      `${fmt(s.bytesPerActiveCorp)} B`,
      `heap after GC: ${fmt(s.heapBytes.installed / 2 ** 20, 1)} → ${fmt(s.heapBytes.active / 2 ** 20, 1)} MiB; ` +
        `corp clients kept: at most ${fmt(s.clientCacheMax)} (LRU, idle ones dropped)`,
      '≤ 2,048 B',
      mark(s.bytesPerActiveCorp <= 2048),
    ]);
    rows.push([
      `s. \`/api/jssdk/signature\`, ${s.connections} connections, traffic on one corp`,
      cell(s.oneCorp),
      `${fmt(s.oneCorp.requests)} requests, ${fmt(s.corps)} sessions`,
      '',
      '',
    ]);
    rows.push([
      `s. \`/api/jssdk/signature\`, traffic spread over ${fmt(s.corps)} corps`,
      cell(s.manyCorps),
      `${fmt(s.manyCorps.requests)} requests, one session per corp`,
      '',
      '',
    ]);
    rows.push([
      `s. p99, ${fmt(s.corps)} corps / one corp`,
      fmt(s.p99Ratio, 2),
      '',
      '≤ 1.2',
      mark(s.p99Ratio <= 1.2),
    ]);
  }
  if (r.rss) {
    rows.push([
      'f. Server peak RSS during (c)',
      `${fmt(r.rss.peakRssMb)} MB`,
      `VmHWM ${fmt(r.rss.maxHwmMb)} MB`,
      '',
      '',
    ]);
  }
  if (r.kb) {
    const k = r.kb;
    const set = `${k.questions} questions (${k.answerable} answerable, ${k.unanswerable} not)`;
    rows.push(['k. Knowledge base recall@1', fmt(k.recallAt1, 3), set, '', '']);
    rows.push(['k. Knowledge base recall@3', fmt(k.recallAt3, 3), set, '≥ 0.9', mark(k.recallAt3 >= 0.9)]);
    rows.push([
      'k. Unanswerable questions declined',
      fmt(k.declined, 3),
      `answerable ones wrongly declined: ${fmt(k.falselyDeclined, 3)}`,
      '≥ 0.8',
      mark(k.declined >= 0.8),
    ]);
    rows.push([
      `k. Search latency, ${fmt(k.passages)} passages (server time)`,
      `p50 ${fmt(k.p50Ms, 2)} ms · p95 ${fmt(k.p95Ms, 2)} ms`,
      `${fmt(k.searches)} searches; index built from stored terms in ${fmt(k.buildMs)} ms`,
      'p95 ≤ 50 ms',
      mark(k.p95Ms <= 50),
    ]);
  }
  if (r.db) {
    for (const d of r.db.drivers) {
      const name = d.driver === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const bare = `bare \`select 1\` on the same driver: p50 ${fmt(d.bare.p50Ms, 3)} ms · p99 ${fmt(d.bare.p99Ms, 3)} ms`;
      rows.push([
        `q. Sidebar quick replies (${d.replies} corp + 5 personal, favourites, categories), ${name}`,
        `p50 ${fmt(d.quickReplies.p50Ms, 3)} ms · p99 ${fmt(d.quickReplies.p99Ms, 3)} ms`,
        `${bare}; ${fmt(d.iterations)} reads`,
        '',
        '',
      ]);
      rows.push([
        `q. Page of ${d.pageSize} from ${fmt(d.rows)} rows, ${name}`,
        `p50 ${fmt(d.page.p50Ms, 3)} ms · p99 ${fmt(d.page.p99Ms, 3)} ms`,
        `${bare}; keyset page of one corp's event log, newest first`,
        '',
        '',
      ]);
    }
    for (const s of r.db.skipped) rows.push(['q. Database reads', 'not measured', s, '', '']);
  }
  if (r.content) {
    const c = r.content;
    rows.push([
      `m. Media uploads for one image reply sent ${fmt(c.mediaSends)} times`,
      fmt(c.mediaUploads),
      'media_id cached per corp for its 3-day life',
      '1',
      mark(c.mediaUploads === 1),
    ]);
    const once =
      c.submitted === c.scheduled &&
      c.addMsgTemplateCalls === c.scheduled &&
      c.distinctMsgids === c.scheduled;
    rows.push([
      `m. ${fmt(c.scheduled)} messages due in one minute, ${c.processes} processes, PostgreSQL`,
      `${fmt(c.submitted)} submitted · ${fmt(c.addMsgTemplateCalls)} add_msg_template calls`,
      `${fmt(c.distinctMsgids)} distinct msgids; drained in ${fmt(c.drainSec, 1)} s`,
      'each exactly once',
      mark(once),
    ]);
    rows.push([
      'm. Scheduler lateness (submitted − due)',
      `p50 ${fmt(c.latenessP50Ms)} ms · p99 ${fmt(c.latenessP99Ms)} ms`,
      `max ${fmt(c.latenessMaxMs)} ms`,
      '≤ 10 s',
      mark(c.latenessMaxMs <= 10_000),
    ]);
  }
  if (r.crm) {
    for (const e of r.crm.edits) {
      const wecom = e.edit === 'note' ? 0 : 1;
      rows.push([
        `r. WeCom calls per ${e.edit} edit (warm)`,
        `${fmt(e.perEdit, 2)} per edit · token/ticket ${fmt(e.tokenAndTicket)}`,
        `${fmt(e.edits)} edits: ${
          Object.entries(e.calls)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }`,
        `${wecom}, no token/ticket`,
        mark(e.perEdit === wecom && e.tokenAndTicket === 0),
      ]);
    }
    for (const t of r.crm.timeline) {
      if ('skipped' in t) {
        rows.push([
          `r. First timeline page, 10,000 entries (${t.kind})`,
          'skipped',
          t.skipped,
          'p95 ≤ 30 ms',
          '',
        ]);
        continue;
      }
      rows.push([
        `r. First timeline page, ${fmt(t.entries)} entries (${t.kind}, server time)`,
        `p50 ${fmt(t.p50Ms, 2)} ms · p95 ${fmt(t.p95Ms, 2)} ms`,
        `${fmt(t.runs)} reads of ${t.pageItems} items`,
        'p95 ≤ 30 ms',
        mark(t.p95Ms <= 30),
      ]);
    }
  }
  const head = ['Measure', 'Result', 'Contrast / detail', 'Target', 'Met'];
  const lines = [head, ['---', '---', '---', '---', '---'], ...rows].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.nproc} × ${m.cpuModel}, ${m.ramGb} GB RAM, Node ${m.node}, load average at start ${m.loadAvgAtStart.join(' / ')}`;
}

export function writeResults(r: Results): string {
  const file = path.join(ROOT, 'bench/results.json');
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

/** The README's "Performance" section for these results. */
export function readmeSection(r: Results): string {
  const b = r.browser;
  const single = b?.chats.find((c) => c.chat === 'single')?.ours;
  const emulated = single ? (single.requestsByKind['emulated WeCom client'] ?? 0) : 0;
  const when = `${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return [
    '## Performance',
    '',
    '```bash',
    'npm run bench                      # production build into .next-bench, then about 2–3 minutes of measuring',
    'BENCH_SKIP_BUILD=1 npm run bench   # reuse the last build',
    '```',
    '',
    'The benchmark runs the production build in live mode against the standalone WeCom emulator, all on',
    'loopback, prints the table below and writes `bench/results.json`. It needs Chromium at `/usr/bin/chromium`',
    '(or `CHROMIUM_PATH`) and, for the Redis row, Redis at `redis://127.0.0.1:6379/14` (or `BENCH_REDIS_URL`;',
    'only `wecom:*` keys are touched). It is not part of CI.',
    '',
    `Latest run (${when}, ${r.durationSec ?? '?'} s in all): ${machineLine(r.machine)}.`,
    '',
    table(r),
    '',
    '- **a, b.** Upstream calls are counted by the emulator. A *sidebar open* is the server-rendered `/sidebar`',
    '  (both JS-SDK signatures inlined) plus `/api/contacts/<id>`, with a signed-in session; the 1,000 opens start',
    '  from a freshly started process. The stampedes send 500 simultaneous `/api/jssdk/signature` requests to',
    '  cold processes, round-robin when there are three. The *seed-style baseline* is the backend of the',
    '  hand-built sidebars this app replaces (a token and both tickets fetched for every signature, a token for',
    "  every profile); the emulator enforces WeCom's ticket budget of 100 per hour per app, so most of its opens",
    '  fail with 45009.',
    '- **c, d.** autocannon, 50 connections, 10 s per target in two interleaved rounds after a warm-up, beside',
    '  floors doing the same two SHA-1 signatures from an in-memory ticket: a bare Next.js route handler and a',
    '  bare page of the same HTML size (`bench/floor-next`), and a raw `node:http` server (`bench/floor-node.ts`).',
    '  On a shared machine the absolute numbers move with the background load; compare the ratios.',
    ...(b
      ? [
          `- **e, f.** Headless Chromium against a demo-mode instance (its emulated WeCom client), ${b.latencyMs} ms added`,
          '  to every WeCom call, each open in a fresh browser context (cold HTTP cache, signed-in session), timed',
          "  from navigation start to the name in the page's text. The floor (`bench/floor-page.ts`) is a plain",
          '  `node:http` server in front of the same emulator: both signatures inlined in the HTML, the bridge and',
          "  `@wecom/jssdk`'s global build, register → getContext → getCurExternalContact (getCurExternalChat) → one",
          '  fetch to that server, which calls externalcontact/get (groupchat/get) with a token held in memory. Ours and',
          '  the floor are opened alternately in one browser, so both see the same background load.',
          `  ${emulated} of the requests after the HTML belong to the emulated client (bridge script, signature check,`,
          '  chat context), which the real WeCom client handles in-process. First-load JS is the gzip size of the',
          "  app's `/_next/` scripts that the page loads; peak RSS is the `next start` process tree during (c).",
        ]
      : []),
    ...(r.scale
      ? [
          `- **s.** One process in third-party mode against the standalone emulator, which installs ${fmt(r.scale.corps)} more`,
          '  corps through the usual create_auth pushes (`POST /wecom-emulator/suite/scale-corps`). Sessions are sealed',
          "  with the app's session secret, the same number of distinct sessions either way (members of one corp, or",
          `  one member per corp); ${r.scale.connections} concurrent clients, ${r.scale.seconds} s per case in interleaved rounds, after`,
          "  every corp's first request (which fetches its corp token and both tickets). Heap is V8's used heap after",
          "  a full GC, read through the app process's inspector. Token and ticket calls are the emulator's counters",
          '  per corp (get_corp_token, get_jsapi_ticket, ticket/get), all within one 7,200 s credential lifetime.',
        ]
      : []),
  ].join('\n');
}
