import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { exportLibrary, importLibrary } from '@/lib/content/library-io';
import { saveMedia } from '@/lib/content/media';
import { migrations } from '@/lib/db/migrations';
import { HttpError } from '@/lib/http';
import {
  createCategory,
  createPersonalReply,
  createQuickReply,
  deleteCategory,
  deletePersonalReply,
  listCategories,
  listQuickReplies,
  memberReplies,
  orderCategories,
  recordUsage,
  setFavourite,
  updateCategory,
  updatePersonalReply,
  updateQuickReply,
  type MemberReplyDeps,
  type QuickReplyDeps,
  type ReplyViewer,
} from '@/lib/quick-replies';
import { openDb } from '@/lib/db/connect';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

const VIP = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
const CHANNEL = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';
const CORP = 'ww5f3c2a1b9e8d7c60';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode('%PDF-1.4 quarterly price list');

const zhang: ReplyViewer = { userId: 'zhangwei', isAdmin: false };
const li: ReplyViewer = { userId: 'lina', isAdmin: false };
const admin: ReplyViewer = { userId: 'admin01', isAdmin: true };

const kinds = await databaseKinds();
const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.drop()));
});

async function failure(p: Promise<unknown>): Promise<{ status: number; zh: string; en: string } | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { status: err.status, ...err.userMessage };
  }
}

describe.each(kinds)('reply library on %s', (kind) => {
  let t: TestDatabase;
  async function deps(): Promise<QuickReplyDeps> {
    t = await createTestDatabase(kind);
    opened.push(t);
    return { db: t.db, corpId: CORP, seed: false };
  }
  /** zhangwei is in the VIP group only; lina in none. */
  const membership = (d: QuickReplyDeps, viewer: ReplyViewer): MemberReplyDeps => ({
    ...d,
    isMemberOf: async (chatId) => viewer.userId === 'zhangwei' && chatId === VIP,
  });
  const media = (d: QuickReplyDeps, file: { filename: string; bytes: Uint8Array }) =>
    saveMedia(CORP, 'admin01', file, { db: d.db!, dataDir: mkdtempSync(path.join(tmpdir(), 'media-')) });

  it('stores every kind, checks media of the corp and their kind, and never keeps an empty cover', async () => {
    const d = await deps();
    const image = await media(d, { filename: 'card.png', bytes: PNG });
    const file = await media(d, { filename: '报价单.pdf', bytes: PDF });
    const all = { type: 'all' } as const;

    const img = await createQuickReply({ kind: 'image', mediaId: image.id, title: '海报', scope: all }, d);
    expect(img).toMatchObject({ kind: 'image', mediaId: image.id, owner: 'corp', categoryId: null });
    expect(img.usage).toEqual({ count: 0, lastUsedAt: null });
    const doc = await createQuickReply({ kind: 'file', mediaId: file.id, title: '报价单' }, d);
    expect(doc).toMatchObject({ kind: 'file', scope: { type: 'all' } });
    const mini = await createQuickReply(
      {
        kind: 'miniprogram',
        title: '商城',
        scope: all,
        miniprogram: {
          appid: 'wx1234567890abcdef',
          page: 'pages/index.html',
          title: '星河商城',
          coverMediaId: image.id,
        },
      },
      d,
    );
    expect(mini.kind).toBe('miniprogram');
    const news = await createQuickReply(
      {
        kind: 'news',
        title: '手册',
        scope: all,
        news: { link: 'https://e.com/a', title: '手册', imgUrl: ' ', desc: '' },
      },
      d,
    );
    expect(news.kind === 'news' && news.news).toEqual({ link: 'https://e.com/a', title: '手册' });
    const seq = await createQuickReply(
      {
        kind: 'sequence',
        title: '开场',
        scope: all,
        parts: [
          { kind: 'text', text: '您好' },
          { kind: 'news', news: { link: 'https://e.com/b', title: 'B', imgUrl: '' } },
          { kind: 'image', mediaId: image.id },
        ],
      },
      d,
    );
    expect(seq.kind === 'sequence' && seq.parts[1]).toEqual({
      kind: 'news',
      news: { link: 'https://e.com/b', title: 'B' },
    });
    const stored = await t.db.selectFrom('quick_replies').select(['id', 'body']).execute();
    expect(stored.every((r) => !r.body.includes('imgUrl'))).toBe(true);

    const missing = await failure(
      createQuickReply({ kind: 'video', mediaId: 'nosuchmedia01', title: 'v' }, d),
    );
    expect(missing).toMatchObject({ status: 400 });
    expect(missing?.zh).toContain('素材不存在：nosuchmedia01');
    expect(missing?.en).toContain('No such media: nosuchmedia01');
    // A PDF is not an image, and a cover must be one.
    expect(
      (await failure(createQuickReply({ kind: 'image', mediaId: file.id, title: 'x' }, d)))?.status,
    ).toBe(400);
    expect(
      (
        await failure(
          createQuickReply(
            {
              kind: 'miniprogram',
              title: 'x',
              miniprogram: { appid: 'wx1234567890abcdef', page: 'p.html', title: 't', coverMediaId: file.id },
            },
            d,
          ),
        )
      )?.status,
    ).toBe(400);
    // Another corp's media is unknown here.
    const other = await saveMedia(
      'wwothercorp0000001',
      'x',
      { filename: 'a.png', bytes: PNG },
      { db: t.db, dataDir: mkdtempSync(path.join(tmpdir(), 'media-')) },
    );
    expect(
      (await failure(createQuickReply({ kind: 'image', mediaId: other.id, title: 'x' }, d)))?.status,
    ).toBe(400);
    const ten = Array.from({ length: 10 }, (_, i) => ({ kind: 'text', text: `第${i}段` }));
    expect((await failure(createQuickReply({ kind: 'sequence', parts: ten, title: 'x' }, d)))?.status).toBe(
      400,
    );
    expect((await failure(createQuickReply({ kind: 'audio', title: 'x' }, d)))?.status).toBe(400);
    expect((await listQuickReplies(d)).map((r) => r.id)).toEqual([img.id, doc.id, mini.id, news.id, seq.id]);

    // A patch of the same kind keeps the other fields; a new kind needs its body.
    const patched = await updateQuickReply(seq.id, { parts: [{ kind: 'text', text: '再见' }] }, d);
    expect(patched).toMatchObject({
      kind: 'sequence',
      parts: [{ kind: 'text', text: '再见' }],
      title: '开场',
    });
    expect((await failure(updateQuickReply(img.id, { kind: 'video' }, d)))?.status).toBe(400);
    expect((await failure(updateQuickReply(img.id, { mediaId: 'nosuchmedia01' }, d)))?.status).toBe(400);
  });

  it('keeps ordered categories; a reply names one, and deleting it leaves its replies uncategorised', async () => {
    const d = await deps();
    const a = await createCategory({ name: ' 开场白 ' }, d);
    const b = await createCategory({ name: '报价' }, d);
    const c = await createCategory({ name: '售后' }, d);
    expect([a, b, c].map((x) => [x.name, x.order])).toEqual([
      ['开场白', 1],
      ['报价', 2],
      ['售后', 3],
    ]);
    expect((await failure(createCategory({ name: '报价' }, d)))?.status).toBe(409);
    expect((await failure(createCategory({ name: '' }, d)))?.status).toBe(400);
    expect((await updateCategory(b.id, { name: '价格' }, d)).name).toBe('价格');
    expect((await failure(updateCategory('cat_missing', { name: 'x' }, d)))?.status).toBe(404);
    expect((await orderCategories([c.id, a.id], d)).map((x) => x.id)).toEqual([c.id, a.id, b.id]);
    expect((await failure(orderCategories(['cat_missing'], d)))?.status).toBe(404);

    const r = await createQuickReply({ kind: 'text', title: '报价', text: '见附件', categoryId: b.id }, d);
    expect(r.categoryId).toBe(b.id);
    expect(
      (await failure(createQuickReply({ kind: 'text', title: 'x', text: 'y', categoryId: 'cat_nope' }, d)))
        ?.status,
    ).toBe(400);
    expect((await updateQuickReply(r.id, { categoryId: a.id }, d)).categoryId).toBe(a.id);
    await deleteCategory(a.id, d);
    expect((await listCategories(d)).map((x) => [x.id, x.order])).toEqual([
      [c.id, 1],
      [b.id, 2],
    ]);
    expect((await listQuickReplies(d)).at(0)?.categoryId).toBeNull();
    expect((await failure(deleteCategory(a.id, d)))?.status).toBe(404);
  });

  it('keeps the replies stored before the library, searchable', async () => {
    t = await createTestDatabase(kind, { migrate: false });
    opened.push(t);
    const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('0400_content')).error).toBeUndefined();
    await t.db
      .insertInto('quick_replies')
      .values({
        corp_id: CORP,
        id: 'qr_old',
        kind: 'text',
        title: '报价跟进',
        body: JSON.stringify({ text: '最新报价单已发送 OK' }),
        scope: JSON.stringify({ type: 'all' }),
        position: 1,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const d: QuickReplyDeps = { db: t.db, corpId: CORP, seed: false };
    expect(await listQuickReplies(d)).toEqual([
      expect.objectContaining({
        id: 'qr_old',
        kind: 'text',
        text: '最新报价单已发送 OK',
        owner: 'corp',
        order: 1,
      }),
    ]);
    const found = await memberReplies(zhang, { q: 'ok' }, membership(d, zhang));
    expect(found.items.map((r) => r.id)).toEqual(['qr_old']);
  });

  it('shows personal replies only to their owner, who alone may change them', async () => {
    const d = await deps();
    const corp = await createQuickReply({ kind: 'text', title: '公司', text: '公司话术' }, d);
    const mine = await createPersonalReply(zhang, { kind: 'text', title: '我的', text: '我的话术' }, d);
    expect(mine).toMatchObject({ owner: 'personal', scope: { type: 'all' }, order: 1 });
    const forZhang = await memberReplies(zhang, { context: { entry: 'single' } }, membership(d, zhang));
    expect(forZhang.items.map((r) => [r.id, r.owner])).toEqual([
      [corp.id, 'corp'],
      [mine.id, 'personal'],
    ]);
    const forLi = await memberReplies(li, { context: { entry: 'single' } }, membership(d, li));
    expect(forLi.items.map((r) => r.id)).toEqual([corp.id]);
    // Admins see their own, not other members' personal replies; the admin listing has corp replies only.
    expect((await memberReplies(admin, {}, membership(d, admin))).items.map((r) => r.id)).toEqual([corp.id]);
    expect((await listQuickReplies(d)).map((r) => r.id)).toEqual([corp.id]);

    expect((await failure(updatePersonalReply(li, mine.id, { title: 'x' }, d)))?.status).toBe(404);
    expect((await failure(deletePersonalReply(li, mine.id, d)))?.status).toBe(404);
    expect((await failure(updatePersonalReply(zhang, corp.id, { title: 'x' }, d)))?.status).toBe(404);
    expect((await failure(updateQuickReply(mine.id, { title: 'x' }, d)))?.status).toBe(404);
    expect(await updatePersonalReply(zhang, mine.id, { text: '改过' }, d)).toMatchObject({ text: '改过' });
    await deletePersonalReply(zhang, mine.id, d);
    expect((await memberReplies(zhang, {}, membership(d, zhang))).items.map((r) => r.id)).toEqual([corp.id]);
  });

  it('shows group-scoped replies only to members of the group and admins', async () => {
    const d = await deps();
    const vip = await createQuickReply(
      { kind: 'text', title: 'VIP', text: 'VIP 专属', scope: { type: 'groups', chatIds: [VIP] } },
      d,
    );
    const channel = await createQuickReply(
      { kind: 'text', title: '渠道', text: '渠道政策', scope: { type: 'groups', chatIds: [CHANNEL] } },
      d,
    );
    const inVip = await memberReplies(
      zhang,
      { context: { entry: 'group', chatId: VIP } },
      membership(d, zhang),
    );
    expect(inVip.items.map((r) => r.id)).toEqual([vip.id]);
    const refused = await failure(
      memberReplies(li, { context: { entry: 'group', chatId: VIP } }, membership(d, li)),
    );
    expect(refused?.status).toBe(403);
    expect(
      (
        await failure(
          memberReplies(zhang, { context: { entry: 'group', chatId: CHANNEL } }, membership(d, zhang)),
        )
      )?.status,
    ).toBe(403);
    // An admin reads any group's replies.
    const asAdmin = await memberReplies(
      admin,
      { context: { entry: 'group', chatId: CHANNEL } },
      membership(d, admin),
    );
    expect(asAdmin.items.map((r) => r.id)).toEqual([channel.id]);
    // Without a chat: only the groups the member is in.
    expect((await memberReplies(zhang, {}, membership(d, zhang))).items.map((r) => r.id)).toEqual([vip.id]);
    expect((await memberReplies(li, {}, membership(d, li))).items).toEqual([]);
    expect((await memberReplies(admin, {}, membership(d, admin))).items).toHaveLength(2);
  });

  it('searches titles and every text of the body for a substring, Chinese included, wildcards literal', async () => {
    const d = await deps();
    const a = await createQuickReply({ kind: 'text', title: '价格', text: '请查收最新报价单' }, d);
    const b = await createQuickReply(
      {
        kind: 'sequence',
        title: '开场',
        parts: [
          { kind: 'text', text: '您好' },
          { kind: 'news', news: { link: 'https://e.com', title: '产品手册', desc: '含报价说明' } },
        ],
      },
      d,
    );
    const c = await createQuickReply({ kind: 'text', title: 'Discount', text: '100% 满意_保证' }, d);
    const mine = await createPersonalReply(zhang, { kind: 'text', title: '我的报价', text: '私人' }, d);
    const search = async (q: string, viewer = zhang) =>
      (await memberReplies(viewer, { q }, membership(d, viewer))).items.map((r) => r.id);
    expect(await search('报价')).toEqual([a.id, b.id, mine.id]);
    expect(await search('报价', li)).toEqual([a.id, b.id]);
    expect(await search('手册')).toEqual([b.id]);
    expect(await search('discount')).toEqual([c.id]);
    expect(await search('DISCOUNT')).toEqual([c.id]);
    expect(await search('100%')).toEqual([c.id]);
    expect(await search('%')).toEqual([c.id]);
    expect(await search('_')).toEqual([c.id]);
    expect(await search('满意_')).toEqual([c.id]);
    expect(await search('不存在')).toEqual([]);
    // The admin listing searches the corp's replies alike.
    expect((await listQuickReplies(d, { q: '报价' })).map((r) => r.id)).toEqual([a.id, b.id]);
    // Renaming updates what is found.
    await updateQuickReply(a.id, { text: '请查收' }, d);
    expect(await search('报价单')).toEqual([]);
  });

  it('keeps favourites per member and counts each send once, through admin edits', async () => {
    const d = await deps();
    let clock = 1_000;
    const dd = { ...d, now: () => clock };
    const r = await createQuickReply({ kind: 'text', title: '问候', text: '您好' }, dd);
    const s = await createQuickReply({ kind: 'text', title: '再见', text: '再见' }, dd);
    expect(await setFavourite(zhang, r.id, true, dd)).toEqual({ favourite: true });
    expect(await setFavourite(zhang, r.id, true, dd)).toEqual({ favourite: true });
    const fav = async (viewer: ReplyViewer) =>
      (await memberReplies(viewer, {}, membership(d, viewer))).items
        .filter((x) => x.favourite)
        .map((x) => x.id);
    expect(await fav(zhang)).toEqual([r.id]);
    expect(await fav(li)).toEqual([]);
    expect((await failure(setFavourite(li, 'qr_missing', true, dd)))?.status).toBe(404);

    clock = 2_000;
    expect(await recordUsage(zhang, r.id, 'send-1', dd)).toEqual({ count: 1, lastUsedAt: 2_000 });
    clock = 3_000;
    expect(await recordUsage(zhang, r.id, 'send-1', dd)).toEqual({ count: 1, lastUsedAt: 2_000 });
    await Promise.all([recordUsage(li, r.id, 'send-2', dd), recordUsage(li, r.id, 'send-2', dd)]);
    expect(await recordUsage(li, r.id, undefined, dd)).toEqual({ count: 3, lastUsedAt: 3_000 });

    // Admin changes to any reply keep members' favourites and the counts.
    await updateQuickReply(r.id, { title: '问候语' }, dd);
    await updateQuickReply(s.id, { text: '回见' }, dd);
    await createQuickReply({ kind: 'text', title: '新', text: '新' }, dd);
    const after = (await memberReplies(zhang, {}, membership(d, zhang))).items.find((x) => x.id === r.id)!;
    expect(after).toMatchObject({ favourite: true, usage: { count: 3, lastUsedAt: 3_000 }, title: '问候语' });

    expect(await setFavourite(zhang, r.id, false, dd)).toEqual({ favourite: false });
    expect(await fav(zhang)).toEqual([]);
    // Someone else's personal reply can be neither favourited nor counted.
    const own = await createPersonalReply(li, { kind: 'text', title: '私', text: '私' }, dd);
    expect((await failure(setFavourite(zhang, own.id, true, dd)))?.status).toBe(404);
    expect((await failure(recordUsage(zhang, own.id, 'x', dd)))?.status).toBe(404);
  });

  it('keeps concurrent changes from two processes: every reply, position, favourite and send', async () => {
    const d = await deps();
    const shared = await createQuickReply({ kind: 'text', title: '共用', text: '共用' }, d);
    // A second connection pool to the same database is another process. (SQLite serves one process per host
    // through one synchronous connection; a second one in this thread would wait on the first.)
    const other = kind === 'postgres' ? openDb(t.url) : null;
    try {
      const e: QuickReplyDeps = other ? { ...d, db: other } : d;
      await Promise.all([
        ...Array.from({ length: 4 }, (_, i) =>
          createQuickReply({ kind: 'text', title: `甲${i}`, text: 'a' }, i % 2 ? d : e),
        ),
        ...Array.from({ length: 3 }, (_, i) =>
          createPersonalReply(zhang, { kind: 'text', title: `乙${i}`, text: 'b' }, i % 2 ? e : d),
        ),
        ...Array.from({ length: 6 }, (_, i) => recordUsage(li, shared.id, `send-${i % 3}`, i % 2 ? d : e)),
        setFavourite(zhang, shared.id, true, e),
        setFavourite(li, shared.id, true, d),
        createCategory({ name: '并发' }, e),
        updateQuickReply(shared.id, { title: '共用话术' }, d),
      ]);
    } finally {
      await other?.destroy();
    }
    const corp = await listQuickReplies(d);
    expect(corp.map((r) => r.order)).toEqual([1, 2, 3, 4, 5]);
    expect(corp[0]).toMatchObject({ id: shared.id, title: '共用话术', usage: { count: 3 } });
    const mine = (await memberReplies(zhang, {}, membership(d, zhang))).items;
    expect(mine.filter((r) => r.owner === 'personal').map((r) => r.order)).toEqual([1, 2, 3]);
    expect(mine.find((r) => r.id === shared.id)?.favourite).toBe(true);
    expect(
      (await memberReplies(li, {}, membership(d, li))).items.find((r) => r.id === shared.id)?.favourite,
    ).toBe(true);
  });

  describe('import and export', () => {
    const OTHER = 'wwothercorp0000001';
    async function library(d: QuickReplyDeps) {
      const dir = mkdtempSync(path.join(tmpdir(), 'media-'));
      const image = await saveMedia(
        d.corpId,
        'admin01',
        { filename: '海报.png', bytes: PNG },
        { db: d.db!, dataDir: dir },
      );
      const file = await saveMedia(
        d.corpId,
        'admin01',
        { filename: '报价单.pdf', bytes: PDF },
        { db: d.db!, dataDir: dir },
      );
      const cat = await createCategory({ name: '报价' }, d);
      await createQuickReply(
        { kind: 'text', title: '问候, "你好"', text: '=1+2 您好，\n第二行 "引号", 逗号', categoryId: cat.id },
        d,
      );
      await createQuickReply(
        {
          kind: 'news',
          title: '手册',
          news: { link: 'https://e.com/a?x=1,2', title: '产品手册', desc: '介绍' },
          scope: { type: 'groups', chatIds: [VIP, CHANNEL] },
        },
        d,
      );
      await createQuickReply(
        { kind: 'file', title: '报价单', mediaId: file.id, scope: { type: 'single' }, categoryId: cat.id },
        d,
      );
      await createQuickReply(
        {
          kind: 'miniprogram',
          title: '商城',
          miniprogram: {
            appid: 'wx1234567890abcdef',
            page: 'pages/index.html?a=1',
            title: '星河商城',
            coverMediaId: image.id,
          },
        },
        d,
      );
      await createQuickReply(
        {
          kind: 'sequence',
          title: '开场三连',
          parts: [
            { kind: 'text', text: '您好' },
            { kind: 'image', mediaId: image.id },
            { kind: 'news', news: { link: 'https://e.com/b', title: 'B' } },
          ],
        },
        d,
      );
      return { image, file };
    }
    const counts = async (corpId: string) => ({
      replies: (await t.db.selectFrom('quick_replies').select('id').where('corp_id', '=', corpId).execute())
        .length,
      categories: (
        await t.db.selectFrom('reply_categories').select('id').where('corp_id', '=', corpId).execute()
      ).length,
      version:
        (
          await t.db
            .selectFrom('quick_reply_lists')
            .select('version')
            .where('corp_id', '=', corpId)
            .executeTakeFirst()
        )?.version ?? null,
    });
    /** What a reply is, without what differs between corps (ids, media ids, order, category ids). */
    const shape = (items: Awaited<ReturnType<typeof listQuickReplies>>) =>
      items.map((r) =>
        JSON.parse(
          JSON.stringify({ ...r, id: '*', order: 0, usage: null, categoryId: r.categoryId !== null }).replace(
            /"(mediaId|coverMediaId)":"[^"]+"/g,
            '"$1":"*"',
          ),
        ),
      );

    for (const format of ['json', 'csv'] as const) {
      it(`round-trips the library as ${format}, media by file name in another corp, and a re-import changes nothing`, async () => {
        const d = await deps();
        await library(d);
        const exported = await exportLibrary(format, d);
        if (format === 'csv') {
          expect(exported.text.startsWith('\uFEFF"id","title","category","scope"')).toBe(true);
          expect(exported.text).toContain('"报价单.pdf"');
          // A spreadsheet shows a formula-like cell as text.
          expect(exported.text).toContain('"\'=1+2 您好');
        }
        // The same corp: everything is unchanged, and a dry run and a real run both write nothing.
        const before = await counts(CORP);
        expect(await importLibrary(format, exported.text, { dryRun: true }, d)).toEqual({
          dryRun: true,
          created: 0,
          updated: 0,
          unchanged: 5,
          categoriesCreated: 0,
          errors: [],
        });
        expect(await importLibrary(format, exported.text, { dryRun: false }, d)).toMatchObject({
          created: 0,
          updated: 0,
          unchanged: 5,
        });
        expect((await counts(CORP)).replies).toBe(before.replies);

        // Another corp that uploaded the same files: a dry run writes nothing, then the import creates all.
        const other: QuickReplyDeps = { ...d, corpId: OTHER };
        const dir = mkdtempSync(path.join(tmpdir(), 'media-'));
        await saveMedia(OTHER, 'a', { filename: '海报.png', bytes: PNG }, { db: t.db, dataDir: dir });
        await saveMedia(OTHER, 'a', { filename: '报价单.pdf', bytes: PDF }, { db: t.db, dataDir: dir });
        const dry = await importLibrary(format, exported.text, { dryRun: true }, other);
        expect(dry).toEqual({
          dryRun: true,
          created: 5,
          updated: 0,
          unchanged: 0,
          categoriesCreated: 1,
          errors: [],
        });
        expect(await counts(OTHER)).toEqual({ replies: 0, categories: 0, version: null });
        expect(await importLibrary(format, exported.text, { dryRun: false }, other)).toMatchObject({
          created: 5,
          errors: [],
        });
        expect(shape(await listQuickReplies(other))).toEqual(shape(await listQuickReplies(d)));
        expect((await listCategories(other)).map((c) => c.name)).toEqual(['报价']);
        const text = (await listQuickReplies(other))[0];
        expect(text).toMatchObject({ kind: 'text', text: '=1+2 您好，\n第二行 "引号", 逗号' });
        // Its own export imports into it unchanged.
        const again = await exportLibrary(format, other);
        expect(await importLibrary(format, again.text, { dryRun: false }, other)).toMatchObject({
          created: 0,
          updated: 0,
          unchanged: 5,
        });
      });
    }

    it('reports a changed reply as updated and keeps its usage', async () => {
      const d = await deps();
      await library(d);
      const first = (await listQuickReplies(d))[0]!;
      await recordUsage(zhang, first.id, 's1', d);
      const file = JSON.parse((await exportLibrary('json', d)).text);
      file.replies[0].text = '改过的问候';
      file.replies.push({ title: '新的一条', kind: 'text', text: '新' });
      const report = await importLibrary('json', JSON.stringify(file), { dryRun: false }, d);
      expect(report).toMatchObject({ created: 1, updated: 1, unchanged: 4, errors: [] });
      const after = await listQuickReplies(d);
      expect(after[0]).toMatchObject({ id: first.id, text: '改过的问候', usage: { count: 1 } });
      // Without an id, the reply of the same title is the one it updates: importing again changes nothing.
      expect(await importLibrary('json', JSON.stringify(file), { dryRun: false }, d)).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 6,
      });
    });

    it('names each bad row and writes nothing when any row is wrong', async () => {
      const d = await deps();
      await library(d);
      const csv = (await exportLibrary('csv', d)).text.trimEnd().split('\r\n');
      const bad = [
        ...csv,
        '"","新问候","","all","","text","你好","","","","","","","","","","","",""',
        '"","坏图片","","all","","image","","","","","","nosuchmedia01","","","","","","",""',
        '"","坏范围","","groups","not a chat!","text","x","","","","","","","","","","","",""',
        '"","","","all","","text","无标题","","","","","","","","","","","",""',
        '"","坏类型","","all","","audio","","","","","","","","","","","","",""',
        '"","坏序列","","all","","sequence","","","","","","","","","","","","","[{""kind"":""text"""',
      ].join('\r\n');
      const before = await counts(CORP);
      const dry = await importLibrary('csv', bad, { dryRun: true }, d);
      expect(dry.errors.map((e) => e.row)).toEqual([8, 9, 10, 11, 12]);
      expect(dry.errors[0]!.message).toContain('素材不存在');
      expect(dry.errors[0]!.message).toContain('No such media');
      expect(dry).toMatchObject({ created: 1, unchanged: 5 });
      const real = await importLibrary('csv', bad, { dryRun: false }, d);
      expect(real.errors).toHaveLength(5);
      expect(await counts(CORP)).toEqual(before);
      // A file that is not CSV at all is a 400.
      expect((await failure(importLibrary('csv', '"id,"title\n"x', { dryRun: true }, d)))?.status).toBe(400);
      expect((await failure(importLibrary('json', '{"replies": 5}', { dryRun: true }, d)))?.status).toBe(400);
    });
  });
});
