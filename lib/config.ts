import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The credentials of the embedded WeCom emulator's demo corp. They open nothing outside the emulator;
 * the emulator's seed data carries the same values (emulator/ and lib/ share no code on purpose).
 */
export const DEMO_CREDENTIALS = {
  corpId: 'ww5f3c2a1b9e8d7c60',
  agentId: '1000002',
  agentSecret: 'demo-agent-secret-8Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4',
} as const;

/**
 * The demo corp's domain-verification file in public/ (the emulator expects it). It is served in demo mode only,
 * and the admin's domain check in live mode does not count it.
 */
export const DEMO_VERIFY_FILE = 'WW_verify_Xh7Kp2Lm9Qa4Rt6Z.txt';

/**
 * The emulator's demo service provider (third-party suite), used when demo mode runs as a third-party app
 * (`WECOM_DEMO_SUITE=1`). Like DEMO_CREDENTIALS, these open nothing outside the emulator.
 */
export const DEMO_SUITE = {
  suiteId: 'wwsuite7c2e91b4d0a6',
  suiteSecret: 'demo-suite-secret-Qm3Xr8Tz1Vb6Nc4Lp9Hs2Kd7Fg5Jw0Ay',
  token: 'demoSuiteToken5Rk8Wq2Zx',
  encodingAesKey: 'kR7mN2pQ9sT4vX8zB3dF6hJ1lC5gW0yA2eI4oU7aS9q',
  providerCorpId: 'wwprov3a8c1e5f7d92',
} as const;

/** The demo app's callback (接收消息) Token and EncodingAESKey; the embedded emulator pushes events with them. */
export const DEMO_CALLBACK = {
  token: 'demoAppToken3Hx9Lq2Vw',
  encodingAesKey: 'dM4pZ8qW2eR6tY0uI3oP7aS1dF5gH9jK2lX6cV0bN4m',
} as const;

/** The emulated answer model of demo mode (emulator/llm.ts), served on the app's own origin. */
export const DEMO_LLM = { apiKey: 'sk-emulated-demo-key', model: 'xinghe-emulated-chat' } as const;

export type AppMode = 'demo' | 'live';

export interface AppConfig {
  mode: AppMode;
  corpId: string;
  agentId: string;
  agentSecret: string;
  /** Server API origin, e.g. https://qyapi.weixin.qq.com (demo: the embedded emulator on our own origin). */
  apiBase: string;
  /** In-client OAuth origin, e.g. https://open.weixin.qq.com. */
  oauthBase: string;
  /** PC web-login origin, e.g. https://login.work.weixin.qq.com. */
  loginBase: string;
  /** Public origin of this app, without a trailing slash. */
  appBaseUrl: string;
  sessionSecret: string;
  /** Token/ticket cache, locks, rate limits and replay guards: data that may be lost and fetched again. */
  storeUrl: string;
  /** Durable app data (quick replies, authorized corps, callback events): `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  adminUserIds: string[];
  /** Local files (SQLite databases, media originals with SQLite, the demo session secret). */
  dataDir: string;
  /** A scheduled message found later than this (every instance was down) is marked missed, not sent. */
  scheduleMissedAfterMs: number;
  callback?: { token: string; encodingAesKey: string };
  suite?: {
    suiteId: string;
    suiteSecret: string;
    token: string;
    encodingAesKey: string;
    providerCorpId?: string;
  };
  /** The assistant's answer model (OpenAI-compatible); demo mode uses the emulated one on its own origin. */
  llm?: { baseUrl: string; apiKey: string; model: string; timeoutMs: number };
  /** Embeddings combined with lexical retrieval: LLM_EMBEDDING_MODEL on the same endpoint (off by default). */
  embeddings?: { baseUrl: string; apiKey: string; model: string; timeoutMs: number };
  production: boolean;
  /** Bearer token for GET /api/metrics; unset = the endpoint answers 404. */
  metricsToken?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optional = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v ? v : undefined));

const EnvSchema = z.object({
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_AGENT_SECRET: optional,
  WECOM_API_BASE: optional,
  WECOM_OAUTH_BASE: optional,
  WECOM_LOGIN_BASE: optional,
  APP_BASE_URL: optional,
  SESSION_SECRET: optional,
  STORE_URL: optional,
  DATABASE_URL: optional,
  ADMIN_USERIDS: optional,
  WECOM_CALLBACK_TOKEN: optional,
  WECOM_CALLBACK_ENCODING_AES_KEY: optional,
  WECOM_SUITE_ID: optional,
  WECOM_SUITE_SECRET: optional,
  WECOM_SUITE_TOKEN: optional,
  WECOM_SUITE_ENCODING_AES_KEY: optional,
  WECOM_PROVIDER_CORP_ID: optional,
  WECOM_DEMO_SUITE: optional,
  WECOM_DEMO: optional,
  METRICS_TOKEN: optional,
  NEXT_PHASE: optional,
  PORT: optional,
  NODE_ENV: optional,
  DATA_DIR: optional,
  SCHEDULE_MISSED_AFTER_MINUTES: optional,
  LLM_BASE_URL: optional,
  LLM_API_KEY: optional,
  LLM_MODEL: optional,
  LLM_TIMEOUT_MS: optional,
  LLM_EMBEDDING_MODEL: optional,
});

type Env = z.infer<typeof EnvSchema>;

function missingOf(env: Env, names: (keyof Env)[]): string[] {
  return names.filter((n) => !env[n]);
}

function origin(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} 不是有效的 URL / ${name} is not a valid URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} 必须以 http(s):// 开头 / ${name} must start with http(s)://`);
  }
  return url.origin;
}

/** Reads (or creates once) the demo session secret under the data directory; never a constant in the repo. */
export function demoSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: create it below
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Where durable app data lives: DATABASE_URL, or the SQLite file `app.db` under DATA_DIR (default `.data/`).
 * Used by the app and by `npm run db:migrate`, which needs no other configuration.
 */
export function databaseUrlFromEnv(rawEnv: Record<string, string | undefined>): string {
  const url = rawEnv.DATABASE_URL?.trim();
  if (url) return url;
  const dataDir = rawEnv.DATA_DIR?.trim() || path.join(process.cwd(), '.data');
  return `sqlite:${path.join(dataDir, 'app.db')}`;
}

/** Pure parse of an environment; throws ConfigError naming what is missing or wrong. */
export function parseConfig(rawEnv: Record<string, string | undefined>): AppConfig {
  const env = EnvSchema.parse(rawEnv);
  const dataDir = env.DATA_DIR ?? path.join(process.cwd(), '.data');
  const production = env.NODE_ENV === 'production';

  const selfBuilt = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_AGENT_SECRET'] as const;
  const selfMissing = missingOf(env, [...selfBuilt]);
  const suiteComplete = !!(
    env.WECOM_SUITE_ID &&
    env.WECOM_SUITE_SECRET &&
    env.WECOM_SUITE_TOKEN &&
    env.WECOM_SUITE_ENCODING_AES_KEY
  );
  // Third-party mode needs no self-built credentials: the suite credentials alone select live mode.
  const isLive = selfMissing.length === 0 || suiteComplete;
  if (selfMissing.length > 0 && selfMissing.length < selfBuilt.length) {
    throw new ConfigError(
      `企业微信配置不完整，缺少 ${selfMissing.join(', ')}（三项须同时设置，或都不设置以使用演示模式）/ ` +
        `Incomplete WeCom configuration: missing ${selfMissing.join(', ')} (set all three, or none for demo mode)`,
    );
  }

  const suiteNames = [
    'WECOM_SUITE_ID',
    'WECOM_SUITE_SECRET',
    'WECOM_SUITE_TOKEN',
    'WECOM_SUITE_ENCODING_AES_KEY',
  ] as const;
  const suiteMissing = missingOf(env, [...suiteNames]);
  if (suiteMissing.length > 0 && suiteMissing.length < suiteNames.length) {
    throw new ConfigError(
      `第三方应用配置不完整，缺少 ${suiteMissing.join(', ')} / Incomplete third-party (suite) configuration: missing ${suiteMissing.join(', ')}`,
    );
  }

  const callbackMissing = missingOf(env, ['WECOM_CALLBACK_TOKEN', 'WECOM_CALLBACK_ENCODING_AES_KEY']);
  if (callbackMissing.length === 1) {
    throw new ConfigError(
      `回调配置不完整，缺少 ${callbackMissing[0]} / Incomplete callback configuration: missing ${callbackMissing[0]}`,
    );
  }

  const adminUserIds = (env.ADMIN_USERIDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const callback =
    env.WECOM_CALLBACK_TOKEN && env.WECOM_CALLBACK_ENCODING_AES_KEY
      ? { token: env.WECOM_CALLBACK_TOKEN, encodingAesKey: env.WECOM_CALLBACK_ENCODING_AES_KEY }
      : undefined;
  const suite =
    env.WECOM_SUITE_ID && env.WECOM_SUITE_SECRET && env.WECOM_SUITE_TOKEN && env.WECOM_SUITE_ENCODING_AES_KEY
      ? {
          suiteId: env.WECOM_SUITE_ID,
          suiteSecret: env.WECOM_SUITE_SECRET,
          token: env.WECOM_SUITE_TOKEN,
          encodingAesKey: env.WECOM_SUITE_ENCODING_AES_KEY,
          providerCorpId: env.WECOM_PROVIDER_CORP_ID,
        }
      : undefined;
  const storeUrl = env.STORE_URL ?? `sqlite:${path.join(dataDir, 'wecom.db')}`;
  const databaseUrl = databaseUrlFromEnv(rawEnv);
  const missedMinutes = Number(env.SCHEDULE_MISSED_AFTER_MINUTES ?? '60');
  if (!Number.isFinite(missedMinutes) || missedMinutes < 0) {
    throw new ConfigError(
      'SCHEDULE_MISSED_AFTER_MINUTES 必须是非负数 / SCHEDULE_MISSED_AFTER_MINUTES must be a non-negative number',
    );
  }
  const scheduleMissedAfterMs = missedMinutes * 60_000;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL 无法识别，可用 sqlite:<文件路径> 或 postgres://user:pass@host:5432/db / ' +
        'Unrecognised DATABASE_URL; use sqlite:<path> or postgres://user:pass@host:5432/db',
    );
  }

  const llmSet = [env.LLM_BASE_URL, env.LLM_API_KEY, env.LLM_MODEL].filter(Boolean).length;
  if (llmSet > 0 && llmSet < 3) {
    const missing = missingOf(env, ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL']).join(', ');
    throw new ConfigError(`生成回答需要同时设置 ${missing} / Generated answers also need ${missing}`);
  }
  const timeoutMs = Number(env.LLM_TIMEOUT_MS ?? 20_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    throw new ConfigError(
      'LLM_TIMEOUT_MS 必须是不小于 100 的整数 / LLM_TIMEOUT_MS must be an integer of at least 100',
    );
  }
  if (env.LLM_BASE_URL) origin('LLM_BASE_URL', env.LLM_BASE_URL);
  const llm =
    llmSet === 3
      ? {
          baseUrl: env.LLM_BASE_URL!.replace(/\/$/, ''),
          apiKey: env.LLM_API_KEY!,
          model: env.LLM_MODEL!,
          timeoutMs,
        }
      : undefined;
  if (env.LLM_EMBEDDING_MODEL && !llm) {
    throw new ConfigError(
      'LLM_EMBEDDING_MODEL 需要同时设置 LLM_BASE_URL、LLM_API_KEY、LLM_MODEL / LLM_EMBEDDING_MODEL needs LLM_BASE_URL, LLM_API_KEY and LLM_MODEL',
    );
  }
  const embeddings =
    llm && env.LLM_EMBEDDING_MODEL
      ? {
          baseUrl: llm.baseUrl,
          apiKey: llm.apiKey,
          model: env.LLM_EMBEDDING_MODEL,
          timeoutMs: Math.min(timeoutMs, 3000),
        }
      : undefined;

  if (isLive) {
    const liveMissing = missingOf(env, ['SESSION_SECRET', 'APP_BASE_URL']);
    if (liveMissing.length > 0) {
      throw new ConfigError(
        `正式模式需要设置 ${liveMissing.join(', ')} / Live mode requires ${liveMissing.join(', ')}`,
      );
    }
    const sessionSecret = env.SESSION_SECRET!;
    if (sessionSecret.length < 32) {
      throw new ConfigError(
        'SESSION_SECRET 至少需要 32 个字符（可用 `openssl rand -base64 32` 生成）/ SESSION_SECRET must be at least 32 characters (generate one with `openssl rand -base64 32`)',
      );
    }
    return {
      mode: 'live',
      // Third-party mode without a self-built app: every corp's credentials come from the suite.
      corpId: env.WECOM_CORP_ID ?? env.WECOM_PROVIDER_CORP_ID ?? '',
      agentId: env.WECOM_AGENT_ID ?? '',
      agentSecret: env.WECOM_AGENT_SECRET ?? '',
      apiBase: origin('WECOM_API_BASE', env.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com'),
      oauthBase: origin('WECOM_OAUTH_BASE', env.WECOM_OAUTH_BASE ?? 'https://open.weixin.qq.com'),
      loginBase: origin('WECOM_LOGIN_BASE', env.WECOM_LOGIN_BASE ?? 'https://login.work.weixin.qq.com'),
      appBaseUrl: origin('APP_BASE_URL', env.APP_BASE_URL!),
      sessionSecret,
      storeUrl,
      databaseUrl,
      adminUserIds,
      dataDir,
      scheduleMissedAfterMs,
      callback,
      suite,
      llm,
      embeddings,
      production,
      metricsToken: env.METRICS_TOKEN,
    };
  }

  // A production server with nothing configured must not silently become a public demo.
  if (production && env.WECOM_DEMO !== '1' && env.NEXT_PHASE !== 'phase-production-build') {
    throw new ConfigError(
      '生产环境未配置企业微信（WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_AGENT_SECRET 或第三方应用的 WECOM_SUITE_*）。' +
        '如确实要在生产构建中运行演示模式，请设置 WECOM_DEMO=1（模拟器控制接口只接受本机请求）/ ' +
        'No WeCom configuration in production (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_AGENT_SECRET, or the WECOM_SUITE_* ' +
        'values of a third-party app). To run the demo from a production build on purpose, set WECOM_DEMO=1 ' +
        '(the emulator control API then answers this machine only)',
    );
  }

  // Demo mode: the embedded emulator answers on our own origin.
  const appBaseUrl = origin('APP_BASE_URL', env.APP_BASE_URL ?? `http://localhost:${env.PORT ?? '3000'}`);
  const sessionSecret = env.SESSION_SECRET ?? demoSessionSecret(dataDir);
  if (sessionSecret.length < 32) {
    throw new ConfigError(
      'SESSION_SECRET 至少需要 32 个字符 / SESSION_SECRET must be at least 32 characters',
    );
  }
  return {
    mode: 'demo',
    ...DEMO_CREDENTIALS,
    apiBase: appBaseUrl,
    oauthBase: appBaseUrl,
    loginBase: appBaseUrl,
    appBaseUrl,
    sessionSecret,
    storeUrl,
    databaseUrl,
    adminUserIds: adminUserIds.length > 0 ? adminUserIds : ['zhangwei'],
    dataDir,
    scheduleMissedAfterMs,
    callback: callback ?? { ...DEMO_CALLBACK },
    suite: suite ?? (env.WECOM_DEMO_SUITE === '1' ? { ...DEMO_SUITE } : undefined),
    llm: llm ?? { ...DEMO_LLM, baseUrl: `${appBaseUrl}/llm/v1`, timeoutMs },
    embeddings,
    production,
    metricsToken: env.METRICS_TOKEN,
  };
}

let cached: AppConfig | undefined;

/** The configuration of this process, parsed once from process.env. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

export function isDemo(): boolean {
  return getConfig().mode === 'demo';
}

/** Origin of WeCom's open.work.weixin.qq.com (install page, open-data SDK); the emulator (our origin) in demo mode. */
export function openBaseOf(
  config: Pick<AppConfig, 'mode' | 'appBaseUrl'>,
  env: Record<string, string | undefined> = process.env,
): string {
  if (config.mode === 'demo') return config.appBaseUrl;
  return (env.WECOM_OPEN_BASE ?? 'https://open.work.weixin.qq.com').replace(/\/+$/, '');
}

/** WeCom's open-data SDK (jwxwork-1.0.0.js), the emulator's in demo mode; third-party apps load it in their pages. */
export function openDataSdkUrl(
  config: Pick<AppConfig, 'mode' | 'appBaseUrl'>,
  env: Record<string, string | undefined> = process.env,
): string {
  return `${openBaseOf(config, env)}/wwopen/js/jwxwork-1.0.0.js`;
}
