/**
 * Knowledge-base retrieval quality and speed: recall@1, recall@3 and the declined share over the evaluation set
 * (bench/kb-eval.json) on the demo knowledge base, and search latency over an index of 10,000 passages (the demo
 * passages plus generated ones built from the demo sentences with other nouns and numbers, so that the postings
 * of common words are long). Runs in this process: the time is what a search costs the server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { demoAnalyzer, demoIndex, demoPassages } from '../lib/kb/demo-index';
import { evaluate, type EvalSet } from '../lib/kb/evaluate';
import { passageTerms, SearchIndex, type IndexablePassage } from '../lib/kb/search-index';
import { prng } from './prng';

export interface KbResult {
  questions: number;
  answerable: number;
  unanswerable: number;
  recallAt1: number;
  recallAt3: number;
  declined: number;
  falselyDeclined: number;
  passages: number;
  buildMs: number;
  searches: number;
  p50Ms: number;
  p95Ms: number;
}

const TARGET_PASSAGES = 10_000;
const ROUNDS = 5;

function nouns(): string[] {
  const require = createRequire(import.meta.url);
  const dictPath = require.resolve('@node-rs/jieba/dict.txt');
  return readFileSync(dictPath, 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([w, f, tag]) => w && w.length >= 2 && tag === 'n' && Number(f) > 500)
    .map(([w]) => w!);
}

export function syntheticPassages(base: readonly IndexablePassage[], count: number): IndexablePassage[] {
  const rand = prng(14);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const pool = nouns();
  const sentences = base.flatMap((p) => p.text.split(/(?<=[。；！？])/)).filter((s) => s.length > 8);
  const out: IndexablePassage[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const n = 2 + Math.floor(rand() * 4);
    for (let k = 0; k < n; k++) {
      parts.push(
        pick(sentences)
          .replace(/\d+/g, () => String(Math.floor(rand() * 1000)))
          .replace(/[\u4e00-\u9fff]{2}/g, (m) => (rand() < 0.3 ? pick(pool) : m)),
      );
    }
    out.push({
      id: 100_000 + i,
      documentId: 1000 + Math.floor(i / 50),
      title: `资料 ${Math.floor(i / 50) + 1}`,
      heading: `${pick(pool)}${pick(pool)}`,
      text: parts.join(''),
      question: rand() < 0.1 ? `${pick(pool)}怎么${pick(pool)}？` : null,
      source: `第 ${i % 50} 节`,
    });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function measureKnowledgeBase(evalFile = 'bench/kb-eval.json'): Promise<KbResult> {
  const set = JSON.parse(readFileSync(evalFile, 'utf8')) as EvalSet;
  const quality = evaluate(await demoIndex(), set);

  const base = await demoPassages();
  const all = [...base, ...syntheticPassages(base, TARGET_PASSAGES - base.length)];
  const analyzer = demoAnalyzer();
  // Terms are computed once when a passage is stored; a rebuild (after an edit, or on another instance) reads them.
  const stored = all.map((p) => ({ ...p, terms: passageTerms(analyzer, p) }));
  const started = performance.now();
  const big = new SearchIndex(analyzer, stored);
  const buildMs = performance.now() - started;

  for (const q of set.questions) big.search(q.q, 5); // warm-up
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of set.questions) {
      const t = performance.now();
      big.search(q.q, 5);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return {
    questions: set.questions.length,
    answerable: quality.answerable,
    unanswerable: quality.unanswerable,
    recallAt1: quality.recallAt1,
    recallAt3: quality.recallAt3,
    declined: quality.declined,
    falselyDeclined: quality.falselyDeclined,
    passages: big.size,
    buildMs,
    searches: times.length,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
  };
}
