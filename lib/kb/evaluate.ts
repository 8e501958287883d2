import type { SearchIndex, IndexablePassage } from './search-index';

/** Scores retrieval against an evaluation set (bench/kb-eval.json): recall@1, recall@3 and declined share. */

export interface EvalQuestion {
  q: string;
  kind: 'verbatim' | 'paraphrase' | 'colloquial' | 'unanswerable';
  /** Passage keys '<document code>:<heading or FAQ question>' that answer it; empty when unanswerable. */
  expect: string[];
}

export interface EvalSet {
  documents: Record<string, string>;
  questions: EvalQuestion[];
}

export interface EvalResult {
  answerable: number;
  unanswerable: number;
  recallAt1: number;
  recallAt3: number;
  /** Share of unanswerable questions that were declined. */
  declined: number;
  /** Share of answerable questions wrongly declined. */
  falselyDeclined: number;
  misses: Array<{ q: string; kind: string; got: string[]; answerable: boolean }>;
}

export function passageKey(set: EvalSet, p: IndexablePassage): string {
  const code = Object.entries(set.documents).find(([, title]) => title === p.title)?.[0] ?? p.title;
  return `${code}:${p.question ?? p.heading}`;
}

export function evaluate(index: SearchIndex, set: EvalSet): EvalResult {
  let at1 = 0;
  let at3 = 0;
  let declined = 0;
  let falselyDeclined = 0;
  const misses: EvalResult['misses'] = [];
  const answerable = set.questions.filter((q) => q.kind !== 'unanswerable');
  const unanswerable = set.questions.filter((q) => q.kind === 'unanswerable');
  for (const item of set.questions) {
    const outcome = index.search(item.q, 3);
    const keys = outcome.hits.map((h) => passageKey(set, h.passage));
    if (item.kind === 'unanswerable') {
      if (!outcome.answerable) declined++;
      else misses.push({ q: item.q, kind: item.kind, got: keys, answerable: true });
      continue;
    }
    if (!outcome.answerable) falselyDeclined++;
    const first = keys.findIndex((k) => item.expect.includes(k));
    if (first === 0) at1++;
    if (first >= 0 && first < 3) at3++;
    else misses.push({ q: item.q, kind: item.kind, got: keys, answerable: outcome.answerable });
  }
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recallAt1: at1 / (answerable.length || 1),
    recallAt3: at3 / (answerable.length || 1),
    declined: declined / (unanswerable.length || 1),
    falselyDeclined: falselyDeclined / (answerable.length || 1),
    misses,
  };
}
