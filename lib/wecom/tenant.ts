import 'server-only';
import { getConfig } from '../config';
import { forbidden, HttpError } from '../http';
import type { NameSource } from '../contacts-dto';
import { beforeDeadline, type WecomClient } from './client';
import { getWecom } from './index';
import { createSigner, type JssdkSignatures } from './jssdk';
import { buildAuthorizeUrl, buildWebLoginUrl } from './oauth';
import { getSuite, type SuiteService } from './suite';

/**
 * Which corp's credentials a request uses. A self-built app serves exactly one corp; a third-party app serves
 * every corp that installed it, and each request uses the corp of the signed-in member (from the session, never
 * from a request parameter), so a member of corp A can never reach corp B's data.
 */

export function isSuiteMode(): boolean {
  return !!getConfig().suite;
}

/** The third-party suite; its endpoints answer 404 when this deployment is a self-built app. */
export function requireSuite(): SuiteService {
  const suite = getSuite();
  if (!suite) {
    throw new HttpError(404, 'suite_not_configured', {
      zh: '未启用第三方应用模式（WECOM_SUITE_*）',
      en: 'Third-party mode is off (WECOM_SUITE_*)',
    });
  }
  return suite;
}

const otherCorp = () =>
  forbidden({
    zh: '无权访问其他企业的数据',
    en: 'You may not access another organisation’s data',
  });

/** In demo mode the built-in emulator plays WeCom: tell it where our callbacks are and install both demo corps. */
const demoWiring = globalThis as typeof globalThis & { __wecomDemoSuite?: Promise<void> };

export function ensureDemoSuite(): Promise<void> {
  const config = getConfig();
  if (config.mode !== 'demo') return Promise.resolve();
  demoWiring.__wecomDemoSuite ??= (async () => {
    const res = await fetch(`${config.appBaseUrl}/wecom-emulator/suite/config`, {
      method: 'POST',
      body: JSON.stringify({
        callbackUrl: `${config.appBaseUrl}/api/wecom/suite/callback`,
        dataCallbackUrl: `${config.appBaseUrl}/api/wecom/suite/data?corpid=$CORPID$`,
        pushTicket: true,
        installDemoCorps: true,
      }),
    });
    if (!res.ok) throw new Error(`emulator answered HTTP ${res.status}`);
    // The installs were answered at once; their permanent codes are fetched after the reply, in this process.
    await getSuite()?.idle();
  })().catch((err: unknown) => {
    demoWiring.__wecomDemoSuite = undefined;
    throw err;
  });
  return demoWiring.__wecomDemoSuite;
}

/** The WeCom client for one corp: the configured corp (self-built), or an authorized corp (third-party). */
export async function getWecomFor(corpId: string): Promise<WecomClient> {
  const suite = getSuite();
  if (!suite) {
    if (corpId !== getConfig().corpId) throw otherCorp();
    return getWecom();
  }
  await ensureDemoSuite();
  return suite.clientFor(corpId);
}

/** One corp this app serves, as lib functions that touch WeCom or its data take it. */
export interface Corp {
  readonly id: string;
  /** The corp's WeCom client: its own access token and tickets. */
  readonly wecom: WecomClient;
  /** Where employee names come from: the API (self-built), or ww-open-data in the page (third-party gets none). */
  readonly employeeNames: NameSource;
}

/** The corp of a signed-in member (403 for a corp this app does not serve). */
export async function corpFor(corpId: string): Promise<Corp> {
  return {
    id: corpId,
    wecom: await getWecomFor(corpId),
    employeeNames: isSuiteMode() ? 'open-data' : 'api',
  };
}

/** Whether a session's corp may use this app (self-built: the configured corp; third-party: an authorized corp). */
export async function isServedCorp(corpId: string): Promise<boolean> {
  const suite = getSuite();
  if (!suite) return corpId === getConfig().corpId;
  if (!corpId) return false;
  await ensureDemoSuite().catch(() => undefined);
  return (await suite.authorization(corpId)) !== null;
}

/** How long a page or the signature endpoint waits for signatures (tickets, and the corp's client) in all. */
export const SIGNATURE_BUDGET_MS = 5000;

/**
 * Both JS-SDK signatures for a page, from that corp's own tickets, within one budget: a slow WeCom answers a
 * timeout after `budgetMs` (the ticket fetch goes on and fills the cache for the next request).
 */
export function signaturesForCorp(
  corpId: string,
  url: string,
  options: { refresh?: boolean; budgetMs?: number } = {},
): Promise<JssdkSignatures> {
  const work = (async () => {
    const client = await getWecomFor(corpId);
    return createSigner({ client, appBaseUrl: getConfig().appBaseUrl }).signaturesFor(url, options);
  })();
  return beforeDeadline(work, Date.now() + (options.budgetMs ?? SIGNATURE_BUDGET_MS), 'jssdk signature');
}

/**
 * Third-party sign-in URLs: the suite id is the appid; in-client OAuth uses snsapi_base without an agentid, and
 * web login uses `login_type=ServiceApp`.
 */
export async function suiteSignInUrl(p: {
  inClient: boolean;
  redirectUri: string;
  state: string;
  lang?: 'zh' | 'en';
}): Promise<string> {
  const config = getConfig();
  // Demo: the emulated corps must have installed the app before anyone can sign in to it.
  await ensureDemoSuite();
  const suiteId = config.suite!.suiteId;
  const common = { corpId: suiteId, agentId: '', redirectUri: p.redirectUri, state: p.state };
  const url = new URL(
    p.inClient
      ? buildAuthorizeUrl({ ...common, oauthBase: config.oauthBase, scope: 'snsapi_base' })
      : buildWebLoginUrl({ ...common, loginBase: config.loginBase, lang: p.lang }),
  );
  url.searchParams.delete('agentid');
  if (!p.inClient) url.searchParams.set('login_type', 'ServiceApp');
  return url.toString();
}

/** Third-party code exchange (service/auth/getuserinfo3rd): only members of an authorized corp get a session. */
export async function exchangeSuiteCode(code: string): Promise<{ corpId: string; userId: string }> {
  const suite = getSuite()!;
  await ensureDemoSuite();
  const identity = await suite.getUserInfo3rd(code);
  if (!(await suite.authorization(identity.corpId))) {
    throw new HttpError(403, 'corp_not_authorized', {
      zh: '你的企业尚未安装本应用，请联系企业管理员安装',
      en: 'Your organisation has not installed this app; ask its administrator to install it',
    });
  }
  return { corpId: identity.corpId, userId: identity.userId };
}
