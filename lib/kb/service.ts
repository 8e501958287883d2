import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { Analyzer } from './analyzer';
import { DEMO_FILES, DEMO_SYNONYMS } from './demo';
import { decodeVector, embed, encodeVector, type EmbeddingSettings } from './embeddings';
import { KnowledgeError } from './errors';
import { KB_LIMITS } from './limits';
import { parseDocument, type DocumentKind, type ParsedDocument } from './parse';
import { passageTerms, SearchIndex, type IndexablePassage, type SearchOutcome } from './search-index';
import type { SplitPassage } from './split';
import { formatSynonyms, parseSynonyms } from './synonyms';

/**
 * The knowledge base of each corp, stored through Kysely (SQLite or PostgreSQL) and searched in memory.
 *
 * Why an in-process index rebuilt from the database, rather than postings in tables: BM25 needs corpus-wide
 * statistics (document frequencies, average length) at query time, which in SQL would be an aggregate per query
 * term on every search; neither SQLite FTS5 nor PostgreSQL tsvector segments Chinese or agrees with the other.
 * Here each passage's terms are computed once when stored (kb_passages.*_terms); every change bumps
 * kb_state.version; before each search an instance compares that version with the one its index was built at
 * and rebuilds from the stored terms when they differ (one-flight per corp). So several instances behind a load
 * balancer answer from the same data, and the check costs one primary-key read.
 */

export interface KbDeps {
  db: Db;
  corpId: string;
  /** Demo mode: a corp's first use seeds the demo knowledge base (product manual, price list, policy, FAQ). */
  seedDemo?: boolean;
  /** When set, passages and questions get embeddings that are combined with the lexical score. */
  embeddings?: EmbeddingSettings;
  now?: () => number;
}

/** Embeddings of these texts, or nulls when none are configured or the endpoint fails (lexical still works). */
async function vectorsFor(deps: KbDeps, texts: string[]): Promise<Array<Float32Array | null>> {
  if (!deps.embeddings || texts.length === 0) return texts.map(() => null);
  try {
    return await embed(deps.embeddings, texts);
  } catch {
    return texts.map(() => null);
  }
}

export interface DocumentSummary {
  id: number;
  title: string;
  kind: DocumentKind;
  fileName: string | null;
  passages: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

const clock = (deps: KbDeps) => (deps.now ?? Date.now)();

function tooManyPassages(limit: number, scope: 'document' | 'corp'): KnowledgeError {
  return scope === 'document'
    ? new KnowledgeError(
        400,
        'too_many_passages',
        `文档拆分后超过 ${limit} 个段落，请拆成几个文件上传。`,
        `The document splits into more than ${limit} passages; upload it as several files.`,
      )
    : new KnowledgeError(
        400,
        'knowledge_base_full',
        `知识库最多 ${limit} 个段落，请先删除不再需要的文档。`,
        `The knowledge base holds at most ${limit} passages; delete documents you no longer need first.`,
      );
}

export function fileTooLarge(): KnowledgeError {
  return new KnowledgeError(
    413,
    'file_too_large',
    `文件超过 ${KB_LIMITS.maxFileBytes / 1024 / 1024} MB 上限。`,
    `The file is larger than the ${KB_LIMITS.maxFileBytes / 1024 / 1024} MB limit.`,
  );
}

function notFound(): KnowledgeError {
  return new KnowledgeError(404, 'document_not_found', '文档不存在。', 'No such document.');
}

// ---------------------------------------------------------------------------------------------------------------
// State, seeding, analyzer

async function ensureState(deps: KbDeps): Promise<{ version: number; synonyms: string }> {
  const row = await deps.db
    .selectFrom('kb_state')
    .select(['version', 'synonyms'])
    .where('corp_id', '=', deps.corpId)
    .executeTakeFirst();
  if (row) return { version: Number(row.version), synonyms: row.synonyms };
  const synonyms = deps.seedDemo ? DEMO_SYNONYMS : '';
  const inserted = await deps.db
    .insertInto('kb_state')
    .values({ corp_id: deps.corpId, version: 1, synonyms, updated_at: clock(deps) })
    .onConflict((oc) => oc.column('corp_id').doNothing())
    .executeTakeFirst();
  if (deps.seedDemo && Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    for (const file of DEMO_FILES) {
      const parsed = await parseDocument(file.fileName, new TextEncoder().encode(file.content), file.title);
      await insertDocument(deps, parsed, file.fileName, 'system');
    }
  }
  return ensureState(deps);
}

async function bump(db: Db, corpId: string, now: number): Promise<void> {
  await db
    .updateTable('kb_state')
    .set({ version: sql<number>`version + 1`, updated_at: now })
    .where('corp_id', '=', corpId)
    .execute();
}

const analyzers = new Map<string, Analyzer>();

function analyzerFor(synonyms: string): Analyzer {
  let a = analyzers.get(synonyms);
  if (!a) {
    a = new Analyzer(parseSynonyms(synonyms).groups);
    if (analyzers.size > 100) analyzers.clear();
    analyzers.set(synonyms, a);
  }
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

async function insertDocument(
  deps: KbDeps,
  parsed: ParsedDocument,
  fileName: string | null,
  userId: string,
  replaceId?: number,
): Promise<DocumentSummary> {
  if (parsed.passages.length === 0) {
    throw new KnowledgeError(
      400,
      'empty_document',
      '文档中没有可用的文字内容。',
      'The document has no usable text.',
    );
  }
  if (parsed.passages.length > KB_LIMITS.maxPassagesPerDocument) {
    throw tooManyPassages(KB_LIMITS.maxPassagesPerDocument, 'document');
  }
  const state = await deps.db
    .selectFrom('kb_state')
    .select('synonyms')
    .where('corp_id', '=', deps.corpId)
    .executeTakeFirstOrThrow();
  const analyzer = analyzerFor(state.synonyms);
  const vectors = await vectorsFor(
    deps,
    parsed.passages.map((p) => [p.heading, p.question, p.text].filter(Boolean).join('\n')),
  );
  const now = clock(deps);
  return deps.db.transaction().execute(async (trx) => {
    const counted = await trx
      .selectFrom('kb_passages')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('corp_id', '=', deps.corpId)
      .$if(replaceId !== undefined, (q) => q.where('document_id', '!=', replaceId!))
      .executeTakeFirstOrThrow();
    if (Number(counted.n) + parsed.passages.length > KB_LIMITS.maxPassagesPerCorp) {
      throw tooManyPassages(KB_LIMITS.maxPassagesPerCorp, 'corp');
    }
    let id: number;
    let createdAt = now;
    let createdBy = userId;
    if (replaceId !== undefined) {
      const existing = await trx
        .selectFrom('kb_documents')
        .select(['created_at', 'created_by'])
        .where('corp_id', '=', deps.corpId)
        .where('id', '=', replaceId)
        .executeTakeFirst();
      if (!existing) throw notFound();
      createdAt = Number(existing.created_at);
      createdBy = existing.created_by;
      await trx
        .deleteFrom('kb_passages')
        .where('corp_id', '=', deps.corpId)
        .where('document_id', '=', replaceId)
        .execute();
      await trx
        .updateTable('kb_documents')
        .set({
          title: parsed.title,
          kind: parsed.kind,
          file_name: fileName,
          passage_count: parsed.passages.length,
          updated_at: now,
        })
        .where('corp_id', '=', deps.corpId)
        .where('id', '=', replaceId)
        .execute();
      id = replaceId;
    } else {
      const row = await trx
        .insertInto('kb_documents')
        .values({
          corp_id: deps.corpId,
          title: parsed.title,
          kind: parsed.kind,
          file_name: fileName,
          passage_count: parsed.passages.length,
          created_by: userId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
    }
    const rows = parsed.passages.map((p: SplitPassage, position) => {
      const terms = passageTerms(analyzer, p);
      return {
        corp_id: deps.corpId,
        document_id: id,
        position,
        heading: p.heading,
        question: p.question,
        text: p.text,
        source: p.source,
        heading_terms: terms.heading,
        question_terms: terms.question,
        text_terms: terms.text,
        embedding: vectors[position] ? encodeVector(vectors[position]) : null,
      };
    });
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('kb_passages')
        .values(rows.slice(i, i + 200))
        .execute();
    await bump(trx, deps.corpId, now);
    return {
      id,
      title: parsed.title,
      kind: parsed.kind,
      fileName,
      passages: parsed.passages.length,
      createdBy,
      createdAt,
      updatedAt: now,
    };
  });
}

export async function addFile(
  deps: KbDeps,
  file: { name: string; bytes: Uint8Array },
  userId: string,
  options: { title?: string; replaceId?: number } = {},
): Promise<DocumentSummary> {
  if (file.bytes.byteLength > KB_LIMITS.maxFileBytes) throw fileTooLarge();
  await ensureState(deps);
  const parsed = await parseDocument(file.name, file.bytes, options.title);
  return insertDocument(deps, parsed, file.name.replace(/^.*[\\/]/, ''), userId, options.replaceId);
}

export async function addQa(
  deps: KbDeps,
  qa: { title?: string; question: string; answer: string },
  userId: string,
  replaceId?: number,
): Promise<DocumentSummary> {
  await ensureState(deps);
  const question = qa.question.trim();
  const parsed: ParsedDocument = {
    kind: 'qa',
    title: (qa.title?.trim() || question).slice(0, KB_LIMITS.maxTitleChars),
    passages: [{ heading: '', question, text: qa.answer.trim(), source: '问答对' }],
  };
  return insertDocument(deps, parsed, null, userId, replaceId);
}

export async function listDocuments(deps: KbDeps): Promise<DocumentSummary[]> {
  await ensureState(deps);
  const rows = await deps.db
    .selectFrom('kb_documents')
    .selectAll()
    .where('corp_id', '=', deps.corpId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    kind: r.kind as DocumentKind,
    fileName: r.file_name,
    passages: r.passage_count,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }));
}

export async function getDocument(deps: KbDeps, id: number) {
  const doc = (await listDocuments(deps)).find((d) => d.id === id);
  if (!doc) throw notFound();
  const passages = await deps.db
    .selectFrom('kb_passages')
    .select(['id', 'position', 'heading', 'question', 'text', 'source'])
    .where('corp_id', '=', deps.corpId)
    .where('document_id', '=', id)
    .orderBy('position')
    .execute();
  return { ...doc, items: passages.map((p) => ({ ...p, id: Number(p.id) })) };
}

export async function deleteDocument(deps: KbDeps, id: number): Promise<void> {
  await ensureState(deps);
  await deps.db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom('kb_documents')
      .where('corp_id', '=', deps.corpId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) throw notFound();
    await trx
      .deleteFrom('kb_passages')
      .where('corp_id', '=', deps.corpId)
      .where('document_id', '=', id)
      .execute();
    await bump(trx, deps.corpId, clock(deps));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Synonyms

export async function getSynonyms(deps: KbDeps): Promise<string> {
  return (await ensureState(deps)).synonyms;
}

/** Saves the corp's synonym list and re-indexes its passages with it. */
export async function setSynonyms(deps: KbDeps, text: string): Promise<string> {
  await ensureState(deps);
  const { groups, invalidLines } = parseSynonyms(text);
  if (invalidLines.length > 0) {
    throw new KnowledgeError(
      400,
      'invalid_synonyms',
      `第 ${invalidLines.join('、')} 行无效：每行至少两个词，用 = 分隔，每个词不超过 20 个字。`,
      `Line ${invalidLines.join(', ')} is not valid: each line needs two or more words separated by =, each at most 20 characters.`,
    );
  }
  if (groups.length > 500) {
    throw new KnowledgeError(400, 'too_many_synonyms', '同义词最多 500 行。', 'At most 500 synonym lines.');
  }
  const saved = formatSynonyms(groups);
  const analyzer = analyzerFor(saved);
  await deps.db.transaction().execute(async (trx) => {
    const passages = await trx
      .selectFrom('kb_passages')
      .select(['id', 'heading', 'question', 'text'])
      .where('corp_id', '=', deps.corpId)
      .execute();
    for (const p of passages) {
      const terms = passageTerms(analyzer, p);
      await trx
        .updateTable('kb_passages')
        .set({ heading_terms: terms.heading, question_terms: terms.question, text_terms: terms.text })
        .where('id', '=', p.id)
        .execute();
    }
    await trx
      .updateTable('kb_state')
      .set({ synonyms: saved, version: sql<number>`version + 1`, updated_at: clock(deps) })
      .where('corp_id', '=', deps.corpId)
      .execute();
  });
  return saved;
}

// ---------------------------------------------------------------------------------------------------------------
// Search

interface CachedIndex {
  version: number;
  index: SearchIndex;
}

const KEY = Symbol.for('wecom-sidebar.kb-indexes');
const holder = globalThis as typeof globalThis & {
  [KEY]?: { indexes: Map<string, CachedIndex>; building: Map<string, Promise<CachedIndex>> };
};
const cache = (holder[KEY] ??= { indexes: new Map(), building: new Map() });

async function buildIndex(deps: KbDeps, version: number, synonyms: string): Promise<CachedIndex> {
  const rows = await deps.db
    .selectFrom('kb_passages')
    .innerJoin('kb_documents', 'kb_documents.id', 'kb_passages.document_id')
    .select([
      'kb_passages.id',
      'kb_passages.document_id',
      'kb_documents.title',
      'kb_passages.heading',
      'kb_passages.question',
      'kb_passages.text',
      'kb_passages.source',
      'kb_passages.heading_terms',
      'kb_passages.question_terms',
      'kb_passages.text_terms',
      'kb_passages.embedding',
    ])
    .where('kb_passages.corp_id', '=', deps.corpId)
    .where('kb_documents.corp_id', '=', deps.corpId)
    .orderBy('kb_passages.document_id')
    .orderBy('kb_passages.position')
    .execute();
  const passages: IndexablePassage[] = rows.map((r) => ({
    id: Number(r.id),
    documentId: Number(r.document_id),
    title: r.title,
    heading: r.heading,
    question: r.question,
    text: r.text,
    source: r.source,
    terms: { heading: r.heading_terms, question: r.question_terms, text: r.text_terms },
    vector: decodeVector(r.embedding),
  }));
  return { version, index: new SearchIndex(analyzerFor(synonyms), passages) };
}

/** The corp's index at the current version of its knowledge base. */
export async function indexFor(deps: KbDeps): Promise<SearchIndex> {
  const { version, synonyms } = await ensureState(deps);
  const cached = cache.indexes.get(deps.corpId);
  if (cached && cached.version === version) return cached.index;
  const key = `${deps.corpId}@${version}`;
  let pending = cache.building.get(key);
  if (!pending) {
    pending = buildIndex(deps, version, synonyms).finally(() => cache.building.delete(key));
    cache.building.set(key, pending);
  }
  const built = await pending;
  const current = cache.indexes.get(deps.corpId);
  if (!current || current.version < built.version) cache.indexes.set(deps.corpId, built);
  return built.index;
}

export interface SearchResult {
  passageId: number;
  documentId: number;
  title: string;
  heading: string;
  question: string | null;
  text: string;
  source: string;
  score: number;
  highlights: Array<[number, number]>;
}

export function toResults(outcome: SearchOutcome): SearchResult[] {
  return outcome.hits.map((h) => ({
    passageId: h.passage.id,
    documentId: h.passage.documentId,
    title: h.passage.title,
    heading: h.passage.heading,
    question: h.passage.question,
    text: h.passage.text,
    source: h.passage.source,
    score: Math.round(h.score * 1000) / 1000,
    highlights: h.highlights,
  }));
}

export async function search(deps: KbDeps, question: string, limit = 5): Promise<SearchOutcome> {
  const index = await indexFor(deps);
  const [vector] = await vectorsFor(deps, [question]);
  return index.search(question, limit, vector);
}

// ---------------------------------------------------------------------------------------------------------------
// Questions asked, feedback, learning from use

export async function recordQuery(
  deps: KbDeps,
  userId: string,
  question: string,
  outcome: SearchOutcome,
): Promise<number> {
  const row = await deps.db
    .insertInto('kb_queries')
    .values({
      corp_id: deps.corpId,
      userid: userId,
      question: question.trim().slice(0, KB_LIMITS.maxQuestionChars),
      answerable: outcome.answerable ? 1 : 0,
      top_passage_id: outcome.hits[0]?.passage.id ?? null,
      feedback: null,
      resolved_at: null,
      created_at: clock(deps),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A member's 👍 (true) or 👎 (false) on one of their own questions. */
export async function setFeedback(
  deps: KbDeps,
  userId: string,
  queryId: number,
  helpful: boolean,
): Promise<void> {
  const r = await deps.db
    .updateTable('kb_queries')
    .set({ feedback: helpful ? 1 : -1 })
    .where('corp_id', '=', deps.corpId)
    .where('userid', '=', userId)
    .where('id', '=', queryId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    throw new KnowledgeError(404, 'question_not_found', '找不到这个提问。', 'No such question.');
  }
}

/** The member's own recent questions, newest first, each once. */
export async function recentQuestions(deps: KbDeps, userId: string, limit = 10): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('kb_queries')
    .select(['question'])
    .where('corp_id', '=', deps.corpId)
    .where('userid', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit * 5)
    .execute();
  return [...new Set(rows.map((r) => r.question))].slice(0, limit);
}

export interface OpenQuestion {
  id: number;
  question: string;
  userId: string;
  reason: 'unanswered' | 'disliked';
  createdAt: number;
}

/** Questions that found nothing or got 👎, not yet resolved, newest first. */
export async function openQuestions(deps: KbDeps, limit = 100): Promise<OpenQuestion[]> {
  const rows = await deps.db
    .selectFrom('kb_queries')
    .select(['id', 'question', 'userid', 'answerable', 'feedback', 'created_at'])
    .where('corp_id', '=', deps.corpId)
    .where('resolved_at', 'is', null)
    .where((eb) => eb.or([eb('answerable', '=', 0), eb('feedback', '=', -1)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    question: r.question,
    userId: r.userid,
    reason: r.feedback === -1 ? 'disliked' : 'unanswered',
    createdAt: Number(r.created_at),
  }));
}

/** Turns an open question into a Q&A pair (one step) and marks every open copy of that question resolved. */
export async function resolveQuestion(
  deps: KbDeps,
  queryId: number,
  answer: { question?: string; answer: string } | null,
  userId: string,
): Promise<DocumentSummary | null> {
  const q = await deps.db
    .selectFrom('kb_queries')
    .select(['question'])
    .where('corp_id', '=', deps.corpId)
    .where('id', '=', queryId)
    .executeTakeFirst();
  if (!q) throw new KnowledgeError(404, 'question_not_found', '找不到这个提问。', 'No such question.');
  const doc = answer
    ? await addQa(deps, { question: answer.question ?? q.question, answer: answer.answer }, userId)
    : null;
  await deps.db
    .updateTable('kb_queries')
    .set({ resolved_at: clock(deps) })
    .where('corp_id', '=', deps.corpId)
    .where('question', '=', q.question)
    .where('resolved_at', 'is', null)
    .execute();
  return doc;
}
