import { afterAll, describe, expect, it } from 'vitest';
import {
  createQuickReply,
  deleteQuickReply,
  listQuickReplies,
  reorderQuickReplies,
  repliesFor,
  updateQuickReply,
  type QuickReplyDeps,
} from '@/lib/quick-replies';
import { HttpError } from '@/lib/http';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

const VIP = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
const CHANNEL = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';
const CORP = 'ww5f3c2a1b9e8d7c60';

const kinds = await databaseKinds();
const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.drop()));
});

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    return err instanceof HttpError ? err.status : -1;
  }
}

describe.each(kinds)('quick replies on %s', (kind) => {
  let t: TestDatabase | undefined;
  async function deps(seed: boolean): Promise<QuickReplyDeps> {
    t = await createTestDatabase(kind);
    opened.push(t);
    return { db: t.db, corpId: CORP, seed };
  }

  it('seeds demo replies when nothing is stored, and different groups see different replies', async () => {
    const d = await deps(true);
    const all = await listQuickReplies(d);
    expect(all.length).toBeGreaterThan(3);
    expect(all.map((r) => r.order)).toEqual(all.map((_, i) => i + 1));

    const single = await repliesFor({ entry: 'single' }, d);
    const vip = await repliesFor({ entry: 'group', chatId: VIP }, d);
    const channel = await repliesFor({ entry: 'group', chatId: CHANNEL }, d);
    expect(single.every((r) => r.scope.type !== 'groups')).toBe(true);
    expect(vip.some((r) => r.scope.type === 'groups' && r.scope.chatIds.includes(VIP))).toBe(true);
    expect(vip.every((r) => r.scope.type !== 'single')).toBe(true);
    expect(vip.map((r) => r.id)).not.toEqual(channel.map((r) => r.id));
    expect(channel.some((r) => r.id === vip.find((v) => v.scope.type === 'groups')?.id)).toBe(false);
  });

  it('live mode without stored replies is empty', async () => {
    expect(await listQuickReplies(await deps(false))).toEqual([]);
  });

  it('creates, updates, reorders and deletes, persisting one row per reply', async () => {
    const d = await deps(false);
    const a = await createQuickReply(
      { kind: 'text', title: ' 问候 ', text: '您好', scope: { type: 'all' } },
      d,
    );
    expect(a).toMatchObject({ title: '问候', kind: 'text', text: '您好', order: 1 });
    expect(a.id).toMatch(/^qr_/);
    const b = await createQuickReply(
      {
        kind: 'news',
        title: '手册',
        news: { link: 'https://example.com/a', title: '产品手册', desc: '介绍' },
        scope: { type: 'groups', chatIds: [VIP, VIP] },
      },
      d,
    );
    expect(b.order).toBe(2);
    expect(b.scope).toEqual({ type: 'groups', chatIds: [VIP] });

    const rows = await t!.db.selectFrom('quick_replies').selectAll().where('corp_id', '=', CORP).execute();
    expect(rows.map((r) => [r.id, r.position])).toEqual([
      [a.id, 1],
      [b.id, 2],
    ]);

    const changed = await updateQuickReply(a.id, { text: '您好！', scope: { type: 'single' } }, d);
    expect(changed).toMatchObject({ id: a.id, text: '您好！', scope: { type: 'single' }, order: 1 });

    const switched = await updateQuickReply(
      a.id,
      { kind: 'news', news: { link: 'http://example.com/x', title: 'X' } },
      d,
    );
    expect(switched.kind).toBe('news');
    expect('text' in switched).toBe(false);

    const reordered = await reorderQuickReplies([b.id], d);
    expect(reordered.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(reordered.map((r) => r.order)).toEqual([1, 2]);

    await deleteQuickReply(b.id, d);
    const left = await listQuickReplies(d);
    expect(left.map((r) => [r.id, r.order])).toEqual([[a.id, 1]]);
  });

  it('rejects invalid input with 400 and unknown ids with 404', async () => {
    const d = await deps(false);
    expect(
      await status(createQuickReply({ kind: 'text', title: '', text: 'x', scope: { type: 'all' } }, d)),
    ).toBe(400);
    expect(await status(createQuickReply({ kind: 'text', title: 't', scope: { type: 'all' } }, d))).toBe(400);
    expect(
      await status(
        createQuickReply(
          {
            kind: 'news',
            title: 't',
            news: { link: 'javascript:alert(1)', title: 'x' },
            scope: { type: 'all' },
          },
          d,
        ),
      ),
    ).toBe(400);
    expect(
      await status(
        createQuickReply({ kind: 'text', title: 't', text: 'x', scope: { type: 'groups', chatIds: [] } }, d),
      ),
    ).toBe(400);
    expect(
      await status(
        createQuickReply(
          { kind: 'text', title: 't', text: 'x', scope: { type: 'groups', chatIds: ['not a chat id!'] } },
          d,
        ),
      ),
    ).toBe(400);
    expect(await status(updateQuickReply('qr_missing', { title: 'x' }, d))).toBe(404);
    expect(await status(updateQuickReply('qr_missing', { bogus: 1 }, d))).toBe(400);
    expect(await status(deleteQuickReply('qr_missing', d))).toBe(404);
    expect(await status(reorderQuickReplies(['qr_missing'], d))).toBe(404);
    const a = await createQuickReply({ kind: 'text', title: 't', text: 'x', scope: { type: 'all' } }, d);
    expect(await status(updateQuickReply(a.id, { kind: 'news' }, d))).toBe(400);
  });

  it('concurrent creates are all kept', async () => {
    const d = await deps(false);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createQuickReply({ kind: 'text', title: `t${i}`, text: `x${i}`, scope: { type: 'all' } }, d),
      ),
    );
    const items = await listQuickReplies(d);
    expect(items).toHaveLength(8);
    expect(items.map((r) => r.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps the demo replies the admin was shown when the first change is saved, and deleting all stays empty', async () => {
    const d = await deps(true);
    const demo = await listQuickReplies(d);
    const added = await createQuickReply(
      { kind: 'text', title: '新', text: '新的', scope: { type: 'all' } },
      d,
    );
    const after = await listQuickReplies(d);
    expect(after.map((r) => r.id)).toEqual([...demo.map((r) => r.id), added.id]);
    for (const r of after) await deleteQuickReply(r.id, d);
    expect(await listQuickReplies(d)).toEqual([]);
  });

  it('keeps one corp’s replies from another corp', async () => {
    const d = await deps(false);
    await createQuickReply({ kind: 'text', title: 'A', text: 'a', scope: { type: 'all' } }, d);
    expect(await listQuickReplies({ ...d, corpId: 'wwothercorp0000001' })).toEqual([]);
  });
});
