import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserResult } from './browser';
import type { LoadResult } from './load';
import { ROOT } from './servers';

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
  browser?: BrowserResult & { latencyMs: number };
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
      '1 / 1 / 1',
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
    rows.push([
      `e. Time to profile, headless Chromium, +${b.latencyMs} ms per WeCom call (median of ${b.opens})`,
      `${fmt(b.medianMs)} ms`,
      `min ${fmt(Math.min(...b.timesMs))} · max ${fmt(Math.max(...b.timesMs))} ms`,
      '',
      '',
    ]);
    rows.push([
      'e. Requests after the HTML',
      fmt(b.requestsAfterHtml),
      Object.entries(b.requestsByKind)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
      '',
      '',
    ]);
    rows.push([
      'f. First-load JS of `/sidebar`',
      `${fmt(b.firstLoadJs.gzipBytes / 1024, 1)} KiB gzip`,
      `${b.firstLoadJs.files} files, ${fmt(b.firstLoadJs.rawBytes / 1024, 1)} KiB raw`,
      '',
      '',
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
