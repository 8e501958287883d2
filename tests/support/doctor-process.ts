import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs `npm run doctor` as the package script does (`node --conditions=react-server --import tsx`, so that
 * `server-only` is a no-op) with a clean environment plus `env`; resolves with the exit code and all output.
 */
export function runDoctor(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; out: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'doctor-'));
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'scripts/doctor.ts', ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'test',
          NO_COLOR: '1',
          DATA_DIR: dataDir,
          // Empty values win over a developer's .env.local.
          WECOM_CORP_ID: '',
          WECOM_AGENT_ID: '',
          WECOM_AGENT_SECRET: '',
          APP_BASE_URL: '',
          SESSION_SECRET: '',
          STORE_URL: 'memory:',
          ...env,
        },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, out });
    });
  });
}
