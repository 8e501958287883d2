import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const WECOM_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
  'Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat ColorScheme/Light';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserResult {
  opens: number;
  /** Navigation start → the customer's name in the rendered text, per open (ms). */
  timesMs: number[];
  medianMs: number;
  /** Requests after the HTML document, per open (median), and the paths of the last open. */
  requestsAfterHtml: number;
  requestsByKind: Record<string, number>;
  requestPaths: string[];
  /** The app's own JavaScript (/_next/ scripts) the page loads: files and gzip bytes. */
  firstLoadJs: { files: number; rawBytes: number; gzipBytes: number };
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
    if (window.__profileAt === undefined && document.body && document.body.innerText.includes(name)) {
      window.__profileAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

/**
 * Opens the sidebar `opens` times, each in a fresh browser context (cold HTTP cache) that carries the session of
 * one earlier sign-in, and measures navigation start → customer's name visible.
 */
export async function measureSidebar(opts: {
  appUrl: string;
  path: string;
  customerName: string;
  opens: number;
}): Promise<BrowserResult> {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
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
    const contextOptions = { userAgent: WECOM_UA, viewport: { width: 360, height: 720 } };

    // Sign in once (the in-client OAuth runs silently) and keep the session for the measured opens.
    const first = await browser.newContext(contextOptions);
    const firstPage = await first.newPage();
    await firstPage.goto(opts.appUrl + opts.path);
    await firstPage.getByText(opts.customerName).first().waitFor({ timeout: 30_000 });
    const storageState = await first.storageState();
    await first.close();

    const timesMs: number[] = [];
    const counts: number[] = [];
    let requestsByKind: Record<string, number> = {};
    let requestPaths: string[] = [];
    let firstLoadJs = { files: 0, rawBytes: 0, gzipBytes: 0 };
    for (let i = 0; i < opts.opens; i++) {
      const context: BrowserContext = await browser.newContext({ ...contextOptions, storageState });
      const page = await context.newPage();
      await page.addInitScript(watchForName(opts.customerName));
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
      await page.goto(opts.appUrl + opts.path);
      await page.waitForFunction('window.__profileAt !== undefined', null, { timeout: 30_000, polling: 50 });
      timesMs.push((await page.evaluate('window.__profileAt')) as number);
      // Let late requests (avatars, prefetches) show up before counting.
      await page.waitForLoadState('networkidle').catch(() => {});
      counts.push(requests.length);
      if (i === opts.opens - 1) {
        requestsByKind = {};
        for (const r of requests) {
          const k = kindOf(r.url, r.type);
          requestsByKind[k] = (requestsByKind[k] ?? 0) + 1;
        }
        requestPaths = requests.map((r) => r.url.pathname);
        const bodies = (await Promise.all(scripts)).filter((b): b is Buffer => b !== null);
        firstLoadJs = {
          files: bodies.length,
          rawBytes: bodies.reduce((a, b) => a + b.length, 0),
          gzipBytes: bodies.reduce((a, b) => a + gzipSync(b).length, 0),
        };
      }
      await context.close();
    }
    return {
      opens: opts.opens,
      timesMs,
      medianMs: median(timesMs),
      requestsAfterHtml: median(counts),
      requestsByKind,
      requestPaths,
      firstLoadJs,
    };
  } finally {
    await browser?.close().catch(() => {});
  }
}
