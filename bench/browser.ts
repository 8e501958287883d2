import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
  'Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat ColorScheme/Light';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PageTimes {
  opens: number;
  /** Navigation start → the expected text in the rendered page, per open (ms). */
  timesMs: number[];
  medianMs: number;
  p90Ms: number;
  /** Median milestones of the opens (ms from navigation start): where the time to the name goes. */
  milestones: Record<string, number>;
}

export interface BrowserResult extends PageTimes {
  /** Requests after the HTML document, per open (median), and the paths of the last open. */
  requestsAfterHtml: number;
  requestsByKind: Record<string, number>;
  requestPaths: string[];
  /** The app's own JavaScript (/_next/ scripts) the page loads: files and gzip bytes. */
  firstLoadJs: { files: number; rawBytes: number; gzipBytes: number };
}

export interface Target {
  name: string;
  url: string;
  /** Text that marks the page as done (the customer's or the group's name). */
  text: string;
  /** Before each open (e.g. switch the emulated client's chat). */
  before?: () => Promise<void>;
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function kindOf(url: URL, resourceType: string): string {
  if (url.pathname.startsWith('/wecom-emulator/avatars/')) return 'avatar';
  // What the real WeCom client does in-process (its bridge script, signature checks, chat context).
  if (url.pathname.startsWith('/wecom-emulator/')) return 'emulated WeCom client';
  if (url.pathname.startsWith('/api/')) return 'app API';
  if (url.pathname.startsWith('/_next/') && resourceType === 'script') return 'JS';
  if (url.pathname.startsWith('/_next/') && resourceType === 'stylesheet') return 'CSS';
  return resourceType;
}

/**
 * Records, inside the page, when the customer's name first appears in the rendered text. A string, not a function:
 * tsx would wrap named functions in a helper that does not exist in the page.
 */
const watchForName = (name: string) => `(() => {
  const name = ${JSON.stringify(name)};
  const observer = new MutationObserver(() => {
    // textContent first: innerText lays the page out, which on every mutation would slow the page it measures.
    if (window.__profileAt === undefined && document.body && document.body.textContent.includes(name) &&
        document.body.innerText.includes(name)) {
      window.__profileAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

/**
 * The page's own resource timings, as milestones: the HTML's first and last byte, the scripts on the path (the
 * emulated client's bridge, the SDK or the boot, the app's chunks), the emulated client's calls and the profile fetch.
 */
const MILESTONES = `(() => {
  const out = {};
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) { out.htmlFirstByte = nav.responseStart; out.htmlEnd = nav.responseEnd; out.domInteractive = nav.domInteractive; }
  const at = (key, value) => { if (out[key] === undefined || value > out[key]) out[key] = value; };
  const first = (key, value) => { if (out[key] === undefined || value < out[key]) out[key] = value; };
  for (const e of performance.getEntriesByType('resource')) {
    const p = new URL(e.name).pathname;
    if (p.includes('/wecom-emulator/bridge.js')) at('bridgeEnd', e.responseEnd);
    else if (p.startsWith('/jssdk')) at('sdkEnd', e.responseEnd);
    else if (p.startsWith('/_next/') && e.initiatorType === 'script') at('chunksEnd', e.responseEnd);
    else if (p.startsWith('/_next/') && e.initiatorType === 'link') at('cssEnd', e.responseEnd);
    else if (p.startsWith('/wecom-emulator/')) { first('clientCallStart', e.startTime); at('clientCallsEnd', e.responseEnd); }
    else if (p.startsWith('/api/contacts/') || p.startsWith('/api/group-chats/')) {
      first('profileStart', e.startTime); first('profileEnd', e.responseEnd);
    }
  }
  const name = window.__profileAt ?? Infinity;
  out.longTaskMsBeforeName = (window.__longTasks || [])
    .filter(([start]) => start < name)
    .reduce((sum, [, d]) => sum + d, 0);
  return out;
})()`;

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// The app's Content-Security-Policy forbids eval, which Playwright's string evaluations use; measuring needs them.
const contextOptions = { userAgent: WECOM_UA, viewport: { width: 360, height: 720 }, bypassCSP: true };

interface OpenRecord {
  ms: number;
  milestones: Record<string, number>;
  requests: { url: URL; type: string }[];
  scripts: Buffer[];
}

async function openOnce(browser: Browser, target: Target, storageState: unknown): Promise<OpenRecord> {
  await target.before?.();
  const context: BrowserContext = await browser.newContext({
    ...contextOptions,
    storageState: storageState as never,
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchForName(target.text));
    const requests: { url: URL; type: string }[] = [];
    const scripts: Promise<Buffer | null>[] = [];
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return;
      requests.push({ url: new URL(req.url()), type: req.resourceType() });
    });
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (res.request().resourceType() === 'script' && url.pathname.startsWith('/_next/')) {
        scripts.push(res.body().catch(() => null));
      }
    });
    const tracing = process.env.BENCH_TRACE_DIR && target.name === 'ours';
    if (tracing)
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline'],
      });
    await page.goto(target.url);
    await page.waitForFunction('window.__profileAt !== undefined', null, { timeout: 30_000, polling: 50 });
    const ms = (await page.evaluate('window.__profileAt')) as number;
    const milestones = (await page.evaluate(MILESTONES)) as Record<string, number>;
    if (tracing) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${process.env.BENCH_TRACE_DIR}/trace-${Date.now()}.json`, await browser.stopTracing());
    }
    if (process.env.BENCH_TRACE === '1') {
      const entries = (await page.evaluate(
        `performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname.slice(0, 40), e.initiatorType, Math.round(e.startTime), Math.round(e.requestStart), Math.round(e.responseStart), Math.round(e.responseEnd)].join(' '))`,
      )) as string[];
      const longTasks = (await page.evaluate('JSON.stringify(window.__longTasks)')) as string;
      console.log(
        `${target.name}: name at ${Math.round(ms)} ms, long tasks ${longTasks}\n  ${entries.join('\n  ')}`,
      );
    }
    // Let late requests (avatars, prefetches) show up before counting.
    await page.waitForLoadState('networkidle').catch(() => {});
    const bodies = (await Promise.all(scripts)).filter((b): b is Buffer => b !== null);
    return { ms, milestones: { ...milestones, name: ms }, requests, scripts: bodies };
  } finally {
    await context.close();
  }
}

function times(records: OpenRecord[]): PageTimes {
  const timesMs = records.map((r) => Math.round(r.ms * 10) / 10);
  const milestones: Record<string, number> = {};
  const keys = new Set(records.flatMap((r) => Object.keys(r.milestones)));
  for (const k of keys) {
    const xs = records.map((r) => r.milestones[k]).filter((x): x is number => typeof x === 'number');
    if (xs.length) milestones[k] = Math.round(median(xs));
  }
  return {
    opens: records.length,
    timesMs,
    medianMs: median(timesMs),
    p90Ms: percentile(timesMs, 90),
    milestones,
  };
}

/**
 * Opens each target `opens` times, interleaved (a, b, a, b, …), each open in a fresh browser context (cold HTTP
 * cache) that carries the session of one earlier sign-in on `signIn`, and measures navigation start → text visible.
 * The first target is the app: its requests and JavaScript are reported too.
 */
export async function measurePages(opts: {
  signIn: Target;
  targets: Target[];
  opens: number;
}): Promise<BrowserResult[]> {
  let browser: Browser | undefined;
  try {
    browser = await launch();
    // Sign in once (the in-client OAuth runs silently) and keep the session for the measured opens.
    await opts.signIn.before?.();
    const first = await browser.newContext(contextOptions);
    const firstPage = await first.newPage();
    await firstPage.goto(opts.signIn.url);
    await firstPage.getByText(opts.signIn.text).first().waitFor({ timeout: 30_000 });
    const storageState = await first.storageState();
    await first.close();
    // One unmeasured open of each target warms the servers (compiled routes, connection pools).
    for (const t of opts.targets) await openOnce(browser, t, storageState);

    const records: OpenRecord[][] = opts.targets.map(() => []);
    for (let i = 0; i < opts.opens; i++) {
      // Alternate which target goes first so that neither always follows the other.
      const order = opts.targets.map((_, k) => k);
      if (i % 2) order.reverse();
      for (const k of order) records[k]!.push(await openOnce(browser, opts.targets[k]!, storageState));
    }
    return records.map((rs) => {
      const last = rs[rs.length - 1]!;
      const requestsByKind: Record<string, number> = {};
      for (const r of last.requests) {
        const k = kindOf(r.url, r.type);
        requestsByKind[k] = (requestsByKind[k] ?? 0) + 1;
      }
      return {
        ...times(rs),
        requestsAfterHtml: median(rs.map((r) => r.requests.length)),
        requestsByKind,
        requestPaths: last.requests.map((r) => r.url.pathname),
        firstLoadJs: {
          files: last.scripts.length,
          rawBytes: last.scripts.reduce((a, b) => a + b.length, 0),
          gzipBytes: last.scripts.reduce((a, b) => a + gzipSync(b).length, 0),
        },
      };
    });
  } finally {
    await browser?.close().catch(() => {});
  }
}
