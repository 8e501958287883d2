// Builds the app before the end-to-end tests when there is no production build or when a source file is newer
// than it, so that `npm test` on a fresh clone (or after an edit) never tests a missing or stale build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const distDir = process.env.NEXT_DIST_DIR || '.next';
const buildId = path.join(distDir, 'BUILD_ID');
const sources = [
  'app',
  'components',
  'lib',
  'emulator',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'scripts/server.mjs',
  'scripts/standalone.mjs',
  'next.config.mjs',
  'package.json',
];

function newest(p) {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newest(path.join(p, name))), stat.mtimeMs);
}

if (process.env.E2E_DEV) process.exit(0);
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newest));
const completeStandalone = () =>
  spawnSync(process.execPath, ['scripts/standalone.mjs'], { stdio: 'inherit', env: process.env }).status ?? 1;
if (builtAt > changedAt) {
  // A build made by `next build` alone still needs its standalone output completed.
  const serverEntry = path.join(distDir, 'standalone', 'server.mjs');
  if (existsSync(serverEntry) && statSync(serverEntry).mtimeMs >= builtAt) process.exit(0);
  process.exit(completeStandalone());
}

console.log(
  builtAt
    ? `Sources changed since the last build in ${distDir}: rebuilding.`
    : `No build in ${distDir}: building.`,
);
const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: process.env });
if (result.status !== 0) process.exit(result.status ?? 1);
process.exit(completeStandalone());
