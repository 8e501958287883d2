import { KB_LIMITS } from './limits';

/**
 * Splits text into passages along its structure: headings open a section (its path "产品手册 › 数据安全" becomes
 * the passage heading); inside a section, numbered clauses ("1.", "（2）", "第三条") and paragraphs are packed
 * into passages of at most KB_LIMITS.maxPassageChars; an overlong paragraph is cut at sentence ends.
 */

export interface SourceLine {
  text: string;
  /** Where the line is, e.g. "第 12 行" or "第 3 页". */
  source: string;
}

export interface Block {
  kind: 'heading' | 'paragraph';
  /** 1–6 for headings. */
  level: number;
  text: string;
  source: string;
  /** A paragraph that starts a numbered clause. */
  clause?: boolean;
  /** Starts a new passage whatever the length (the first paragraph of a PDF page). */
  breakBefore?: boolean;
}

export interface SplitPassage {
  heading: string;
  text: string;
  question: string | null;
  source: string;
}

const CN_NUM = '一二三四五六七八九十百零〇';
const CHAPTER = new RegExp(`^第[${CN_NUM}\\d]+[章节部分篇]\\s*\\S`);
const ARTICLE = new RegExp(`^第[${CN_NUM}\\d]+条`);
const CN_ENUM = new RegExp(`^[${CN_NUM}]+[、.．]\\s*\\S`);
const CLAUSE =
  /^(?:\d+(?:\.\d+)*[、.．)）]\s*\S|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[①-⑳]|[-*•·]\s+\S)/;
const SENTENCE_END = /[。！？!?；;]$/;

/** A short line that names what follows rather than says it. */
function looksLikeHeading(line: string): boolean {
  return line.length <= 40 && !SENTENCE_END.test(line) && !/[，,：:]$/.test(line);
}

/** Blocks of plain text (also PDF and Word text): headings are chapter lines and "一、…" lines that are short. */
export function plainTextBlocks(lines: readonly SourceLine[], detectTitle = true): Block[] {
  const blocks: Block[] = [];
  let para: SourceLine[] = [];
  const flush = (clause = false) => {
    if (para.length) {
      blocks.push({
        kind: 'paragraph',
        level: 0,
        text: para.map((l) => l.text).join('\n'),
        source: para[0]!.source,
        clause,
      });
    }
    para = [];
  };
  let paraIsClause = false;
  const first = lines.findIndex((l) => l.text.trim());
  lines.forEach((raw, i) => {
    const text = raw.text.trim();
    // A short first line standing alone is the document's title.
    if (detectTitle && i === first && looksLikeHeading(text) && !lines[i + 1]?.text.trim()) {
      blocks.push({ kind: 'heading', level: 1, text, source: raw.source });
      return;
    }
    if (!text) {
      flush(paraIsClause);
      paraIsClause = false;
      return;
    }
    if ((CHAPTER.test(text) || CN_ENUM.test(text)) && looksLikeHeading(text)) {
      flush(paraIsClause);
      paraIsClause = false;
      blocks.push({ kind: 'heading', level: CHAPTER.test(text) ? 2 : 3, text, source: raw.source });
      return;
    }
    if (ARTICLE.test(text) || CLAUSE.test(text) || CN_ENUM.test(text)) {
      flush(paraIsClause);
      paraIsClause = true;
    }
    para.push({ text, source: raw.source });
  });
  flush(paraIsClause);
  return blocks;
}

/** Blocks of Markdown: ATX headings; paragraphs, list items and table rows kept as text. */
export function markdownBlocks(text: string): Block[] {
  const lines = text.split(/\r?\n/);
  const out: Block[] = [];
  let plain: SourceLine[] = [];
  let fenced = false;
  const flushPlain = () => {
    out.push(...plainTextBlocks(plain, false).map((b) => (b.kind === 'heading' ? { ...b, level: 7 } : b)));
    plain = [];
  };
  lines.forEach((line, i) => {
    const source = `第 ${i + 1} 行`;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushPlain();
      out.push({ kind: 'heading', level: heading[1]!.length, text: stripInline(heading[2]!), source });
      return;
    }
    if (/^\s*\|?\s*:?-{3,}/.test(line) && line.includes('-')) return; // table rule
    plain.push({ text: stripInline(line.replace(/^\s*>\s?/, '').replace(/^\s*\|(.*)\|\s*$/, '$1')), source });
  });
  flushPlain();
  return out;
}

function stripInline(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)(.*?)\1/g, '$2')
    .replace(/\s*\|\s*/g, ' | ');
}

/** Groups blocks into passages under their heading path. */
export function blocksToPassages(blocks: readonly Block[], documentTitle: string): SplitPassage[] {
  const max = KB_LIMITS.maxPassageChars;
  const path: Array<{ level: number; text: string }> = [];
  const passages: SplitPassage[] = [];
  let section: Block[] = [];
  let sectionSource = '';

  const headingPath = () =>
    path
      .map((h) => h.text)
      .filter((t, i) => !(i === 0 && t === documentTitle))
      .join(' › ');

  const emit = (parts: Block[]) => {
    const text = parts
      .map((b) => b.text)
      .join('\n')
      .trim();
    if (!text) return;
    passages.push({
      heading: headingPath(),
      text,
      question: null,
      source: parts[0]?.source ?? sectionSource,
    });
  };

  const flushSection = () => {
    let current: Block[] = [];
    let length = 0;
    const total = section.reduce((s, b) => s + b.text.length + 1, 0);
    for (const block of section) {
      for (const [n, piece] of cutLong(block, max).entries()) {
        if (n > 0) piece.breakBefore = false;
        const startsClause = piece.clause && total > max;
        if (current.length && (length + piece.text.length > max || startsClause || piece.breakBefore)) {
          emit(current);
          current = [];
          length = 0;
        }
        current.push(piece);
        length += piece.text.length + 1;
      }
    }
    emit(current);
    section = [];
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      flushSection();
      while (path.length && path[path.length - 1]!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      sectionSource = block.source;
      continue;
    }
    if (!section.length) sectionSource = block.source;
    section.push(block);
  }
  flushSection();
  return passages;
}

function cutLong(block: Block, max: number): Block[] {
  if (block.text.length <= max) return [block];
  const sentences = block.text.match(/[^。！？!?；;\n]+[。！？!?；;]?\n?/g) ?? [block.text];
  const out: Block[] = [];
  let buf = '';
  for (const s of sentences) {
    if (buf && buf.length + s.length > max) {
      out.push({ ...block, text: buf.trim(), clause: out.length === 0 ? block.clause : false });
      buf = '';
    }
    buf += s;
    while (buf.length > max) {
      out.push({ ...block, text: buf.slice(0, max), clause: false });
      buf = buf.slice(max);
    }
  }
  if (buf.trim()) out.push({ ...block, text: buf.trim(), clause: out.length === 0 ? block.clause : false });
  return out;
}
