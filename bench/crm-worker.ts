/**
 * Part r of `npm run bench` (run in its own process with the react-server condition, as server code runs):
 * WeCom calls per CRM edit on a warm process, and the server time of a customer's first timeline page with
 * 10,000 entries on SQLite and on PostgreSQL. Prints one JSON object.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startEmulator } from '../emulator/index';
import { TAG, WELL_KNOWN } from '../emulator/seed';
import { DEMO_CREDENTIALS } from '../lib/config';
import type { CrmDeps, Viewer } from '../lib/crm/context';
import { addNote } from '../lib/crm/notes';
import { crmPanel } from '../lib/crm/panel';
import { savePipeline, setStage } from '../lib/crm/pipeline';
import { updateRemark } from '../lib/crm/remark';
import { markTags } from '../lib/crm/tags';
import { timelinePage } from '../lib/crm/timeline';
import { openDb, type Db } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import { createStore } from '../lib/store';
import { corpSecretCredentials, createWecomClient } from '../lib/wecom/client';

const ENTRIES = 10_000;
const OTHER_ENTRIES = 10_000;
const RUNS = 300;
const WARMUP = 30;
const EDITS = 20;
const TOKEN_AND_TICKET = ['gettoken', 'get_jsapi_ticket', 'ticket/get'];
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const VIEWER: Viewer = { userId: 'zhangwei', name: '张伟', isAdmin: true };
const CUSTOMER = WELL_KNOWN.linXiaomei;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function counters(url: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/wecom-emulator/state`);
  return ((await res.json()) as { counters: Record<string, number> }).counters;
}

const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(
    Object.keys(b)
      .map((k) => [k, b[k]! - (a[k] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

async function withDatabase<T>(kind: 'sqlite' | 'postgres', fn: (db: Db) => Promise<T>): Promise<T | null> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-crm-'));
    const db = openDb(`sqlite:${path.join(dir, 'app.db')}`);
    try {
      await migrateToLatest(db);
      return await fn(db);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `bench_crm_${randomBytes(5).toString('hex')}`;
  const admin = openDb(POSTGRES_URL, { poolSize: 1 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } catch {
    await admin.destroy();
    return null;
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = openDb(url.toString());
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin).catch(() => undefined);
    await admin.destroy();
  }
}

async function main() {
  const emu = await startEmulator({ port: 0 });
  const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;
  const depsFor = (db: Db): CrmDeps => {
    const store = createStore('memory:');
    return {
      corpId,
      wecom: createWecomClient({
        apiBase: emu.url,
        corpId,
        agentId,
        credentials: corpSecretCredentials(corpId, agentSecret),
        store,
        log: () => {},
      }),
      store,
      db,
      employeeNames: 'api',
    };
  };
  const out: Record<string, unknown> = {};
  try {
    // Edits on a warm process: each should cost exactly one WeCom call and no token or ticket call.
    out.edits = await withDatabase('sqlite', async (db) => {
      const deps = depsFor(db);
      const pipeline = await savePipeline(deps, [{ name: '新线索' }, { name: '意向' }, { name: '报价' }]);
      await crmPanel(deps, VIEWER, CUSTOMER); // warms the token, the follower cache and the tag library
      const rows: {
        edit: string;
        edits: number;
        calls: Record<string, number>;
        perEdit: number;
        tokenAndTicket: number;
      }[] = [];
      const measure = async (edit: string, fn: (i: number) => Promise<unknown>) => {
        const before = await counters(emu.url);
        for (let i = 0; i < EDITS; i++) await fn(i);
        const calls = diff(before, await counters(emu.url));
        const total = Object.values(calls).reduce((a, b) => a + b, 0);
        rows.push({
          edit,
          edits: EDITS,
          calls,
          perEdit: total / EDITS,
          tokenAndTicket: TOKEN_AND_TICKET.reduce((n, k) => n + (calls[k] ?? 0), 0),
        });
      };
      await measure('tags', (i) =>
        markTags(
          deps,
          VIEWER,
          CUSTOMER,
          i % 2 ? { add: [], remove: [TAG.pro] } : { add: [TAG.pro], remove: [] },
        ),
      );
      await measure('remark', (i) => updateRemark(deps, VIEWER, CUSTOMER, { remark: `林总-${i}` }));
      await measure('stage', (i) => setStage(deps, VIEWER, CUSTOMER, pipeline.stages[i % 3]!.id));
      await measure('note', () => addNote(deps, VIEWER, CUSTOMER, { id: randomUUID(), text: '跟进' }));
      return rows;
    });

    // The first timeline page of a customer with 10,000 entries (and as many of other customers around it).
    out.timeline = [];
    for (const kind of ['sqlite', 'postgres'] as const) {
      const row = await withDatabase(kind, async (db) => {
        const deps = depsFor(db);
        const at0 = Date.now() - ENTRIES * 60_000;
        const entry = (externalUserId: string, i: number) => ({
          corp_id: corpId,
          external_userid: externalUserId,
          at: at0 + i * 60_000,
          kind: i % 3 === 0 ? 'tags' : i % 3 === 1 ? 'remark' : 'stage',
          actor_userid: 'zhangwei',
          actor_name: '张伟',
          data: JSON.stringify(
            i % 3 === 1 ? { fields: ['remark'] } : { add: [{ id: TAG.pro, name: '专业版' }], remove: [] },
          ),
          note_id: null,
          source: 'app',
          dedup_key: null,
        });
        for (let i = 0; i < ENTRIES; i += 500) {
          await db
            .insertInto('crm_timeline')
            .values(Array.from({ length: Math.min(500, ENTRIES - i) }, (_, k) => entry(CUSTOMER, i + k)))
            .execute();
        }
        for (let i = 0; i < OTHER_ENTRIES; i += 500) {
          await db
            .insertInto('crm_timeline')
            .values(
              Array.from({ length: 500 }, (_, k) =>
                entry(`wmOther${String((i + k) % 100).padStart(25, '0')}`, i + k),
              ),
            )
            .execute();
        }
        if (kind === 'postgres') await sql`analyze crm_timeline`.execute(db);
        else await sql`analyze`.execute(db);
        const times: number[] = [];
        let items = 0;
        for (let i = 0; i < WARMUP + RUNS; i++) {
          const t = performance.now();
          const page = await timelinePage(deps, VIEWER, CUSTOMER, null);
          const ms = performance.now() - t;
          if (i >= WARMUP) times.push(ms);
          items = page.items.length;
        }
        times.sort((a, b) => a - b);
        return {
          kind,
          entries: ENTRIES,
          runs: RUNS,
          pageItems: items,
          p50Ms: percentile(times, 50),
          p95Ms: percentile(times, 95),
        };
      });
      (out.timeline as unknown[]).push(row ?? { kind, skipped: `no PostgreSQL at ${POSTGRES_URL}` });
    }
  } finally {
    await emu.close();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
