import { specificity, type Analyzer } from './analyzer';
import { normalize } from './normalize';

/**
 * BM25 over passages (title, heading, text) and FAQ questions, held in memory per corp and rebuilt from the
 * database when that corp's knowledge base changes (see lib/kb/service.ts for why). Field weights make a match
 * in an FAQ question or a heading count more than one in running text.
 */

export interface IndexablePassage {
  id: number;
  documentId: number;
  /** Document title. */
  title: string;
  /** Section heading path inside the document ("" when none). */
  heading: string;
  text: string;
  /** The question of an FAQ row or a typed Q&A pair. */
  question: string | null;
  /** Where in the source it came from, e.g. "第 3 页", "第 12 行", "第 4 段". */
  source: string;
  /** Index terms computed when the passage was stored (see passageTerms); computed here when absent. */
  terms?: PassageTerms;
  /** Unit-length embedding, when an embedding model is configured (lib/kb/embeddings.ts). */
  vector?: Float32Array | null;
}

/** A passage's index terms per field, space-separated as stored in the database. */
export interface PassageTerms {
  heading: string;
  question: string;
  text: string;
}

export function passageTerms(
  analyzer: Analyzer,
  p: Pick<IndexablePassage, 'heading' | 'question' | 'text'>,
): PassageTerms {
  return {
    heading: analyzer.terms(p.heading).join(' '),
    question: p.question ? analyzer.terms(p.question).join(' ') : '',
    text: analyzer.terms(p.text).join(' '),
  };
}

const split = (terms: string) => (terms ? terms.split(' ') : []);

export interface SearchHit {
  passage: IndexablePassage;
  score: number;
  /** Share (0–1) of the question's weighted words that the passage contains. */
  coverage: number;
  /** [start, end) ranges in passage.text of the words that matched. */
  highlights: Array<[number, number]>;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** True when the best passages cover enough of the question to answer it. */
  answerable: boolean;
}

const K1 = 1.2;
const B = 0.75;
const WEIGHT = { title: 1, heading: 1.5, question: 2.5, text: 1 } as const;
/** Below this coverage of the question's words the knowledge base is taken not to cover it. */
export const MIN_COVERAGE = 0.55;
/** A word contained only through a shorter word inside it ("保修" for "保修期") earns this share. */
const PARTIAL_CREDIT = 0.7;
/** With embeddings: the share of the cosine similarity in the combined score (the rest is BM25 / best BM25). */
const VECTOR_WEIGHT = 0.35;
/** With embeddings: passages this close to the question join the candidates even without a shared word. */
const VECTOR_CANDIDATES = 10;

interface Posting {
  docs: Int32Array;
  tfs: Float32Array;
}

export class SearchIndex {
  readonly size: number;
  private readonly passages: IndexablePassage[];
  private readonly lengths: Float32Array;
  private readonly avgLength: number;
  private readonly postings = new Map<string, Posting>();
  private readonly scores: Float64Array;

  constructor(
    private readonly analyzer: Analyzer,
    passages: readonly IndexablePassage[],
  ) {
    this.passages = [...passages];
    this.size = passages.length;
    this.lengths = new Float32Array(this.size);
    this.scores = new Float64Array(this.size);
    const building = new Map<string, { docs: number[]; tfs: number[] }>();
    const titleTerms = new Map<string, string[]>();
    let total = 0;
    this.passages.forEach((p, i) => {
      const tf = new Map<string, number>();
      let length = 0;
      const add = (terms: string[], weight: number) => {
        for (const t of terms) {
          tf.set(t, (tf.get(t) ?? 0) + weight);
          length += weight;
        }
      };
      let title = titleTerms.get(p.title);
      if (!title) titleTerms.set(p.title, (title = analyzer.terms(p.title)));
      const terms = p.terms ?? passageTerms(analyzer, p);
      add(title, WEIGHT.title);
      add(split(terms.heading), WEIGHT.heading);
      add(split(terms.question), WEIGHT.question);
      add(split(terms.text), WEIGHT.text);
      this.lengths[i] = length;
      total += length;
      for (const [t, f] of tf) {
        let entry = building.get(t);
        if (!entry) building.set(t, (entry = { docs: [], tfs: [] }));
        entry.docs.push(i);
        entry.tfs.push(f);
      }
    });
    this.avgLength = this.size ? total / this.size : 1;
    for (const [t, e] of building) {
      this.postings.set(t, { docs: Int32Array.from(e.docs), tfs: Float32Array.from(e.tfs) });
    }
  }

  private idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  private contains(term: string, doc: number): boolean {
    const docs = this.postings.get(term)?.docs;
    if (!docs) return false;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = docs[mid]!;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  search(question: string, limit = 5, queryVector?: Float32Array | null): SearchOutcome {
    const words = this.analyzer.queryWords(question);
    const terms = [...new Set(words.flatMap((w) => w.terms))];
    if (terms.length === 0 || this.size === 0) return { hits: [], answerable: false };

    const touched: number[] = [];
    const scores = this.scores;
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      const { docs, tfs } = posting;
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k]!;
        const tf = tfs[k]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[d]!) / this.avgLength));
      }
    }
    let ranked = touched.map((d) => ({ d, score: scores[d]! }));
    if (queryVector) ranked = this.combine(ranked, queryVector);
    ranked = ranked.sort((a, b) => b.score - a.score || a.d - b.d).slice(0, Math.max(1, limit));
    for (const d of touched) scores[d] = 0;

    // Everyday words (general IDF below ~6) weigh little; specific ones (a product, a place, a foreign name) a lot.
    const weights = words.map((w) => Math.max(1, specificity(w.word) - 5));
    const totalWeight = weights.reduce((s, w) => s + w, 0) || 1;
    const hits: SearchHit[] = ranked.map(({ d, score }) => {
      let covered = 0;
      const matched: string[] = [];
      words.forEach((w, i) => {
        const inside = w.terms.filter((t) => this.contains(t, d));
        matched.push(...inside);
        if (inside.includes(w.word)) covered += weights[i]!;
        else if (inside.length) covered += weights[i]! * PARTIAL_CREDIT;
      });
      const passage = this.passages[d]!;
      return {
        passage,
        score,
        coverage: covered / totalWeight,
        highlights: this.highlight(passage.text, matched),
      };
    });
    const answerable = hits.slice(0, 3).some((h) => h.coverage >= MIN_COVERAGE);
    return { hits, answerable };
  }

  /** BM25 scaled to the best one, mixed with the cosine similarity; close passages without shared words join. */
  private combine(lexical: Array<{ d: number; score: number }>, q: Float32Array) {
    const best = Math.max(...lexical.map((r) => r.score), 0) || 1;
    const cos = new Map<number, number>();
    this.passages.forEach((p, d) => {
      const v = p.vector;
      if (!v || v.length !== q.length) return;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * q[i]!;
      cos.set(d, s);
    });
    if (cos.size === 0) return lexical;
    const candidates = new Set(lexical.map((r) => r.d));
    [...cos.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, VECTOR_CANDIDATES)
      .forEach(([d]) => candidates.add(d));
    const lex = new Map(lexical.map((r) => [r.d, r.score]));
    return [...candidates].map((d) => ({
      d,
      score: (1 - VECTOR_WEIGHT) * ((lex.get(d) ?? 0) / best) + VECTOR_WEIGHT * Math.max(0, cos.get(d) ?? 0),
    }));
  }

  private highlight(text: string, terms: string[]): Array<[number, number]> {
    const normalised = normalize(text);
    if (normalised.length !== text.length) return [];
    const forms = [...new Set(terms.flatMap((t) => this.analyzer.surfaceForms(t)).map(normalize))]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    const marked = new Uint8Array(text.length);
    for (const form of forms) {
      for (let at = normalised.indexOf(form); at !== -1; at = normalised.indexOf(form, at + form.length)) {
        marked.fill(1, at, at + form.length);
      }
    }
    const ranges: Array<[number, number]> = [];
    for (let i = 0; i < marked.length; i++) {
      if (!marked[i]) continue;
      const start = i;
      while (i < marked.length && marked[i]) i++;
      ranges.push([start, i]);
    }
    return ranges;
  }
}
