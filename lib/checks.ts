import 'server-only';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { DEMO_VERIFY_FILE, type AppConfig } from './config';
import type { Bilingual } from './http';
import type { Store } from './store/types';
import type { WecomClient } from './wecom/client';
import { CONSOLE, describeErrcode, devtoolUrl } from './wecom/errors';
import { tenancyProfile, type AdminCheckProfile } from './wecom/tenancy-profile';
import { isVerifyFileName, verifyCodeOf } from './verify-file';

export type CheckId =
  | 'credentials'
  | 'trustedIp'
  | 'corpTicket'
  | 'agentTicket'
  | 'externalContact'
  | 'domainFile'
  | 'https'
  | 'sessionSecret'
  | 'store';

/** pass = green; fail = red; skip = could not be checked because another check failed (also not green). */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  title: Bilingual;
  detail: Bilingual;
  /** What to do, when not green. */
  fix?: Bilingual;
}

export interface CheckReport {
  mode: AppConfig['mode'];
  ok: boolean;
  checkedAt: string;
  results: CheckResult[];
}

export type TicketKind = 'corp' | 'agent';

export interface CheckDeps {
  config: AppConfig;
  /** What the checks need to know about the kind of app (lib/wecom/tenancy-profile.ts). */
  tenancy: AdminCheckProfile;
  /** Store to probe (the app's own). */
  store: Store;
  /** Directory whose WW_verify_*.txt files must be served at APP_BASE_URL. */
  publicDir: string;
  /** The JS-SDK ticket as the app gets it (through its token layer and cache, so checks do not burn the budget). */
  getTicket: (kind: TicketKind) => Promise<unknown>;
  /** Calls a WeCom API through the app's client: `call('externalcontact/get_corp_tag_list', {...})`. */
  call: (api: string, opts: { method?: 'GET' | 'POST'; body?: unknown }) => Promise<unknown>;
  /** The corp's access token as the app gets it (third-party: through the suite, service/get_corp_token). */
  corpToken: () => Promise<unknown>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Titles of the checks; the trusted-IP check's comes from the kind of app (AdminCheckProfile.trustedIpTitle). */
const TITLES: Record<Exclude<CheckId, 'trustedIp'>, Bilingual> = {
  credentials: {
    zh: '应用凭证（企业ID / AgentId / Secret）',
    en: 'App credentials (corp ID / agent ID / secret)',
  },
  corpTicket: { zh: '企业 jsapi_ticket', en: 'Corp jsapi_ticket' },
  agentTicket: { zh: '应用 jsapi_ticket', en: 'Agent jsapi_ticket' },
  externalContact: { zh: '客户联系接口权限', en: 'Customer contact (客户联系) API permission' },
  domainFile: { zh: '可信域名校验文件', en: 'Domain verification file' },
  https: { zh: 'APP_BASE_URL 使用 HTTPS', en: 'APP_BASE_URL uses HTTPS' },
  sessionSecret: { zh: '会话密钥强度', en: 'Session secret strength' },
  store: { zh: '存储可用且持久', en: 'Store reachable and durable' },
};

const ORDER: CheckId[] = [
  'credentials',
  'trustedIp',
  'corpTicket',
  'agentTicket',
  'externalContact',
  'domainFile',
  'https',
  'sessionSecret',
  'store',
];

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

/** What a check's verdict depends on besides what it saw: the configuration and the kind of app. */
type Ctx = Pick<CheckDeps, 'config' | 'tenancy'>;

function result(
  id: Exclude<CheckId, 'trustedIp'>,
  status: CheckStatus,
  detail: Bilingual,
  fix?: Bilingual,
): CheckResult {
  const title = TITLES[id];
  return fix ? { id, status, title, detail, fix } : { id, status, title, detail };
}

/**
 * The errcode vocabulary (lib/wecom/errors.ts) applied to a failure seen by a check; for a third-party app WeCom
 * checks the provider's IP allow-list and permissions, not the corp's.
 */
function vocab(f: Failure, ctx: Ctx) {
  return describeErrcode(f.errcode ?? 0, {
    errmsg: `${f.errmsg ?? ''}${f.ip ? `, from ip: ${f.ip}` : ''}`,
    thirdParty: ctx.tenancy.thirdPartyErrcodes,
  });
}

const lookUp = (errcode: number) =>
  bi(`在 ${devtoolUrl(errcode)} 查询该错误码`, `Look the code up at ${devtoolUrl(errcode)}`);

/** A WeCom failure as seen by a check: the errcode, and the IP WeCom saw when it says so. */
interface Failure {
  errcode?: number;
  /** errmsg without the hint/url tail; never contains credentials. */
  errmsg?: string;
  ip?: string;
  network?: string;
}

function ipFrom(errmsg: string | undefined): string | undefined {
  const ip = /from ip:\s*([0-9A-Fa-f.:]+)/.exec(errmsg ?? '')?.[1];
  return ip && ip.length > 1 ? ip : undefined;
}

function shortErrmsg(errmsg: string | undefined): string | undefined {
  return errmsg?.split(/,\s*hint:|,\s*more info/)[0]?.trim() || undefined;
}

function failureOf(err: unknown): Failure {
  if (typeof err === 'object' && err !== null) {
    const e = err as { errcode?: unknown; errmsg?: unknown; message?: unknown; transport?: unknown };
    if (typeof e.transport === 'string') {
      return { network: `${e.transport}${typeof e.errmsg === 'string' && e.errmsg ? ` (${e.errmsg})` : ''}` };
    }
    if (typeof e.errcode === 'number') {
      const raw = typeof e.errmsg === 'string' ? e.errmsg : typeof e.message === 'string' ? e.message : '';
      return { errcode: e.errcode, errmsg: shortErrmsg(raw), ip: ipFrom(raw) };
    }
    if (typeof e.message === 'string') return { network: e.message };
  }
  return { network: String(err) };
}

function unreachableFix(config: AppConfig): Bilingual {
  return config.mode === 'demo'
    ? bi(
        `演示模式下模拟器内置在应用中：先启动应用（npm run dev），使 ${config.apiBase} 可访问`,
        `In demo mode the emulator lives inside the app: start it (npm run dev) so that ${config.apiBase} answers`,
      )
    : bi(
        `检查本机能否访问 ${config.apiBase}（网络、代理、防火墙、WECOM_API_BASE）`,
        `Make sure this host can reach ${config.apiBase} (network, proxy, firewall, WECOM_API_BASE)`,
      );
}

const IP_FIX = (ip: string | undefined, ctx: Ctx): Bilingual => vocab({ errcode: 60020, ip }, ctx).fix!;

/** Generic red state for a failed call; 60020 is reported by the trusted-IP check, so here it is a skip. */
function callFailure(id: Exclude<CheckId, 'trustedIp'>, f: Failure, ctx: Ctx): CheckResult {
  if (f.network !== undefined) {
    return result(
      id,
      'fail',
      bi(`无法连接企业微信接口：${f.network}`, `Cannot reach the WeCom API: ${f.network}`),
      unreachableFix(ctx.config),
    );
  }
  if (f.errcode === 60020) {
    return result(id, 'skip', vocab(f, ctx).what, IP_FIX(f.ip, ctx));
  }
  const d = vocab(f, ctx);
  if (!d.known) {
    return result(
      id,
      'fail',
      bi(`企业微信返回 ${f.errcode}：${f.errmsg ?? ''}`, `WeCom answered ${f.errcode}: ${f.errmsg ?? ''}`),
      lookUp(f.errcode ?? 0),
    );
  }
  return result(id, 'fail', d.what, d.fix ?? lookUp(f.errcode ?? 0));
}

async function fetchJson(
  fetcher: typeof fetch,
  url: string,
  timeoutMs: number,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; network: string }> {
  try {
    const res = await fetcher(url, { cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    try {
      return { ok: true, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return { ok: false, network: `HTTP ${res.status}, 非 JSON 响应 / not JSON` };
    }
  } catch (err) {
    return { ok: false, network: networkReason(err) };
  }
}

function networkReason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return '超时 / timeout';
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? err.message;
  }
  return String(err);
}

/** A check's call that failed as `failure` says (thrown so that settle() reports it as it is). */
class CheckFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.network ?? `errcode ${failure.errcode}`);
  }
}

/** gettoken called directly, never from a cache: a wrong secret shows red even while a cached token lives on. */
async function rawGettoken(deps: CheckDeps, timeoutMs: number): Promise<void> {
  const { config } = deps;
  const url = new URL('/cgi-bin/gettoken', config.apiBase);
  url.searchParams.set('corpid', config.corpId);
  url.searchParams.set('corpsecret', config.agentSecret);
  const res = await fetchJson(deps.fetch ?? fetch, url.toString(), timeoutMs);
  if (!res.ok) throw new CheckFailure({ network: res.network });
  const errcode = typeof res.body.errcode === 'number' ? res.body.errcode : 0;
  if (errcode === 0 && typeof res.body.access_token === 'string') return;
  const errmsg = typeof res.body.errmsg === 'string' ? res.body.errmsg : '';
  throw new CheckFailure({ errcode, errmsg: shortErrmsg(errmsg), ip: ipFrom(errmsg) });
}

type Settled<T = unknown> = { ok: true; value: T } | ({ ok: false } & Failure);

async function settle<T>(p: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p() };
  } catch (err) {
    return { ok: false, ...(err instanceof CheckFailure ? err.failure : failureOf(err)) };
  }
}

function credentialsCheck(token: Settled, ctx: Ctx): CheckResult {
  if (token.ok) return result('credentials', 'pass', ctx.tenancy.credentialsWork);
  if (token.errcode === 60020) {
    return result(
      'credentials',
      'skip',
      bi(`无法验证：${vocab(token, ctx).what.zh}`, `Cannot verify: ${vocab(token, ctx).what.en}`),
      IP_FIX(token.ip, ctx),
    );
  }
  return callFailure('credentials', token, ctx);
}

function ticketCheck(id: 'corpTicket' | 'agentTicket', res: Settled, ctx: Ctx): CheckResult {
  if (res.ok) {
    return result(
      id,
      'pass',
      id === 'corpTicket'
        ? bi(
            '可用（get_jsapi_ticket，wx.config 签名所用；经应用缓存）',
            'Available (get_jsapi_ticket, signs wx.config; through the app cache)',
          )
        : bi(
            '可用（ticket/get?type=agent_config，agentConfig 签名所用；经应用缓存）',
            'Available (ticket/get?type=agent_config, signs agentConfig; through the app cache)',
          ),
    );
  }
  return callFailure(id, res, ctx);
}

function externalContactCheck(res: Settled, ctx: Ctx): CheckResult {
  if (res.ok) {
    const groups = (res.value as { tag_group?: unknown[] } | undefined)?.tag_group;
    const n = Array.isArray(groups) ? groups.length : 0;
    return result(
      'externalContact',
      'pass',
      bi(
        `可以调用客户联系接口（企业标签库：${n} 个标签组）`,
        `Customer-contact APIs are allowed (tag library: ${n} groups)`,
      ),
    );
  }
  if (res.errcode === 48002) {
    const d = vocab(res, ctx);
    return result('externalContact', 'fail', d.what, d.fix);
  }
  return callFailure('externalContact', res, ctx);
}

function trustedIpCheck(failures: Failure[], tokenOk: boolean, anyNetwork: boolean, ctx: Ctx): CheckResult {
  const ipResult = (status: CheckStatus, detail: Bilingual, fix?: Bilingual): CheckResult => ({
    id: 'trustedIp',
    status,
    title: ctx.tenancy.trustedIpTitle,
    detail,
    ...(fix ? { fix } : {}),
  });
  const blocked = failures.find((f) => f.errcode === 60020);
  if (blocked) {
    const d = vocab(blocked, ctx);
    return ipResult('fail', d.what, d.fix);
  }
  if (!tokenOk && anyNetwork) {
    return ipResult(
      'skip',
      bi('无法验证：连不上企业微信接口', 'Cannot verify: the WeCom API is unreachable'),
      bi('先解决上面的连接问题', 'Fix the connection problem above first'),
    );
  }
  return ipResult('pass', bi('没有接口返回 60020', 'No call answered 60020'));
}

async function domainFileCheck(deps: CheckDeps, timeoutMs: number): Promise<CheckResult> {
  const { config } = deps;
  const fetcher = deps.fetch ?? fetch;
  const base = config.appBaseUrl.replace(/\/+$/, '');
  let names: string[] = [];
  try {
    names = (await readdir(deps.publicDir)).filter(isVerifyFileName).sort();
  } catch {
    names = [];
  }
  // The demo corp's file is served in demo mode only: a live deployment needs its own.
  const onlyDemoFile = config.mode !== 'demo' && names.includes(DEMO_VERIFY_FILE);
  if (config.mode !== 'demo') names = names.filter((n) => n !== DEMO_VERIFY_FILE);
  const howTo = bi(
    `在 ${CONSOLE.trustedDomain.zh} → 申请校验域名 下载 WW_verify_*.txt，执行 npm run verify-file -- <下载的文件>，然后重新部署`,
    `Under ${CONSOLE.trustedDomain.en} → verify the domain, download WW_verify_*.txt, run npm run verify-file -- <downloaded file>, then redeploy`,
  );

  // Demo mode knows which file the (emulated) corp expects; live mode checks what public/ holds.
  let expected: string | undefined;
  if (config.mode === 'demo') {
    const res = await fetchJson(fetcher, `${config.apiBase}/wecom-emulator/domain-verification`, timeoutMs);
    if (res.ok && typeof res.body.fileName === 'string') expected = res.body.fileName;
  }
  if (names.length === 0) {
    return result(
      'domainFile',
      'fail',
      onlyDemoFile
        ? bi(
            `public/ 中只有演示企业的 ${DEMO_VERIFY_FILE}（正式模式下不提供），没有本企业的校验文件`,
            `public/ holds only the demo corp's ${DEMO_VERIFY_FILE} (not served outside demo mode), not your own`,
          )
        : bi('public/ 中没有 WW_verify_*.txt 校验文件', 'No WW_verify_*.txt file in public/'),
      howTo,
    );
  }
  if (expected && !names.includes(expected)) {
    return result(
      'domainFile',
      'fail',
      bi(
        `企业微信要求的 ${expected} 不在 public/ 中`,
        `${expected}, which WeCom asks for, is not in public/`,
      ),
      howTo,
    );
  }

  const served: string[] = [];
  for (const name of expected ? [expected] : names) {
    const code = verifyCodeOf(name)!;
    let onDisk = '';
    try {
      onDisk = await readFile(`${deps.publicDir}/${name}`, 'utf8');
    } catch {
      // reported below as a content mismatch
    }
    if (onDisk !== code) {
      return result(
        'domainFile',
        'fail',
        bi(`public/${name} 的内容不是恰好 ${code}`, `public/${name} does not contain exactly ${code}`),
        bi(
          `重新执行 npm run verify-file -- <下载的 ${name}>`,
          `Run npm run verify-file -- <downloaded ${name}> again`,
        ),
      );
    }
    const url = `${base}/${name}`;
    let status = 0;
    let body = '';
    try {
      const res = await fetcher(url, {
        cache: 'no-store',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      body = await res.text();
    } catch (err) {
      return result(
        'domainFile',
        'fail',
        bi(`无法访问 ${url}：${networkReason(err)}`, `Cannot fetch ${url}: ${networkReason(err)}`),
        bi(
          `确认应用已启动并可通过 APP_BASE_URL（${base}）从此处访问`,
          `Make sure the app is running and reachable at APP_BASE_URL (${base}) from here`,
        ),
      );
    }
    if (status !== 200 || body !== code) {
      return result(
        'domainFile',
        'fail',
        bi(
          `${url} 返回 HTTP ${status}${status === 200 ? '，但内容与文件不一致' : ''}`,
          `${url} answered HTTP ${status}${status === 200 ? ' with different content' : ''}`,
        ),
        bi(
          '确认 APP_BASE_URL 指向本应用，且反向代理/CDN 不改写、不重定向该文件',
          'Make sure APP_BASE_URL points at this app and no proxy/CDN rewrites or redirects the file',
        ),
      );
    }
    served.push(name);
  }

  // A catch-all that echoes any requested code would let anyone "verify" this domain for their corp.
  const probeCode = randomBytes(12)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'A')
    .slice(0, 16)
    .padEnd(16, 'Q');
  try {
    const res = await fetcher(`${base}/WW_verify_${probeCode}.txt`, {
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status === 200 || text.includes(probeCode)) {
      return result(
        'domainFile',
        'fail',
        bi(
          '任意 WW_verify_*.txt 名称都会得到响应（会回显代码）',
          'Any WW_verify_*.txt name gets an answer (the code is echoed)',
        ),
        bi(
          '删除回显校验代码的路由或反向代理规则，只保留 public/ 中的真实文件',
          'Remove the route or proxy rule that echoes verification codes; serve only the real files in public/',
        ),
      );
    }
  } catch {
    // unreachable now but reachable a moment ago: not this check's concern
  }
  return result(
    'domainFile',
    'pass',
    bi(
      `${served.map((n) => `${base}/${n}`).join('、')} 内容正确`,
      `${served.map((n) => `${base}/${n}`).join(', ')} served exactly`,
    ),
  );
}

function httpsCheck(config: AppConfig): CheckResult {
  if (config.mode === 'demo') {
    return result(
      'https',
      'pass',
      bi(`演示模式使用 ${config.appBaseUrl}`, `Demo mode uses ${config.appBaseUrl}`),
    );
  }
  if (config.appBaseUrl.startsWith('https://')) {
    return result('https', 'pass', bi(config.appBaseUrl, config.appBaseUrl));
  }
  return result(
    'https',
    'fail',
    bi(`APP_BASE_URL 是 ${config.appBaseUrl}`, `APP_BASE_URL is ${config.appBaseUrl}`),
    bi(
      '为域名配置 HTTPS 证书（企业微信客户端内的页面与 JS-SDK 需要 HTTPS），并把 APP_BASE_URL 设为 https://…',
      'Serve the domain over HTTPS (pages and the JS-SDK inside WeCom need it) and set APP_BASE_URL=https://…',
    ),
  );
}

const WEAK_PARTS = [
  'changeme',
  'change-me',
  'change_me',
  'password',
  'secret',
  'example',
  'placeholder',
  'replace',
  '123456',
  'qwerty',
  'abcdef',
  'xxxxxx',
];

/** Whether a session secret is too short or obviously guessable. Exported for tests. */
export function sessionSecretProblem(secret: string): Bilingual | undefined {
  if (secret.length < 32)
    return bi(
      `只有 ${secret.length} 个字符（至少 32）`,
      `Only ${secret.length} characters (32 or more needed)`,
    );
  const lower = secret.toLowerCase();
  const weak = WEAK_PARTS.find((w) => lower.includes(w));
  if (weak) return bi(`包含常见弱口令片段 “${weak}”`, `Contains the common weak fragment "${weak}"`);
  if (new Set(secret).size < 10)
    return bi('字符种类太少，不够随机', 'Too few distinct characters to be random');
  return undefined;
}

function sessionSecretCheck(config: AppConfig): CheckResult {
  const problem = sessionSecretProblem(config.sessionSecret);
  if (!problem) {
    return result(
      'sessionSecret',
      'pass',
      bi(
        `${config.sessionSecret.length} 个字符，未发现弱口令特征`,
        `${config.sessionSecret.length} characters, no weak pattern found`,
      ),
    );
  }
  return result(
    'sessionSecret',
    'fail',
    problem,
    bi(
      '用 openssl rand -base64 32 生成新的 SESSION_SECRET 并重启（所有人需重新登录）',
      'Generate a new SESSION_SECRET with openssl rand -base64 32 and restart (everyone signs in again)',
    ),
  );
}

async function storeCheck(deps: CheckDeps): Promise<CheckResult> {
  const { store, config } = deps;
  const key = `checks:probe:${randomBytes(6).toString('hex')}`;
  const value = randomBytes(8).toString('hex');
  try {
    await store.set(key, value, 60_000);
    const read = await store.get(key);
    await store.delete(key);
    const after = await store.get(key);
    if (read !== value || after !== null) throw new Error('读写结果不一致 / read-back mismatch');
  } catch (err) {
    return result(
      'store',
      'fail',
      bi(
        `${store.kind} 存储读写失败：${networkReason(err)}`,
        `The ${store.kind} store failed a write/read/delete: ${networkReason(err)}`,
      ),
      bi(
        '检查 STORE_URL（文件权限、Redis 地址与密码）',
        'Check STORE_URL (file permissions, Redis address and password)',
      ),
    );
  }
  if (store.kind === 'memory') {
    if (config.mode === 'demo') {
      return result(
        'store',
        'pass',
        bi(
          '内存存储可用；演示模式下重启后数据回到初始状态',
          'Memory store works; in demo mode data resets on restart',
        ),
      );
    }
    return result(
      'store',
      'fail',
      bi(
        'STORE_URL=memory: 不持久：重启后令牌缓存与快捷回复丢失，多实例间不共享',
        'STORE_URL=memory: is not durable: tokens and quick replies are lost on restart and not shared between instances',
      ),
      bi(
        '设置 STORE_URL=sqlite:.data/wecom.db（单机）或 redis://host:6379/0（多实例）',
        'Set STORE_URL=sqlite:.data/wecom.db (one host) or redis://host:6379/0 (several instances)',
      ),
    );
  }
  if (store.kind === 'sqlite') {
    return result(
      'store',
      'pass',
      bi(
        'SQLite 可读写且持久（仅单机；多实例部署请用 Redis）',
        'SQLite works and is durable (one host; use Redis for several instances)',
      ),
    );
  }
  return result(
    'store',
    'pass',
    bi('Redis 可读写且持久，可多实例共享', 'Redis works, durable and shared between instances'),
  );
}

/** Runs every admin check. Network checks run in parallel and each has its own timeout. */
export async function runChecks(deps: CheckDeps): Promise<CheckReport> {
  const timeoutMs = deps.timeoutMs ?? 8000;
  const { config } = deps;
  const [token, corp, agent, tags, domain, store] = await Promise.all([
    settle(() =>
      deps.tenancy.proveCredentials({
        gettoken: () => rawGettoken(deps, timeoutMs),
        corpToken: deps.corpToken,
      }),
    ),
    settle(() => deps.getTicket('corp')),
    settle(() => deps.getTicket('agent')),
    settle(() => deps.call('externalcontact/get_corp_tag_list', { method: 'POST', body: {} })),
    domainFileCheck(deps, timeoutMs),
    storeCheck(deps),
  ]);
  const failures: Failure[] = [token, corp, agent, tags].filter((r): r is { ok: false } & Failure => !r.ok);
  const byId: Record<CheckId, CheckResult> = {
    credentials: credentialsCheck(token, deps),
    trustedIp: trustedIpCheck(
      failures,
      token.ok,
      failures.some((f) => f.network !== undefined),
      deps,
    ),
    corpTicket: ticketCheck('corpTicket', corp, deps),
    agentTicket: ticketCheck('agentTicket', agent, deps),
    externalContact: externalContactCheck(tags, deps),
    domainFile: domain,
    https: httpsCheck(config),
    sessionSecret: sessionSecretCheck(config),
    store,
  };
  const results = ORDER.map((id) => byId[id]);
  return {
    mode: config.mode,
    ok: results.every((r) => r.status === 'pass'),
    checkedAt: new Date().toISOString(),
    results,
  };
}

/** The checks' dependencies for a corp's client: its store, its cached token and tickets, and its `call`. */
export function checkDepsFor(config: AppConfig, client: WecomClient, publicDir: string): CheckDeps {
  return {
    config,
    tenancy: tenancyProfile(config).checks,
    store: client.store,
    publicDir,
    getTicket: (kind) => (kind === 'corp' ? client.tokens.getCorpTicket() : client.tokens.getAgentTicket()),
    call: (api, opts) => client.call(api, { ...opts, idempotent: true }),
    corpToken: () => client.tokens.getAccessToken(),
  };
}
