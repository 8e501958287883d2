/**
 * The sidebar's boot: a small inline script in the server-rendered HTML that starts ww.register, the context calls
 * and the profile (or group) fetch as soon as the page is parsed, before the framework's JavaScript has loaded.
 * It interprets nothing: it keeps the raw promises (answers or errors of the WeCom client, the raw Response) on
 * `window.__wecomBoot`, and lib/jssdk-client takes them over, classifies every failure and retries as it always
 * does (an `invalid signature` still gets its refresh=1 second chance, through the signature source it installs).
 *
 * Imported by the server page (the script text) and by the browser (the hand-over); no server-only code here.
 */
import type { SignaturePair } from './signatures';

/** Everything the sidebar calls; the client rejects APIs missing here. */
export const JS_API_LIST = [
  'getContext',
  'getCurExternalContact',
  'getCurExternalChat',
  'sendChatMessage',
  'openUserProfile',
  'openEnterpriseChat',
];

/** Entries that carry a customer (single chat, or the customer's profile page). */
export const SINGLE_ENTRIES = ['single_chat_tools', 'contact_profile'];
export const GROUP_ENTRY = 'group_chat_tools';
/** The chat attachment bar (聊天附件栏): any chat, without a customer context. */
export const ATTACHMENT_ENTRY = 'chat_attachment';

/** Where the page reads a customer / a group chat; the boot fetches exactly these URLs. */
export const contactPath = (externalUserId: string) => `/api/contacts/${encodeURIComponent(externalUserId)}`;
export const groupChatPath = (chatId: string) => `/api/group-chats/${encodeURIComponent(chatId)}`;

/**
 * One static file: @wecom/jssdk's global build and the boot below. The page loads it `async` with its data in
 * `data-boot`, so it starts as soon as it has downloaded: it waits neither for the parser nor for stylesheets.
 */
export const BOOT_SCRIPT_PATH = '/jssdk/boot.js';

type SignatureKind = 'config' | 'agentConfig';
type RawWw = typeof import('@wecom/jssdk');

/** What the boot script leaves for the page. Every promise settles with what the client answered, untouched. */
export interface Boot {
  ww: RawWw;
  corpId: string;
  agentId: string;
  /** The page hands over its signature source; until then the boot signs with the inlined pair. */
  install(source: (kind: SignatureKind, url: string) => Promise<unknown>): void;
  agentConfig: Promise<unknown>;
  context: Promise<{ entry?: unknown }>;
  /** getCurExternalContact's answer, or null when the entry has no customer. */
  contact: Promise<{ userId: string } | null>;
  /** getCurExternalChat's answer, or null when the entry is not a group chat. */
  chat: Promise<{ chatId: string } | null>;
  /** The profile / group fetch started as soon as its id was known, by path. */
  fetches: Record<string, Promise<Response> | undefined>;
  /**
   * Settles once the boot has nothing more to show: the name is on screen, or a step failed or had no customer
   * or group. Never rejects.
   */
  done: Promise<void>;
}

/** The `data-boot` attribute of the boot script: the page's own signatures and what the boot needs to know. */
export function bootData(init: {
  corpId: string;
  agentId: string;
  url: string;
  pair: SignaturePair;
}): string {
  return JSON.stringify({
    corpId: init.corpId,
    agentId: init.agentId,
    url: init.url,
    pair: init.pair,
    jsApiList: JS_API_LIST,
    single: SINGLE_ENTRIES,
    group: GROUP_ENTRY,
    contactPath: contactPath(''),
    chatPath: groupChatPath(''),
    paintId: BOOT_PAINT_ID,
    holdMs: HOLD_HYDRATION_MS,
  });
}

/**
 * The boot, appended to the SDK's global build in BOOT_SCRIPT_PATH. ES5 without helpers, so it runs as written in
 * every WeCom webview. `sdk()` evaluates the SDK, which reads the user agent and WeixinJSBridge when it loads: in
 * demo mode the emulated client's bridge (a blocking script in <head>) must have run first.
 */
export const BOOT_RUNTIME = `;(function (w, doc, script) {
  var raw = script && script.getAttribute('data-boot');
  if (!raw || w.__wecomBoot) return;
  var d = JSON.parse(raw);
  function bridgePending() {
    return !w.WeixinJSBridge && doc.readyState === 'loading' &&
      !!doc.querySelector('script[src*="/wecom-emulator/bridge.js"]');
  }
  function keep(p) { p.catch(function () {}); return p; }
  var release;
  var held = new Promise(function (r) { release = r; });
  setTimeout(release, d.holdMs);
  holdHydration(held);
  function start() {
    if (bridgePending()) return setTimeout(start, 4);
    var ww = w.ww = w.ww || sdk();
    if (!ww || !ww.env || !ww.env.isWeCom || w.__wecomBoot) return release();
    var source = null, waiting = [];
    function signature(kind) {
      return function (url) {
        if (source) return source(kind, url);
        if (url === d.url) return d.pair[kind];
        return new Promise(function (r) { waiting.push(r); }).then(function (s) { return s(kind, url); });
      };
    }
    var b = { ww: ww, corpId: d.corpId, agentId: d.agentId, fetches: {} };
    b.install = function (s) { source = s; waiting.splice(0).forEach(function (r) { r(s); }); };
    ww.register({
      corpId: d.corpId,
      agentId: d.agentId,
      jsApiList: d.jsApiList,
      getConfigSignature: signature('config'),
      getAgentConfigSignature: signature('agentConfig')
    });
    b.agentConfig = keep(ww.ensureConfigReady());
    b.context = keep(b.agentConfig.then(function () { return ww.getContext(); }));
    // The name on screen as soon as it is known; the page replaces this with the full card (clearBootPaint).
    function paint(name) {
      if (typeof name !== 'string' || !name || doc.getElementById(d.paintId) || !doc.body) return;
      if (doc.querySelector('[data-testid="customer-profile"],[data-testid="group-chat"]')) return;
      // Not a tag the page renders at the top of <body>: React's hydration skips it instead of mistaking it for its
      // own first element there.
      var el = doc.createElement('aside');
      el.id = d.paintId;
      el.setAttribute('aria-hidden', 'true');
      el.textContent = name;
      el.style.cssText = 'position:fixed;top:0;left:0;right:0;max-width:420px;margin:0 auto;box-sizing:border-box;' +
        'padding:14px 16px;font-size:18px;font-weight:600;line-height:1.4;background:var(--bg,#fff);' +
        'color:var(--text,#1f2329);z-index:10;overflow:hidden;text-overflow:ellipsis;white-space:nowrap';
      doc.body.insertBefore(el, doc.body.firstChild);
    }
    var painting = null;
    function prefetch(path) {
      var p = keep(fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' }));
      b.fetches[path] = p;
      painting = p.then(function (r) {
        if (!r.ok) return;
        return r.clone().json().then(function (j) { if (!b.painted) { b.painted = true; paint(j && j.name); } });
      });
    }
    b.contact = keep(b.context.then(function (c) {
      if (d.single.indexOf(c.entry) < 0) return null;
      return ww.getCurExternalContact().then(function (r) {
        if (r && r.userId) prefetch(d.contactPath + encodeURIComponent(r.userId));
        return r;
      });
    }));
    b.chat = keep(b.context.then(function (c) {
      if (c.entry !== d.group) return null;
      return ww.getCurExternalChat().then(function (r) {
        if (r && r.chatId) prefetch(d.chatPath + encodeURIComponent(r.chatId));
        return r;
      });
    }));
    function none() {}
    b.done = Promise.all([b.contact, b.chat]).then(function () { return painting; }).then(none, none);
    w.__wecomBoot = b;
    b.done.then(release);
  }
  // Next's app bootstrap runs the queue self.__next_s (its beforeInteractive scripts, in order) before it evaluates
  // the app and hydrates. The boot's steps each need the main thread for a moment, and evaluating and hydrating the
  // framework takes it for hundreds of milliseconds on a busy client: the queue waits until the name is on screen
  // (or the boot failed or did not start, or d.holdMs passed since the boot script ran). If the framework has
  // started already, or reads the queue some other way, nothing waits; the page works the same either way.
  function holdHydration(until) {
    var queue = w.__next_s;
    if (queue === undefined) queue = [];
    if (!Array.isArray(queue) || w.next) return;
    // A no-op entry, so that the queue is run at all (an empty one hydrates at once).
    if (!queue.length) queue.push([null, { children: '', nonce: script.nonce }]);
    queue.reduce = function (step, first) {
      return Array.prototype.reduce.call(this, step, until.then(function () { return first; }));
    };
    w.__next_s = queue;
  }
  start();
})(window, document, document.currentScript);
`;

/** The boot file: the SDK's global build, wrapped so that it evaluates only when the boot starts it. */
export function bootFile(sdkGlobalBuild: string): string {
  return `(function () {\nfunction sdk() {\n${sdkGlobalBuild}\n;return ww;\n}\n${BOOT_RUNTIME}})();\n`;
}

/** A short hash of the boot and the SDK version, so that a new deploy's page never runs an old cached boot. */
export function bootVersion(sdkVersion: string): string {
  let h = 5381;
  const text = `${sdkVersion}\n${BOOT_RUNTIME}`;
  for (let i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0;
  return h.toString(36);
}

/**
 * At most this long the framework's start waits for the boot to show the name (a client that never answers holds
 * nothing longer; the page's own timeouts then run as usual).
 */
export const HOLD_HYDRATION_MS = 3000;

/** The element in which the boot shows the customer's or group's name before the page has rendered. */
export const BOOT_PAINT_ID = 'wecom-boot-name';

/** The page shows the full view (or a failure): the boot's early name goes, and the boot paints no more. */
export function clearBootPaint(): void {
  if (typeof window === 'undefined') return;
  const boot = (window as { __wecomBoot?: Boot & { painted?: boolean } }).__wecomBoot;
  if (boot) boot.painted = true;
  document.getElementById(BOOT_PAINT_ID)?.remove();
}

/** The boot's hand-over in this page, if the boot script ran for this app. */
export function readBoot(app: { corpId: string; agentId: string }): Boot | undefined {
  if (typeof window === 'undefined') return undefined;
  const boot = (window as { __wecomBoot?: Boot }).__wecomBoot;
  return boot && boot.corpId === app.corpId && String(boot.agentId) === String(app.agentId)
    ? boot
    : undefined;
}

/**
 * Resolves when the boot has shown the name (or has nothing to show), at most after `ms`: until then the page keeps
 * its own rendering off the main thread that the boot's last steps need.
 */
export function bootSettled(app: { corpId: string; agentId: string }, ms: number): Promise<void> {
  const boot = readBoot(app);
  if (!boot?.done) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void boot.done.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The boot's fetch of `path`, once: the first reader gets it, later reads fetch anew. */
export function takeBootFetch(path: string): Promise<Response> | undefined {
  if (typeof window === 'undefined') return undefined;
  const boot = (window as { __wecomBoot?: Boot }).__wecomBoot;
  const fetched = boot?.fetches[path];
  if (fetched && boot) boot.fetches[path] = undefined;
  return fetched;
}
