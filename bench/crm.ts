import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './servers';

/** Part r: what bench/crm-worker.ts measures (a process of its own: server code runs with the react-server condition). */
export interface CrmResult {
  edits: {
    edit: string;
    edits: number;
    calls: Record<string, number>;
    perEdit: number;
    tokenAndTicket: number;
  }[];
  timeline: (
    | {
        kind: 'sqlite' | 'postgres';
        entries: number;
        runs: number;
        pageItems: number;
        p50Ms: number;
        p95Ms: number;
      }
    | { kind: 'sqlite' | 'postgres'; skipped: string }
  )[];
}

export function measureCrm(): Promise<CrmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'bench/crm-worker.ts')],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`crm worker exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as CrmResult);
      } catch {
        reject(new Error(`crm worker printed no result: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}
