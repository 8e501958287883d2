import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Last lines of output, for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

const running = new Set<Proc>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Children run in their own process group (detached), so next-server workers go with them.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Stops every process this run started; safe to call more than once. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of running) killGroup(p.child, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
}

export function spawnProc(
  name: string,
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Proc {
  hookExit();
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = {
    name,
    child,
    tail: () => lines.join('\n'),
    async stop() {
      running.delete(proc);
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  return proc;
}

/** A free loopback port (the OS picks it; there is a small race until the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early:\n${proc.tail()}`);
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs} ms:\n${proc.tail()}`);
}

export interface NextServer {
  proc: Proc;
  url: string;
  port: number;
}

/**
 * A production server: the app's own (`npm start`: the standalone build behind scripts/server.mjs, NEXT_DIST_DIR
 * from env), or `next start` of another app directory (the floor).
 */
export async function startNext(
  name: string,
  opts: { dir?: string; env: NodeJS.ProcessEnv; port?: number; readyPath?: string },
): Promise<NextServer> {
  const port = opts.port ?? (await freePort());
  const args = opts.dir
    ? [NEXT_BIN, 'start', opts.dir, '-p', String(port), '-H', '127.0.0.1']
    : [path.join(ROOT, 'scripts/start.mjs'), '-p', String(port), '-H', '127.0.0.1'];
  const proc = spawnProc(name, process.execPath, args, {
    env: { ...opts.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url + (opts.readyPath ?? '/'), proc);
  return { proc, url, port };
}

/** `next build` with output shown only on failure. */
export async function nextBuild(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = Date.now();
  const proc = spawnProc(name, process.execPath, [NEXT_BIN, 'build', ...args], {
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  let code = await new Promise<number | null>((resolve) => proc.child.once('exit', (c) => resolve(c)));
  await proc.stop();
  if (code === 0 && args.length === 0) {
    // The app: complete its standalone output as `npm run build` does.
    const done = spawnProc(
      `${name} (standalone)`,
      process.execPath,
      [path.join(ROOT, 'scripts/standalone.mjs')],
      {
        env,
      },
    );
    code = await new Promise<number | null>((resolve) => done.child.once('exit', (c) => resolve(c)));
    await done.stop();
  }
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${proc.tail()}`);
  return Date.now() - started;
}

function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // process ended while we looked
    }
  }
  return out;
}

function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the resident memory of a process tree until stopped. Reports the peak of the summed VmRSS seen
 * and the largest per-process VmHWM (the kernel's own high-water mark) at the end.
 */
export function sampleRss(pid: number, everyMs = 100): { stop(): { peakRssMb: number; maxHwmMb: number } } {
  if (!existsSync('/proc/self/status')) return { stop: () => ({ peakRssMb: NaN, maxHwmMb: NaN }) };
  let pids = tree(pid);
  let peakKb = 0;
  let ticks = 0;
  const sample = () => {
    if (ticks++ % 20 === 0) pids = tree(pid);
    const sum = pids.reduce((acc, p) => acc + statusKb(p, 'VmRSS'), 0);
    peakKb = Math.max(peakKb, sum);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const hwm = Math.max(...tree(pid).map((p) => statusKb(p, 'VmHWM')));
      return { peakRssMb: peakKb / 1024, maxHwmMb: hwm / 1024 };
    },
  };
}

/** `npm run db:migrate` for the database an environment names (DATABASE_URL, or app.db under DATA_DIR). */
export async function migrateDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  const proc = spawnProc(
    'db:migrate',
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/db-migrate.ts')],
    {
      env,
    },
  );
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', (c) => resolve(c)));
  await proc.stop();
  if (code !== 0) throw new Error(`db:migrate failed (exit ${code}):\n${proc.tail()}`);
}
