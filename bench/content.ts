/**
 * Content library and scheduler (part m): media uploads per image reply sent 100 times (goal 1), and 1,000
 * messages due in the same minute handled by three app processes on one PostgreSQL database: each must be
 * submitted exactly once; lateness is submission time minus due time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startEmulator } from '../emulator/index';
import { WELL_KNOWN } from '../emulator/seed';
import { DEMO_CREDENTIALS } from '../lib/config';
import { openDb } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import { ROOT, spawnProc } from './servers';

export interface ContentResult {
  mediaSends: number;
  mediaUploads: number;
  scheduled: number;
  processes: number;
  submitted: number;
  addMsgTemplateCalls: number;
  distinctMsgids: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  drainSec: number;
}

const POSTGRES_ADMIN = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COUNT = 1000;
const PROCESSES = 3;

function worker(mode: string, env: Record<string, string>) {
  return spawnProc(
    `content-${mode}`,
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'bench/content-worker.ts'), mode],
    { env: { ...process.env, ...env } as NodeJS.ProcessEnv },
  );
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function measureContent(): Promise<ContentResult> {
  const emu = await startEmulator({ port: 0 });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-content-'));
  const dbName = `bench_content_${randomBytes(5).toString('hex')}`;
  const adminDb = openDb(POSTGRES_ADMIN, { poolSize: 1 });
  await sql`create database ${sql.id(dbName)}`.execute(adminDb);
  const url = new URL(POSTGRES_ADMIN);
  url.pathname = `/${dbName}`;
  const db = openDb(url.toString());
  try {
    // Media: one image reply sent 100 times.
    const media = worker('media', {
      EMU_URL: emu.url,
      DATABASE_URL: `sqlite:${path.join(dir, 'app.db')}`,
      DATA_DIR: dir,
    });
    await new Promise<void>((resolve) => media.child.once('exit', () => resolve()));
    const mediaOut = JSON.parse(
      media
        .tail()
        .split('\n')
        .find((l) => l.startsWith('{')) ?? '{"sent":0}',
    ) as {
      sent: number;
    };
    const mediaUploads = emu.state.counters['media/upload'] ?? 0;

    // Scheduler: 1,000 due in the same minute, three processes.
    await migrateToLatest(db);
    const due = Date.now() + 8000;
    const rows = Array.from({ length: COUNT }, (_, i) => ({
      corp_id: DEMO_CREDENTIALS.corpId,
      id: randomUUID(),
      created_by: 'zhangwei',
      sender: 'zhangwei',
      target_kind: 'customer' as const,
      external_user_id: WELL_KNOWN.linXiaomei,
      chat_id: null,
      audience: null,
      content: JSON.stringify({ kind: 'text', text: `第 ${i + 1} 条定时消息` }),
      due_at: due + (i % 60) * 1000,
      state: 'scheduled' as const,
      msgid: null,
      error: null,
      attempts: 0,
      claimed_until: null,
      submitted_at: null,
      result: null,
      checked_at: null,
      created_at: Date.now(),
      updated_at: Date.now(),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('scheduled_messages')
        .values(rows.slice(i, i + 200))
        .execute();
    const before = emu.state.counters['externalcontact/add_msg_template'] ?? 0;
    const procs = Array.from({ length: PROCESSES }, () =>
      worker('scheduler', { EMU_URL: emu.url, DATABASE_URL: url.toString() }),
    );
    const started = Date.now();
    let submitted = 0;
    while (Date.now() - started < 180_000) {
      await new Promise((r) => setTimeout(r, 1000));
      const r = await db
        .selectFrom('scheduled_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'submitted')
        .executeTakeFirstOrThrow();
      submitted = Number(r.n);
      if (submitted >= COUNT && Date.now() > due + 60_000) break;
    }
    const drainSec = Math.round((Date.now() - started) / 100) / 10;
    await Promise.all(procs.map((p) => p.stop()));
    const done = await db
      .selectFrom('scheduled_messages')
      .select(['due_at', 'submitted_at', 'msgid'])
      .execute();
    const lateness = done
      .filter((r) => r.submitted_at !== null)
      .map((r) => Number(r.submitted_at) - Number(r.due_at))
      .sort((a, b) => a - b);
    return {
      mediaSends: mediaOut.sent,
      mediaUploads,
      scheduled: COUNT,
      processes: PROCESSES,
      submitted,
      addMsgTemplateCalls: (emu.state.counters['externalcontact/add_msg_template'] ?? 0) - before,
      distinctMsgids: new Set(done.map((r) => r.msgid).filter(Boolean)).size,
      latenessP50Ms: pct(lateness, 0.5),
      latenessP99Ms: pct(lateness, 0.99),
      latenessMaxMs: lateness[lateness.length - 1] ?? 0,
      drainSec,
    };
  } finally {
    await db.destroy();
    await sql`drop database if exists ${sql.id(dbName)} with (force)`.execute(adminDb).catch(() => undefined);
    await adminDb.destroy();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
