import 'server-only';
import type { Bilingual, Lang } from '../bilingual';
import { DEMO_CREDENTIALS, getConfig, type AppConfig } from '../config';
import type { NameSource } from '../contacts-dto';
import { forbidden, HttpError } from '../http';
import type { SessionUser } from '../session';
import type { Db } from '../db';
import type { Store } from '../store/types';
import { beforeDeadline, corpSecretCredentials, createWecomClient, type WecomClient } from './client';
import { getWecom } from './index';
import { createSigner, type JssdkSignatures } from './jssdk';
import { buildAuthorizeUrl, buildWebLoginUrl, exchangeCode, loadMemberProfile } from './oauth';
import { createSuiteService, getSuite, type SuiteService } from './suite';
import { selfBuiltProfile, thirdPartyProfile, type TenancyProfile } from './tenancy-profile';

export { tenancyProfile, type AdminCheckProfile, type TenancyProfile } from './tenancy-profile';

/**
 * Tenancy, chosen once at start-up from the configuration: a self-built app (自建应用) serves exactly one corp;
 * a third-party app (服务商, a suite) serves every corp that installed it. Everything that differs between the two
 * lives in the strategy below; the rest of the app asks it for a `Corp` (from the session, never from a request
 * parameter, so a member of corp A can never reach corp B's data) and passes that corp to lib/.
 */
export interface Tenancy extends TenancyProfile {
  /** The suite of a third-party app (its callbacks and install flow), else null. */
  readonly suite: SuiteService | null;
  /** Whether members of this corp may use the app (self-built: the configured corp; third-party: installed). */
  serves(corpId: string): Promise<boolean>;
  /** The corp a signed-in member works in; 403 for a corp this app does not serve. */
  corp(corpId: string): Promise<Corp>;
  /** Whether a session may be used on a page opened for `pageCorpId` (`?corpid=$CORPID$`); else sign in again. */
  fitsPage(user: Pick<SessionUser, 'corpId'>, pageCorpId: string | null | undefined): boolean;
  /** Where sign-in sends the browser: the in-client OAuth, or the PC web login. */
  signInUrl(p: SignInUrlParams): Promise<string>;
  /** Exchanges the OAuth code; only members of a served corp (of the page's corp, if it names one) get a user. */
  signIn(code: string, pageCorpId: string | null): Promise<SessionUser>;
  isAdmin(user: Pick<SessionUser, 'corpId' | 'userId'>): boolean;
  /** Throws unless WeCom credentials work: a self-built app's access token; a suite's suite_ticket (readiness). */
  credentialsUsable(): Promise<void>;
  /** Once the database is ready at server start: work a previous process left unfinished (third-party installs). */
  afterStart(): Promise<void>;
  /** The corp `npm run doctor` checks when not told: the configured one, or the first to install the app. */
  corpToCheck(): Promise<string | null>;
}

/** What a tenancy works with: this process's singletons, or (npm run doctor) clients of its own. */
interface TenancyDeps {
  config: AppConfig;
  /** The self-built app's client. */
  wecom: () => WecomClient;
  /** Whether members may sign in yet (demo: the emulated corps install the app first). */
  ready: () => Promise<void>;
}

/** One corp this app serves, as every lib function that touches WeCom or its data takes it. */
export interface Corp {
  readonly id: string;
  /** The corp's WeCom client: its own access token and tickets, and the app's agentid in that corp. */
  readonly wecom: WecomClient;
  /** Where employee names come from: the API (self-built), or ww-open-data in the page (third-party gets none). */
  readonly employeeNames: NameSource;
}

export interface SignInUrlParams {
  inClient: boolean;
  redirectUri: string;
  state: string;
  lang: Lang;
  /** Ask for consent (snsapi_privateinfo) to read the avatar (where `avatarConsent`). */
  privateInfo: boolean;
}

/** A sign-in that must not produce a session; the callback shows it as a page that offers to sign in again. */
export class SignInRefused extends Error {
  override name = 'SignInRefused';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: Bilingual,
    readonly detail: Bilingual,
    /** Where "sign in again" returns to, when not the page the sign-in started from. */
    readonly returnTo?: string,
  ) {
    super(code);
  }
}

const otherCorp = () =>
  forbidden({
    zh: '无权访问其他企业的数据',
    en: 'You may not access another organisation’s data',
  });

function selfBuilt({ config, wecom: getWecom }: TenancyDeps): Tenancy {
  return {
    ...selfBuiltProfile(config),
    suite: null,
    serves: async (corpId) => corpId === config.corpId,
    async corp(corpId) {
      if (corpId !== config.corpId) throw otherCorp();
      return { id: corpId, wecom: getWecom(), employeeNames: 'api' };
    },
    fitsPage: () => true,
    async signInUrl({ inClient, redirectUri, state, lang, privateInfo }) {
      const common = { corpId: config.corpId, agentId: config.agentId, redirectUri, state };
      return inClient
        ? buildAuthorizeUrl({
            ...common,
            oauthBase: config.oauthBase,
            scope: privateInfo ? 'snsapi_privateinfo' : 'snsapi_base',
          })
        : buildWebLoginUrl({ ...common, loginBase: config.loginBase, lang });
    },
    async signIn(code) {
      const wecom = getWecom();
      const identity = await exchangeCode(wecom, code);
      if (identity.kind !== 'member') {
        throw new SignInRefused(
          403,
          'not-a-member',
          { zh: '你不是本企业成员', en: 'You are not a member of this organisation' },
          {
            zh: '本应用仅供本企业的成员使用。请使用本企业的企业微信账号登录；如有疑问，请联系企业管理员。',
            en: 'This app is only for members of the organisation. Sign in with your organisation’s WeCom account, or ask its administrator.',
          },
        );
      }
      const profile = await loadMemberProfile(wecom, identity);
      return { corpId: config.corpId, userId: identity.userId, ...profile };
    },
    isAdmin: (user) => user.corpId === config.corpId && config.adminUserIds.includes(user.userId),
    async credentialsUsable() {
      await getWecom().tokens.getAccessToken();
    },
    afterStart: async () => undefined,
    corpToCheck: async () => config.corpId,
  };
}

function thirdParty({ config, ready: ensureDemoSuite }: TenancyDeps, suite: SuiteService): Tenancy {
  const suiteId = suite.suite.suiteId;
  return {
    ...thirdPartyProfile(config, suite.suite, process.env),
    suite,
    async serves(corpId) {
      if (!corpId) return false;
      await ensureDemoSuite().catch(() => undefined);
      return (await suite.authorization(corpId)) !== null;
    },
    async corp(corpId) {
      await ensureDemoSuite();
      return { id: corpId, wecom: await suite.clientFor(corpId), employeeNames: 'open-data' };
    },
    fitsPage: (user, pageCorpId) => !pageCorpId || user.corpId === pageCorpId,
    // The suite id is the appid; in-client OAuth uses snsapi_base without an agentid, web login `ServiceApp`.
    async signInUrl({ inClient, redirectUri, state, lang }) {
      // Demo: the emulated corps must have installed the app before anyone can sign in to it.
      await ensureDemoSuite();
      const common = { corpId: suiteId, agentId: '', redirectUri, state };
      const url = new URL(
        inClient
          ? buildAuthorizeUrl({ ...common, oauthBase: config.oauthBase, scope: 'snsapi_base' })
          : buildWebLoginUrl({ ...common, loginBase: config.loginBase, lang }),
      );
      url.searchParams.delete('agentid');
      if (!inClient) url.searchParams.set('login_type', 'ServiceApp');
      return url.toString();
    },
    // service/auth/getuserinfo3rd names the member and the corp; only installed corps get a session.
    async signIn(code, pageCorpId) {
      await ensureDemoSuite();
      const identity = await suite.getUserInfo3rd(code);
      if (!(await suite.authorization(identity.corpId))) {
        throw new HttpError(403, 'corp_not_authorized', {
          zh: '你的企业尚未安装本应用，请联系企业管理员安装',
          en: 'Your organisation has not installed this app; ask its administrator to install it',
        });
      }
      if (pageCorpId && pageCorpId !== identity.corpId) {
        throw new SignInRefused(
          403,
          'corp-mismatch',
          { zh: '登录的企业与打开的应用不一致', en: 'Signed in to a different organisation' },
          {
            zh: '你登录的企业微信账号不属于打开此页面的企业。请在对应企业的企业微信中打开应用。',
            en: 'Your WeCom account belongs to another organisation than the one this page was opened for. Open the app from that organisation’s WeCom.',
          },
          '/',
        );
      }
      // A member outside the app's visible range in that corp is refused like a self-built app's (user/get
      // answers 60011/60111); third-party apps receive no member names, the pages show them with ww-open-data.
      await loadMemberProfile(await suite.clientFor(identity.corpId), { userId: identity.userId });
      return { corpId: identity.corpId, userId: identity.userId };
    },
    isAdmin(user) {
      // ADMIN_USERIDS entries name `corpid:userid` (demo: the demo corp's admin by userid).
      if (config.adminUserIds.includes(`${user.corpId}:${user.userId}`)) return true;
      return (
        config.mode === 'demo' &&
        user.corpId === DEMO_CREDENTIALS.corpId &&
        config.adminUserIds.includes(user.userId)
      );
    },
    async credentialsUsable() {
      await ensureDemoSuite();
      if (!(await suite.suiteTicket())) throw new Error('no suite_ticket yet');
    },
    // Auth events whose work a previous process did not complete (crash, restart).
    async afterStart() {
      await suite.processPending();
    },
    corpToCheck: async () => (await suite.authorizedCorps())[0]?.corpId ?? null,
  };
}

const chosen = globalThis as typeof globalThis & {
  __wecomTenancy?: { config: AppConfig; suite: SuiteService | null; tenancy: Tenancy };
};

/** The tenancy of this process, chosen from the configuration at start-up. */
export function getTenancy(): Tenancy {
  const config = getConfig();
  const suite = getSuite();
  const current = chosen.__wecomTenancy;
  if (current && current.config === config && current.suite === suite) return current.tenancy;
  const deps: TenancyDeps = { config, wecom: getWecom, ready: ensureDemoSuite };
  const tenancy = suite ? thirdParty(deps, suite) : selfBuilt(deps);
  chosen.__wecomTenancy = { config, suite, tenancy };
  return tenancy;
}

/**
 * The tenancy a configuration chooses, with clients of its own instead of this process's (`npm run doctor` reads
 * its configuration from .env.local too, has no server, and prints no retries): quiet, one retry each.
 */
export function standaloneTenancy(config: AppConfig, deps: { store: Store; db: () => Db }): Tenancy {
  const log = () => {};
  let wecom: WecomClient | undefined;
  const own: TenancyDeps = {
    config,
    wecom: () =>
      (wecom ??= createWecomClient({
        apiBase: config.apiBase,
        corpId: config.corpId,
        agentId: config.agentId,
        credentials: corpSecretCredentials(config.corpId, config.agentSecret),
        store: deps.store,
        maxRetries: 1,
        log,
      })),
    ready: async () => undefined,
  };
  if (!config.suite) return selfBuilt(own);
  const suite = createSuiteService({
    suite: config.suite,
    apiBase: config.apiBase,
    store: deps.store,
    db: deps.db(),
    log,
    clientRetries: 1,
  });
  return thirdParty(own, suite);
}

/** The corp of a signed-in member (403 for a corp this app does not serve). */
export function corpFor(corpId: string): Promise<Corp> {
  return getTenancy().corp(corpId);
}

/** Whether members of this corp may use the app. */
export function isServedCorp(corpId: string): Promise<boolean> {
  return getTenancy().serves(corpId);
}

/** The WeCom client of a corp this app serves (403 for another corp). */
export async function getWecomFor(corpId: string): Promise<WecomClient> {
  return (await corpFor(corpId)).wecom;
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
    const { wecom } = await corpFor(corpId);
    return createSigner({ client: wecom, appBaseUrl: getConfig().appBaseUrl }).signaturesFor(url, options);
  })();
  return beforeDeadline(work, Date.now() + (options.budgetMs ?? SIGNATURE_BUDGET_MS), 'jssdk signature');
}

/** The third-party suite; its endpoints answer 404 when this deployment is a self-built app. */
export function requireSuite(): SuiteService {
  const suite = getTenancy().suite;
  if (!suite) {
    throw new HttpError(404, 'suite_not_configured', {
      zh: '未启用第三方应用模式（WECOM_SUITE_*）',
      en: 'Third-party mode is off (WECOM_SUITE_*)',
    });
  }
  return suite;
}

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
