import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { APPS, CUSTOMERS, EMPLOYEES } from '../../emulator/seed';
import { DEMO_SUITE } from '../../lib/config';
import { DEMO_PORT, LIVE_SECRET, LOG_DIR, SUITE_PORT } from '../../playwright.config';
import { findLeaks } from './log-leaks';

/**
 * After the whole run: the servers' logs (every line they wrote, see LOG_DIR in playwright.config.ts) carry no
 * secret, token, ticket, code, session cookie or customer's mobile, and they do carry the request lines (so the
 * check cannot pass on empty logs).
 */
export default function globalTeardown(): void {
  if (process.env.E2E_DEV || !existsSync(LOG_DIR)) return;
  const files = readdirSync(LOG_DIR).filter((f) => f.endsWith('.log'));
  if (files.length === 0) return;
  const sessionSecrets = [DEMO_PORT, SUITE_PORT]
    .flatMap((p) => [`.data/e2e-demo-${p}`, `.data/e2e-suite-${p}`])
    .map((dir) => path.join(dir, 'session-secret'))
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8').trim());
  const known = [
    ...APPS.map((a) => a.secret),
    DEMO_SUITE.suiteSecret,
    DEMO_SUITE.token,
    DEMO_SUITE.encodingAesKey,
    LIVE_SECRET,
    ...sessionSecrets,
    ...EMPLOYEES.map((e) => e.mobile),
    ...CUSTOMERS.flatMap((c) => c.follow.flatMap((f) => f.remarkMobiles ?? [])),
  ];
  let requestLines = 0;
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(LOG_DIR, file), 'utf8');
    requestLines += text.split('\n').filter((l) => l.includes('"msg":"request"')).length;
    problems.push(...findLeaks(text, known).map((p) => `${file}: ${p}`));
  }
  if (problems.length > 0) throw new Error(`Server logs leak sensitive values:\n${problems.join('\n')}`);
  if (requestLines === 0)
    throw new Error(`No request log lines in ${LOG_DIR}: is the production server logging?`);
}
