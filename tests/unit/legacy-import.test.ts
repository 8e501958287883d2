import { afterAll, describe, expect, it } from 'vitest';
import { importLegacyStore } from '@/lib/db/legacy-import';
import { listQuickReplies } from '@/lib/quick-replies';
import { createStore } from '@/lib/store';
import { listEvents } from '@/lib/wecom/callback';
import { createSuiteService } from '@/lib/wecom/suite';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

// Data an older version kept in STORE_URL, in its own layout, copied once into the database.

const CORP = 'ww5f3c2a1b9e8d7c60';
const SUITE_ID = 'wwsuite7c2e91b4d0a6';
const OTHER = 'wwcorpB0123456789ab';
const kinds = await databaseKinds();
const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.drop()));
});

async function oldStore() {
  const store = createStore('memory:');
  await store.set(
    `quick-replies:${CORP}`,
    JSON.stringify({
      version: 1,
      items: [
        { id: 'qr_b', title: '第二', kind: 'text', text: '二', scope: { type: 'single' }, order: 2 },
        {
          id: 'qr_a',
          title: '第一',
          kind: 'news',
          news: { link: 'https://example.com/a', title: 'A' },
          scope: { type: 'all' },
          order: 1,
        },
      ],
    }),
  );
  await store.set(
    `wecom:suite:${SUITE_ID}:ticket`,
    JSON.stringify({ ticket: 'old-ticket', timestamp: 1700000000, receivedAt: 1700000001000 }),
  );
  await store.set(`wecom:suite:${SUITE_ID}:corps`, JSON.stringify([OTHER]));
  await store.set(
    `wecom:suite:${SUITE_ID}:corp:${OTHER}`,
    JSON.stringify({
      corpId: OTHER,
      corpName: '乙公司',
      agentId: '1000005',
      permanentCode: 'pc-old',
      installedAt: 1700000000000,
      updatedAt: 1700000000000,
    }),
  );
  await store.set(
    `wecom:events:${OTHER}`,
    JSON.stringify([
      {
        at: 1700000002000,
        event: 'change_external_contact',
        changeType: 'add_external_contact',
        fields: {
          InfoType: 'change_external_contact',
          AuthCorpId: OTHER,
          ExternalUserID: 'wmX',
          UserID: 'sunli',
        },
      },
    ]),
  );
  return store;
}

describe.each(kinds)('the one-time copy from the key-value store on %s', (kind) => {
  it('copies replies, ticket, corps and events once, leaves the old keys, and never overwrites the database', async () => {
    const t = await createTestDatabase(kind);
    opened.push(t);
    const store = await oldStore();
    const scope = { corpId: CORP, suiteId: SUITE_ID };
    expect(await importLegacyStore(t.db, store, scope)).toEqual({
      imported: true,
      corps: 1,
      quickReplyCorps: 1,
      events: 1,
    });
    const replies = await listQuickReplies({ db: t.db, corpId: CORP, seed: true });
    expect(replies.map((r) => [r.id, r.order, r.kind])).toEqual([
      ['qr_a', 1, 'news'],
      ['qr_b', 2, 'text'],
    ]);
    const suite = createSuiteService({
      suite: { suiteId: SUITE_ID, suiteSecret: 's', token: 't', encodingAesKey: 'k' },
      apiBase: 'http://127.0.0.1:9',
      store: createStore('memory:'),
      db: t.db,
    });
    expect(await suite.suiteTicket()).toEqual({ ticket: 'old-ticket', timestamp: 1700000000 });
    expect((await suite.authorization(OTHER))?.permanentCode).toBe('pc-old');
    const events = await listEvents(t.db, OTHER);
    expect(events).toMatchObject([
      { event: 'change_external_contact', externalUserId: 'wmX', userId: 'sunli' },
    ]);
    // The old keys stay where they were.
    expect(await store.get(`quick-replies:${CORP}`)).not.toBeNull();
    expect(await store.get(`wecom:suite:${SUITE_ID}:corp:${OTHER}`)).not.toBeNull();
    // Once: a second run copies nothing, even if the store changed meanwhile.
    await store.set(
      `wecom:suite:${SUITE_ID}:ticket`,
      JSON.stringify({ ticket: 'newer', timestamp: 1800000000 }),
    );
    expect((await importLegacyStore(t.db, store, scope)).imported).toBe(false);
    expect((await suite.suiteTicket())?.ticket).toBe('old-ticket');
  });

  it('keeps what the database already has', async () => {
    const t = await createTestDatabase(kind);
    opened.push(t);
    await t.db.insertInto('quick_reply_lists').values({ corp_id: CORP, version: 3, updated_at: 1 }).execute();
    const result = await importLegacyStore(t.db, await oldStore(), { corpId: CORP, suiteId: SUITE_ID });
    expect(result.quickReplyCorps).toBe(0);
    expect(await listQuickReplies({ db: t.db, corpId: CORP, seed: true })).toEqual([]);
  });
});
