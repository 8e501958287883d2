/**
 * npm run doctor — the /admin configuration checks from the terminal.
 *
 * Reads the same configuration as the app (.env.local if present, environment variables win), calls the
 * configured WeCom API (in demo mode that is the emulator inside the running app, so start `npm run dev` first),
 * prints one line per check with the fix, and exits 1 when any check is not green (2 for a configuration error).
 * A third-party app is checked in one installed corp: `--corp <corpid>`, else the first that installed it.
 *
 *   npm run doctor [-- --json] [-- --corp <corpid>]
 */
import path from 'node:path';
import { checkDepsFor, runChecks, type CheckReport, type CheckResult } from '../lib/checks';
import { ConfigError, parseConfig } from '../lib/config';
import { openDb, type Db } from '../lib/db/connect';
import { createStore } from '../lib/store';
import { standaloneTenancy } from '../lib/wecom/tenant';
import { loadEnv } from './env';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const green = (s: string) => paint('32', s);
const red = (s: string) => paint('31', s);
const dim = (s: string) => paint('2', s);
const bold = (s: string) => paint('1', s);

const ICON: Record<CheckResult['status'], string> = { pass: green('✔'), fail: red('✘'), skip: dim('–') };

function printReport(report: CheckReport, header: string[]) {
  console.log(bold('企业微信配置检查 / WeCom configuration check'));
  for (const line of header) console.log(dim(`  ${line}`));
  console.log('');
  const width = Math.max(...report.results.map((r) => r.title.en.length));
  for (const r of report.results) {
    console.log(`${ICON[r.status]} ${bold(r.title.en.padEnd(width))}  ${r.title.zh}`);
    console.log(`    ${r.detail.zh}`);
    console.log(dim(`    ${r.detail.en}`));
    if (r.fix) {
      console.log(`    ${r.status === 'fail' ? red('→') : '→'} 修复：${r.fix.zh}`);
      console.log(dim(`      Fix: ${r.fix.en}`));
    }
  }
  const bad = report.results.filter((r) => r.status !== 'pass').length;
  console.log('');
  console.log(
    report.ok
      ? green(`✔ 全部 ${report.results.length} 项通过 / all ${report.results.length} checks passed`)
      : red(`✘ ${bad} 项未通过 / ${bad} of ${report.results.length} checks not passing`),
  );
}

/** `--corp <corpid>` or `--corp=<corpid>`. */
function corpArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--corp' || a.startsWith('--corp='));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice('--corp='.length) : argv[i + 1];
}

async function main(): Promise<number> {
  const json = process.argv.includes('--json');
  // The report is the output (--json: the only output); the app's request log would interleave with it.
  process.env.LOG_LEVEL ??= 'silent';
  const { env, file } = loadEnv();
  let config;
  try {
    config = parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError || (err as Error)?.name === 'ZodError') {
      console.error(red(`✘ 配置错误 / Configuration error: ${(err as Error).message}`));
      return 2;
    }
    throw err;
  }
  const store = createStore(config.storeUrl);
  let db: Db | undefined;
  try {
    const tenancy = standaloneTenancy(config, { store, db: () => (db ??= openDb(config.databaseUrl)) });
    const corpId = corpArg(process.argv) ?? (await tenancy.corpToCheck());
    if (!corpId) {
      console.error(
        red(
          '✘ 尚无企业安装本应用，安装后再检查（或用 --corp <corpid> 指定）/ No corp has installed the app yet; check again after an install (or name one with --corp <corpid>)',
        ),
      );
      return 1;
    }
    const corp = await tenancy.corp(corpId);
    const report = await runChecks(checkDepsFor(config, corp.wecom, path.join(process.cwd(), 'public')));
    if (json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      printReport(report, [
        `${config.mode === 'demo' ? '演示模式 / demo mode' : '正式模式 / live mode'} · ${tenancy.name} · corp ${corp.id} · agent ${corp.wecom.agentId}`,
        `WeCom API ${config.apiBase} · APP_BASE_URL ${config.appBaseUrl} · store ${store.kind}`,
        `${file ? `配置 / config: ${path.relative(process.cwd(), file)} + env` : '配置 / config: environment'}`,
        ...(config.mode === 'demo'
          ? [
              '演示模式的模拟器内置在应用中，请先运行 npm run dev / demo mode: the emulator runs inside the app, start it first',
            ]
          : []),
      ]);
    }
    return report.ok ? 0 : 1;
  } finally {
    await store.close().catch(() => {});
    await db?.destroy().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A refusal the app would answer (a corp it does not serve) says so in both languages.
    const pub = (err as { toPublic?: () => Error } | null)?.toPublic?.();
    console.error(
      red(
        `✘ doctor 运行失败 / doctor failed: ${(pub ?? (err instanceof Error ? err : null))?.message ?? String(err)}`,
      ),
    );
    process.exit(2);
  },
);
