import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator/index';
import { emulatorControl } from '@/emulator/control-client';
import { answerStream, type AnswerEvent, type LlmSettings } from '@/lib/kb/answer';
import { KnowledgeError } from '@/lib/kb/errors';
import { KB_LIMITS } from '@/lib/kb/limits';
import {
  addFile,
  addQa,
  deleteDocument,
  getSynonyms,
  listDocuments,
  openQuestions,
  recentQuestions,
  recordQuery,
  resolveQuestion,
  search,
  setFeedback,
  setSynonyms,
  type KbDeps,
} from '@/lib/kb/service';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

const kinds = await databaseKinds();
const utf8 = (s: string) => new TextEncoder().encode(s);

async function failure(p: Promise<unknown>): Promise<KnowledgeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KnowledgeError) return err;
    throw err;
  }
  throw new Error('expected a KnowledgeError');
}

describe.each(kinds)('knowledge base storage on %s', (kind) => {
  let t: TestDatabase;
  let a: KbDeps;
  let b: KbDeps;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    a = { db: t.db, corpId: 'wwcorpA' };
    b = { db: t.db, corpId: 'wwcorpB' };
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores an upload split into passages with source and position, and finds it', async () => {
    const doc = await addFile(
      a,
      {
        name: 'policy.md',
        bytes: utf8(
          '# 售后\n\n## 退款\n\n七天内无理由退款。\n\n## 发票\n\n付款后五个工作日内开具电子发票。\n',
        ),
      },
      'zhangwei',
    );
    expect(doc).toMatchObject({ title: '售后', kind: 'markdown', passages: 2, fileName: 'policy.md' });
    const outcome = await search(a, '能退钱不');
    expect(outcome.answerable).toBe(true);
    expect(outcome.hits[0]!.passage).toMatchObject({
      documentId: doc.id,
      title: '售后',
      heading: '退款',
      source: '第 5 行',
    });
  });

  it('keeps each corp to its own knowledge base', async () => {
    expect((await search(b, '退款')).hits).toEqual([]);
    await addQa(b, { question: '工牌保修多久？', answer: '一年。' }, 'lisi');
    expect((await search(a, '工牌保修')).hits.every((h) => h.passage.title !== '工牌保修多久？')).toBe(true);
    expect((await listDocuments(b)).map((d) => d.title)).toEqual(['工牌保修多久？']);
    await expect(deleteDocument(b, (await listDocuments(a))[0]!.id)).rejects.toMatchObject({ status: 404 });
  });

  it('re-indexes on edit and on delete', async () => {
    const qa = await addQa(a, { question: '支持分期付款吗？', answer: '支持两期。' }, 'zhangwei');
    expect((await search(a, '分期付款')).hits[0]!.passage.text).toBe('支持两期。');
    await addQa(a, { question: '支持分期付款吗？', answer: '支持三期。' }, 'zhangwei', qa.id);
    expect((await search(a, '分期付款')).hits[0]!.passage.text).toBe('支持三期。');
    await deleteDocument(a, qa.id);
    expect((await search(a, '分期付款')).hits.map((h) => h.passage.text)).not.toContain('支持三期。');
  });

  it('a new instance (its own index cache) sees changes through the version stamp', async () => {
    const other: KbDeps = { db: t.db, corpId: 'wwcorpA' };
    await addQa(a, { question: '有没有年会门票？', answer: '没有。' }, 'zhangwei');
    expect((await search(other, '年会门票')).hits[0]!.passage.text).toBe('没有。');
  });

  it('synonyms saved by the admin re-index the passages', async () => {
    expect((await search(a, '报销凭证怎么给')).answerable).toBe(false);
    await setSynonyms(a, '发票 = 报销凭证');
    expect(await getSynonyms(a)).toBe('发票 = 报销凭证');
    const outcome = await search(a, '报销凭证怎么给');
    expect(outcome.answerable).toBe(true);
    expect(outcome.hits[0]!.passage.heading).toBe('发票');
    expect((await failure(setSynonyms(a, '只有一个词'))).code).toBe('invalid_synonyms');
  });

  it('states and enforces its limits: 413 for a large file, 400 for an empty one or an unknown type', async () => {
    const big = new Uint8Array(KB_LIMITS.maxFileBytes + 1).fill(0x61);
    expect((await failure(addFile(a, { name: 'big.txt', bytes: big }, 'zhangwei'))).status).toBe(413);
    expect((await failure(addFile(a, { name: 'empty.txt', bytes: utf8('\n\n') }, 'zhangwei'))).code).toBe(
      'empty_document',
    );
    expect((await failure(addFile(a, { name: 'x.exe', bytes: utf8('MZ') }, 'zhangwei'))).status).toBe(400);
  });

  it('records questions, takes 👍/👎 from their asker only, and turns an open one into a Q&A pair', async () => {
    const miss = await search(a, '你们有停车位吗');
    const q1 = await recordQuery(a, 'wangfang', '你们有停车位吗', miss);
    const hit = await search(a, '退款');
    const q2 = await recordQuery(a, 'wangfang', '退款', hit);
    await setFeedback(a, 'wangfang', q2, false);
    await expect(setFeedback(a, 'someoneelse', q2, true)).rejects.toMatchObject({ status: 404 });
    await expect(setFeedback(b, 'wangfang', q2, true)).rejects.toMatchObject({ status: 404 });
    expect(await recentQuestions(a, 'wangfang')).toEqual(['退款', '你们有停车位吗']);
    const open = await openQuestions(a);
    expect(open.map((o) => [o.question, o.reason])).toEqual([
      ['退款', 'disliked'],
      ['你们有停车位吗', 'unanswered'],
    ]);
    expect(await openQuestions(b)).toEqual([]);
    const doc = await resolveQuestion(a, q1, { answer: '园区有 50 个访客车位。' }, 'zhangwei');
    expect(doc).toMatchObject({ kind: 'qa', title: '你们有停车位吗' });
    expect((await openQuestions(a)).map((o) => o.question)).toEqual(['退款']);
    const found = await search(a, '有停车位吗');
    expect(found.answerable).toBe(true);
    expect(found.hits[0]!.passage.text).toBe('园区有 50 个访客车位。');
  });

  it('demo mode seeds the demo knowledge base once per corp', async () => {
    const demo: KbDeps = { db: t.db, corpId: 'wwdemo', seedDemo: true };
    const docs = await listDocuments(demo);
    expect(docs.map((d) => d.title).sort()).toEqual(
      ['常见问题', '星河客户云产品手册', '星河客户云价格表（2026 年版）', '星河客户云售后服务政策'].sort(),
    );
    expect((await listDocuments(demo)).length).toBe(4);
    expect((await search(demo, '开票要几天')).answerable).toBe(true);
  });
});

describe('generated answers against the emulated model over HTTP', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let llm: LlmSettings;
  let t: TestDatabase;
  let deps: KbDeps;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    llm = {
      baseUrl: `${emu.url}/llm/v1`,
      apiKey: 'sk-emulated-demo-key',
      model: 'xinghe-emulated-chat',
      timeoutMs: 5000,
    };
    t = await createTestDatabase('sqlite');
    deps = { db: t.db, corpId: 'wwdemo', seedDemo: true };
  });
  afterAll(async () => {
    await emu.close();
    await t.drop();
  });
  const run = async (q: string, settings: LlmSettings | undefined) => {
    const events: AnswerEvent[] = [];
    for await (const e of answerStream(q, await search(deps, q), settings)) events.push(e);
    return events;
  };
  const calls = () => emulatorControl(emu.url).counter('llm/chat/completions');

  it('streams an answer grounded in the passages, with citations, sending only question and passages', async () => {
    const events = await run('工牌保修多久？', llm);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.text).toMatch(/保修 1 年/);
    expect(done.citations.length).toBeGreaterThan(0);
    const sent = (await emulatorControl(emu.url).llmRequests()).at(-1)!.messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent[1]!.content).toMatch(/^问题：工牌保修多久？\n\n资料：\n\[1\] /);
  });

  it('declines without calling the model when nothing is relevant', async () => {
    const before = await calls();
    const events = await run('你们老板叫什么名字', llm);
    expect(events).toEqual([expect.objectContaining({ type: 'declined' })]);
    expect(await calls()).toBe(before);
  });

  it('falls back to the passages on a timeout and on a model error', async () => {
    const fault = (body: { latencyMs?: number; httpStatus?: number; drop?: boolean }) =>
      emulatorControl(emu.url).fault({ api: 'llm/chat/completions', times: 1, ...body });
    await fault({ latencyMs: 1500 });
    const slow = await run('可以开发票吗', { ...llm, timeoutMs: 300 });
    expect(slow.at(-1)).toMatchObject({ type: 'fallback', reason: 'timeout' });
    await fault({ httpStatus: 502 });
    const broken = await run('可以开发票吗', llm);
    expect(broken.at(-1)).toMatchObject({ type: 'fallback', reason: 'error' });
    expect(await run('可以开发票吗', undefined)).toEqual([
      expect.objectContaining({ type: 'fallback', reason: 'not_configured' }),
    ]);
  });
});

describe('embeddings combined with lexical scores (emulated endpoint over HTTP)', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let t: TestDatabase;
  let deps: KbDeps;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    t = await createTestDatabase('sqlite');
    deps = {
      db: t.db,
      corpId: 'wwvec',
      embeddings: {
        baseUrl: `${emu.url}/llm/v1`,
        apiKey: 'sk-emulated-demo-key',
        model: 'xinghe-emulated-embedding',
        timeoutMs: 3000,
      },
    };
  });
  afterAll(async () => {
    await emu.close();
    await t.drop();
  });

  it('stores a vector per passage and ranks with both; a failing endpoint leaves lexical retrieval working', async () => {
    await addFile(
      deps,
      {
        name: 'faq.csv',
        bytes: utf8('问题,答案\n工牌保修多久？,保修一年。\n专业版多少钱？,每个账号每年 1,200 元。\n'),
      },
      'zhangwei',
    );
    const stored = await t.db
      .selectFrom('kb_passages')
      .select(['embedding'])
      .where('corp_id', '=', 'wwvec')
      .execute();
    expect(stored.every((r) => typeof r.embedding === 'string' && r.embedding.length > 100)).toBe(true);
    const before = (await (await fetch(`${emu.url}/wecom-emulator/state`)).json()) as {
      counters: Record<string, number>;
    };
    const hit = await search(deps, '工牌保修期');
    expect(hit.hits[0]!.passage.text).toBe('保修一年。');
    expect(hit.hits[0]!.score).toBeLessThanOrEqual(1);
    const after = (await (await fetch(`${emu.url}/wecom-emulator/state`)).json()) as {
      counters: Record<string, number>;
    };
    expect(after.counters['llm/embeddings']).toBe((before.counters['llm/embeddings'] ?? 0) + 1);

    await fetch(`${emu.url}/wecom-emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api: 'llm/embeddings', httpStatus: 500, times: 1 }),
    });
    const lexical = await search(deps, '工牌保修期');
    expect(lexical.hits[0]!.passage.text).toBe('保修一年。');
    expect(lexical.hits[0]!.score).toBeGreaterThan(1);
  });
});
