/**
 * Part q of the benchmark: reading durable data on each driver — the sidebar's quick replies and a page of a
 * 100,000-row table — each beside a bare query on the same driver, so the table shows what the query adds to the
 * driver's own round trip. SQLite is a file in a temporary directory; PostgreSQL is a new database with a unique
 * name on BENCH_POSTGRES_URL's server (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDb } from '../lib/db/connect';
import { ROOT } from './servers';

export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
}

export interface DbDriverResult {
  driver: 'sqlite' | 'postgres';
  rows: number;
  replies: number;
  pageSize: number;
  iterations: number;
  seedSec: number;
  bare: Percentiles;
  quickReplies: Percentiles;
  page: Percentiles;
}

export interface DbResult {
  drivers: DbDriverResult[];
  /** Drivers that could not be measured, and why. */
  skipped: string[];
}

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function runWorker(kind: string, url: string): Promise<DbDriverResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'bench/db-worker.ts'), kind, url],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${kind}: ${err.message}\n${stderr.slice(-2000)}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as DbDriverResult);
      },
    );
  });
}

export async function measureDatabase(log: (line: string) => void = () => {}): Promise<DbResult> {
  const result: DbResult = { drivers: [], skipped: [] };
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-db-'));
  try {
    log('  sqlite …');
    result.drivers.push(await runWorker('sqlite', `sqlite:${path.join(dir, 'app.db')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const name = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = openDb(ADMIN_URL, { poolSize: 1 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } catch (err) {
    result.skipped.push(`postgres: ${err instanceof Error ? err.message : String(err)}`);
    await admin.destroy();
    return result;
  }
  try {
    log('  postgres …');
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    result.drivers.push(await runWorker('postgres', url.toString()));
  } finally {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin).catch(() => undefined);
    await admin.destroy();
  }
  return result;
}
