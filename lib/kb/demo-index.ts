import { Analyzer } from './analyzer';
import { DEMO_FILES, DEMO_SYNONYMS } from './demo';
import { parseDocument } from './parse';
import { SearchIndex, type IndexablePassage } from './search-index';
import { parseSynonyms } from './synonyms';

/** The demo knowledge base parsed and indexed in memory, without a database (evaluation, benchmark). */
export async function demoPassages(): Promise<IndexablePassage[]> {
  const out: IndexablePassage[] = [];
  for (const [i, file] of DEMO_FILES.entries()) {
    const doc = await parseDocument(file.fileName, new TextEncoder().encode(file.content), file.title);
    for (const p of doc.passages) out.push({ id: out.length + 1, documentId: i + 1, title: doc.title, ...p });
  }
  return out;
}

export function demoAnalyzer(): Analyzer {
  return new Analyzer(parseSynonyms(DEMO_SYNONYMS).groups);
}

export async function demoIndex(extra: readonly IndexablePassage[] = []): Promise<SearchIndex> {
  return new SearchIndex(demoAnalyzer(), [...(await demoPassages()), ...extra]);
}
