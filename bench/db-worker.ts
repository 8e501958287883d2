/**
 * The database part of the benchmark, in its own process (the app's server-only modules load under the
 * react-server condition): for each driver, the sidebar's quick-reply read (corp and personal replies, favourites,
 * categories) and a keyset page over 100,000 events of the callback event log, each beside a bare `select 1` on
 * the same connection. Prints one JSON line.
 * Run: node --conditions=react-server --import tsx bench/db-worker.ts <sqlite|postgres> <DATABASE_URL>
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDb } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import {
  createCategory,
  createPersonalReply,
  createQuickReply,
  memberReplies,
  setFavourite,
} from '../lib/quick-replies';
import { prng } from './prng';

const [kind, url] = process.argv.slice(2);
if (!kind || !url) throw new Error('usage: db-worker.ts <sqlite|postgres> <DATABASE_URL>');

const ROWS = 100_000;
const CORPS = 20;
const REPLIES = 30;
const ITERATIONS = 2000;
const WARMUP = 200;
const PAGE = 50;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function measure(fn: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number }> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) };
}

const db = openDb(url);
try {
  await migrateToLatest(db);
  const corp = (i: number) => `wwbenchcorp${String(i).padStart(6, '0')}`;
  const vip = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';

  // Quick replies of the sidebar's corp (30 replies, some for the group, some for single chats).
  const seedStarted = performance.now();
  const library = { db, corpId: corp(0), seed: false };
  const member = { userId: 'zhangwei', isAdmin: false };
  const categories: string[] = [];
  for (const name of ['开场', '报价', '售后']) categories.push((await createCategory({ name }, library)).id);
  for (let i = 0; i < REPLIES; i++) {
    const scope =
      i % 3 === 0 ? { type: 'all' } : i % 3 === 1 ? { type: 'single' } : { type: 'groups', chatIds: [vip] };
    const reply = await createQuickReply(
      {
        kind: 'text',
        title: `回复 ${i}`,
        text: `快捷回复正文 ${i}：您好，很高兴为您服务。`,
        scope,
        categoryId: categories[i % categories.length],
      },
      library,
    );
    if (i % 5 === 0) await setFavourite(member, reply.id, true, library);
  }
  for (let i = 0; i < 5; i++) {
    await createPersonalReply(member, { kind: 'text', title: `我的 ${i}`, text: `个人话术 ${i}` }, library);
  }

  // 100,000 events over 20 corps and 2,000 customers, as the customer timeline will read them.
  const rand = prng(7);
  const start = 1_760_000_000_000;
  for (let done = 0; done < ROWS;) {
    const batch = Math.min(1000, ROWS - done);
    const rows = Array.from({ length: batch }, (_, j) => {
      const n = done + j;
      const customer = `wmbench${String(Math.floor(rand() * 2000)).padStart(25, '0')}`;
      return {
        corp_id: corp(n % CORPS),
        source: 'app',
        event_type: 'change_external_contact',
        change_type: rand() < 0.5 ? 'edit_external_contact' : 'add_external_contact',
        external_userid: customer,
        userid: `user${n % 40}`,
        chat_id: null,
        tag_id: null,
        payload: JSON.stringify({ Event: 'change_external_contact', ExternalUserID: customer, n }),
        dedup_key: `bench-${n}`,
        received_at: start + n * 1000,
        processed_at: start + n * 1000,
        attempts: 0,
        last_error: null,
        locked_until: null,
        result: null,
      };
    });
    await db.transaction().execute((trx) => trx.insertInto('callback_events').values(rows).execute());
    done += batch;
  }
  if (kind === 'postgres') await sql`analyze callback_events`.execute(db);
  else await sql`analyze`.execute(db);
  const seedSec = (performance.now() - seedStarted) / 1000;

  const bare = await measure(() => sql`select 1`.execute(db));
  // What GET /api/quick-replies reads: corp replies for the chat and the member's own, favourites, categories
  // (group membership is a WeCom call, not part of this read).
  const replies = await measure((i) =>
    memberReplies(
      member,
      { context: i % 2 ? { entry: 'single' } : { entry: 'group', chatId: vip } },
      { ...library, isMemberOf: async () => true },
    ),
  );
  const pageRand = prng(11);
  const page = await measure(() => {
    // One page of a corp's timeline, newest first, after a cursor somewhere in its 5,000 events.
    const cursor = start + Math.floor(pageRand() * ROWS) * 1000;
    return db
      .selectFrom('callback_events')
      .select(['id', 'event_type', 'change_type', 'external_userid', 'userid', 'received_at'])
      .where('corp_id', '=', corp(Math.floor(pageRand() * CORPS)))
      .where('received_at', '<', cursor)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(PAGE)
      .execute();
  });
  process.stdout.write(
    `${JSON.stringify({ driver: kind, rows: ROWS, replies: REPLIES, pageSize: PAGE, iterations: ITERATIONS, seedSec, bare, quickReplies: replies, page })}\n`,
  );
} finally {
  await db.destroy();
}
