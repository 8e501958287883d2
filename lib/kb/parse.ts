import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { KnowledgeError } from './errors';
import { KB_LIMITS } from './limits';
import { blocksToPassages, markdownBlocks, plainTextBlocks, type Block, type SplitPassage } from './split';

/**
 * Reads an uploaded file into a title and passages. The kind comes from the extension and is checked against
 * the content (a PDF starts with %PDF, .docx and .xlsx are ZIP files), so a renamed file fails with a clear 400.
 */

export type DocumentKind = 'markdown' | 'text' | 'docx' | 'pdf' | 'csv' | 'xlsx' | 'qa';

export interface ParsedDocument {
  kind: DocumentKind;
  title: string;
  passages: SplitPassage[];
}

const EXTENSIONS: Record<string, Exclude<DocumentKind, 'qa'>> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  docx: 'docx',
  pdf: 'pdf',
  csv: 'csv',
  xlsx: 'xlsx',
};

export function kindOf(fileName: string): Exclude<DocumentKind, 'qa'> {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const kind = EXTENSIONS[ext];
  if (!kind) {
    throw new KnowledgeError(
      400,
      'unsupported_type',
      '不支持的文件类型：请上传 Markdown、纯文本、Word（.docx）、PDF 或 FAQ 表格（CSV、.xlsx）。',
      'Unsupported file type: upload Markdown, plain text, Word (.docx), PDF or an FAQ sheet (CSV, .xlsx).',
    );
  }
  return kind;
}

function unreadable(kind: string): KnowledgeError {
  return new KnowledgeError(
    400,
    'unreadable_file',
    `无法读取该文件：内容不是有效的 ${kind} 文件。`,
    `The file cannot be read: its content is not a valid ${kind} file.`,
  );
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      throw new KnowledgeError(
        400,
        'bad_encoding',
        '文本编码无法识别：请保存为 UTF-8 后重新上传。',
        'Unrecognised text encoding: save the file as UTF-8 and upload it again.',
      );
    }
  }
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;
const isPdf = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

export function baseName(fileName: string): string {
  return (
    fileName
      .replace(/^.*[\\/]/, '')
      .replace(/\.[^.]+$/, '')
      .trim() || fileName
  );
}

function firstHeading(blocks: Block[]): string | undefined {
  return blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text;
}

function titled(blocks: Block[], fileName: string, title?: string) {
  const t = (title?.trim() || firstHeading(blocks) || baseName(fileName)).slice(0, KB_LIMITS.maxTitleChars);
  return { title: t, passages: blocksToPassages(blocks, t) };
}

export async function parseDocument(
  fileName: string,
  bytes: Uint8Array,
  title?: string,
): Promise<ParsedDocument> {
  const kind = kindOf(fileName);
  switch (kind) {
    case 'markdown':
      return { kind, ...titled(markdownBlocks(decodeText(bytes)), fileName, title) };
    case 'text': {
      const lines = decodeText(bytes)
        .split(/\r?\n/)
        .map((text, i) => ({ text, source: `第 ${i + 1} 行` }));
      return { kind, ...titled(plainTextBlocks(lines), fileName, title) };
    }
    case 'docx':
      if (!isZip(bytes)) throw unreadable('Word (.docx)');
      return { kind, ...titled(await docxBlocks(bytes), fileName, title) };
    case 'pdf':
      if (!isPdf(bytes)) throw unreadable('PDF');
      return { kind, ...titled(await pdfBlocks(bytes), fileName, title) };
    case 'csv':
      return {
        kind,
        title: title?.trim() || baseName(fileName),
        passages: faqRows(csvRows(decodeText(bytes))),
      };
    case 'xlsx':
      if (!isZip(bytes)) throw unreadable('Excel (.xlsx)');
      return { kind, title: title?.trim() || baseName(fileName), passages: faqRows(await xlsxRows(bytes)) };
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

function htmlText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .trim();
}

async function docxBlocks(bytes: Uint8Array): Promise<Block[]> {
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    ));
  } catch {
    throw unreadable('Word (.docx)');
  }
  const blocks: Block[] = [];
  const lines: { text: string; source: string }[] = [];
  let n = 0;
  const flushLines = () => {
    blocks.push(...plainTextBlocks(lines.splice(0), false));
  };
  for (const m of html.matchAll(/<(h[1-6]|p|li)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
    const text = htmlText(m[2]!);
    if (!text) continue;
    n += 1;
    const source = `第 ${n} 段`;
    if (m[1]!.startsWith('h')) {
      flushLines();
      blocks.push({ kind: 'heading', level: Number(m[1]![1]), text, source });
    } else {
      lines.push(
        { text: m[1] === 'li' && !/^\d/.test(text) ? `- ${text}` : text, source },
        { text: '', source },
      );
    }
  }
  flushLines();
  return blocks;
}

async function pdfBlocks(bytes: Uint8Array): Promise<Block[]> {
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    ({ text: pages } = await extractText(pdf, { mergePages: false }));
  } catch {
    throw unreadable('PDF');
  }
  return pages.flatMap((page, i) => {
    const blocks = plainTextBlocks(
      page.split(/\n/).map((text) => ({ text, source: `第 ${i + 1} 页` })),
      i === 0,
    );
    const first = blocks.find((b) => b.kind === 'paragraph');
    if (first && i > 0) first.breakBefore = true;
    return blocks;
  });
}

function csvRows(text: string): string[][] {
  try {
    return parseCsv(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch {
    throw unreadable('CSV');
  }
}

async function xlsxRows(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw unreadable('Excel (.xlsx)');
  }
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  });
  return rows;
}

const QUESTION_HEADER = /^(问题|问|提问|常见问题|question|q)$/i;
const ANSWER_HEADER = /^(答案|回答|答复|答|解答|answer|a)$/i;
const CATEGORY_HEADER = /^(分类|类别|类目|主题|category|topic)$/i;

/** FAQ sheet rows → one passage per row (question + answer); the header row names the columns. */
export function faqRows(rows: string[][]): SplitPassage[] {
  const headerAt = rows.findIndex((r) => r.some((c) => QUESTION_HEADER.test(c.trim())));
  const header = rows[headerAt]?.map((c) => c.trim()) ?? [];
  const q = header.findIndex((c) => QUESTION_HEADER.test(c));
  const a = header.findIndex((c) => ANSWER_HEADER.test(c));
  const cat = header.findIndex((c) => CATEGORY_HEADER.test(c));
  if (headerAt === -1 || q === -1 || a === -1) {
    throw new KnowledgeError(
      400,
      'faq_columns',
      'FAQ 表格需要表头行，包含“问题”和“答案”两列（或 question 和 answer）。',
      'An FAQ sheet needs a header row with a “问题” and an “答案” column (or question and answer).',
    );
  }
  const passages: SplitPassage[] = [];
  rows.forEach((row, i) => {
    if (i <= headerAt) return;
    const question = (row[q] ?? '').trim();
    const answer = (row[a] ?? '').trim();
    if (!question || !answer) return;
    passages.push({
      heading: cat >= 0 ? (row[cat] ?? '').trim() : '',
      question: question.slice(0, KB_LIMITS.maxQuestionChars),
      text: answer.slice(0, KB_LIMITS.maxAnswerChars),
      source: `第 ${i + 1} 行`,
    });
  });
  return passages;
}
