import type { Bilingual } from '../bilingual';
import { openDataSdkUrl, type AppConfig } from '../config';

/*
 * The part of the tenancy strategy (lib/wecom/tenant.ts) that follows from the configuration alone: usable at
 * start-up, in security headers and in `npm run doctor`, before anything talks to WeCom or the database.
 */

/** What differs between the two kinds of app and follows from the configuration alone (no WeCom call, no data). */
export interface TenancyProfile {
  /** For logs. */
  readonly name: 'self-built' | 'third-party';
  /** One corp, or every corp that installed the app (the demo simulator then offers a corp switcher). */
  readonly servesManyCorps: boolean;
  /** Whether the member may consent to share their avatar (snsapi_privateinfo); third-party apps get none. */
  readonly avatarConsent: boolean;
  /**
   * WeCom's open-data SDK (jwxwork-1.0.0.js), which pages load before ww.initOpenData: third-party apps get no
   * member names and show them with `<ww-open-data>`. Null for a self-built app, which gets names from the API.
   */
  readonly openDataScript: string | null;
  /** How the admin checks (/admin, npm run doctor) see this kind of app. */
  readonly checks: AdminCheckProfile;
  /** Whose data an older version kept in STORE_URL (lib/db/legacy-import.ts copies it once). */
  readonly legacyScope: { corpId: string; suiteId?: string };
}

export interface AdminCheckProfile {
  /** Explain errcodes as WeCom means them for a third-party app (the provider's IP allow-list and permissions). */
  readonly thirdPartyErrcodes: boolean;
  /** Where WeCom lists the server IPs it accepts calls from. */
  readonly trustedIpTitle: Bilingual;
  /**
   * Proves the credentials work, with the probe that fits: gettoken called directly (never from a cache, so a
   * wrong secret shows while a cached token lives on), or the corp's token through the suite (get_corp_token).
   */
  proveCredentials(probes: {
    gettoken: () => Promise<unknown>;
    corpToken: () => Promise<unknown>;
  }): Promise<unknown>;
  /** What the credentials check says when they work. */
  readonly credentialsWork: Bilingual;
}

export function selfBuiltProfile(config: AppConfig): TenancyProfile {
  return {
    name: 'self-built',
    servesManyCorps: false,
    avatarConsent: true,
    openDataScript: null,
    checks: {
      thirdPartyErrcodes: false,
      trustedIpTitle: { zh: '企业可信IP', en: 'Trusted IP' },
      proveCredentials: ({ gettoken }) => gettoken(),
      credentialsWork: {
        zh: `gettoken 成功（企业ID ${config.corpId}，AgentId ${config.agentId}）`,
        en: `gettoken succeeded (corp ID ${config.corpId}, agent ID ${config.agentId})`,
      },
    },
    legacyScope: { corpId: config.corpId },
  };
}

export function thirdPartyProfile(
  config: AppConfig,
  suite: NonNullable<AppConfig['suite']>,
  env: Record<string, string | undefined>,
): TenancyProfile {
  return {
    name: 'third-party',
    servesManyCorps: true,
    // Third-party sign-in is snsapi_base only: no avatars, and no member names (the pages use ww-open-data).
    avatarConsent: false,
    openDataScript: openDataSdkUrl(config, env),
    checks: {
      thirdPartyErrcodes: true,
      trustedIpTitle: { zh: '服务商 IP白名单', en: "Service provider's IP allow-list" },
      proveCredentials: ({ corpToken }) => corpToken(),
      credentialsWork: {
        zh: `通过服务商凭证取得企业 access_token（service/get_corp_token，第三方应用 ${suite.suiteId}）`,
        en: `Got the corp's access token through the suite (service/get_corp_token, suite ${suite.suiteId})`,
      },
    },
    legacyScope: { corpId: config.corpId, suiteId: suite.suiteId },
  };
}

/** The tenancy a configuration chooses, as far as it follows from the configuration alone. */
export function tenancyProfile(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
): TenancyProfile {
  return config.suite ? thirdPartyProfile(config, config.suite, env) : selfBuiltProfile(config);
}
