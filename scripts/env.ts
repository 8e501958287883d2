import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Minimal dotenv: KEY=VALUE lines, `#` comments, optional `export ` and surrounding quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]!] = value;
  }
  return out;
}

/** The app's configuration environment as `next` sees it: `.env.local` (if any) under real env vars, which win. */
export function loadEnv(cwd = process.cwd()): { env: Record<string, string | undefined>; file?: string } {
  const file = path.join(cwd, '.env.local');
  if (!existsSync(file)) return { env: { ...process.env } };
  return { env: { ...parseDotenv(readFileSync(file, 'utf8')), ...process.env }, file };
}
