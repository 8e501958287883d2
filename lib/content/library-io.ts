import 'server-only';
import { parse as parseCsv } from 'csv-parse/sync';
import { getDb, type Db } from '../db';
import { badRequest } from '../http';
import {
  bodyOfReply,
  importCorpReplies,
  listCategories,
  listQuickReplies,
  type ImportReport,
  type ImportRow,
  type QuickReply,
  type QuickReplyDeps,
} from '../quick-replies';
import { mediaIdsOf, type ReplyBody, type SinglePart } from './body';

/**
 * The corp library as a file, to keep or to move between corps: JSON (the reply bodies as the API has them) or
 * CSV (one reply per row, the body's fields as columns; a sequence's parts as JSON in `parts`). Media go by
 * reference: the upload's id and its file name, so a corp that uploaded the same file finds it by name.
 * Rows are numbered as a spreadsheet shows them (the CSV header is row 1) and, in JSON, from 1 in `replies`.
 */

export type LibraryFormat = 'json' | 'csv';

export const CSV_COLUMNS = [
  'id',
  'title',
  'category',
  'scope',
  'chatIds',
  'kind',
  'text',
  'link',
  'linkTitle',
  'linkDesc',
  'linkCover',
  'mediaId',
  'mediaFilename',
  'appid',
  'page',
  'appTitle',
  'coverMediaId',
  'coverFilename',
  'parts',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The largest import file read. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

interface ExportedReply {
  id: string;
  title: string;
  category: string | null;
  scope: QuickReply['scope'];
  [field: string]: unknown;
}

export interface LibraryFile {
  format: 'quick-replies';
  version: 1;
  categories: { name: string; order: number }[];
  replies: ExportedReply[];
  media: { id: string; filename: string; kind: string }[];
}

const bodyOf = bodyOfReply;

async function libraryFile(deps: QuickReplyDeps): Promise<LibraryFile> {
  const db: Db = deps.db ?? (await getDb());
  const [replies, categories] = await Promise.all([listQuickReplies(deps), listCategories(deps)]);
  const names = new Map(categories.map((c) => [c.id, c.name]));
  const ids = [...new Set(replies.flatMap((r) => mediaIdsOf(bodyOf(r))))];
  const media =
    ids.length === 0
      ? []
      : await db
          .selectFrom('media')
          .select(['id', 'filename', 'kind'])
          .where('corp_id', '=', deps.corpId)
          .where('id', 'in', ids)
          .orderBy('id')
          .execute();
  return {
    format: 'quick-replies',
    version: 1,
    categories: categories.map((c) => ({ name: c.name, order: c.order })),
    replies: replies.map((r) => ({
      id: r.id,
      title: r.title,
      category: r.categoryId ? (names.get(r.categoryId) ?? null) : null,
      scope: r.scope,
      ...bodyOf(r),
    })),
    media,
  };
}

/** A CSV field: always quoted, quotes doubled (RFC 4180), so commas, quotes and line breaks survive. */
const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written with a leading
 * apostrophe, which spreadsheets show as text; the import takes that apostrophe off again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const inertCell = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);
const fromInertCell = (value: string) =>
  value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;

function csvRow(reply: ExportedReply, filenames: Map<string, string>): Record<CsvColumn, string> {
  const body = reply as unknown as ReplyBody;
  const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])) as Record<CsvColumn, string>;
  row.id = reply.id;
  row.title = reply.title;
  row.category = reply.category ?? '';
  row.scope = reply.scope.type;
  row.chatIds = reply.scope.type === 'groups' ? reply.scope.chatIds.join(';') : '';
  row.kind = body.kind;
  switch (body.kind) {
    case 'text':
      row.text = body.text;
      break;
    case 'news':
      row.link = body.news.link;
      row.linkTitle = body.news.title;
      row.linkDesc = body.news.desc ?? '';
      row.linkCover = body.news.imgUrl ?? '';
      break;
    case 'image':
    case 'video':
    case 'file':
      row.mediaId = body.mediaId;
      row.mediaFilename = filenames.get(body.mediaId) ?? '';
      break;
    case 'miniprogram':
      row.appid = body.miniprogram.appid;
      row.page = body.miniprogram.page;
      row.appTitle = body.miniprogram.title;
      row.coverMediaId = body.miniprogram.coverMediaId;
      row.coverFilename = filenames.get(body.miniprogram.coverMediaId) ?? '';
      break;
    case 'sequence':
      row.parts = JSON.stringify(body.parts.map((p) => withFilename(p, filenames)));
      break;
  }
  return row;
}

/** A part with the file name of its media beside the id (`filename`, `coverFilename`). */
function withFilename(part: SinglePart, filenames: Map<string, string>): Record<string, unknown> {
  if (part.kind === 'image' || part.kind === 'video' || part.kind === 'file') {
    const filename = filenames.get(part.mediaId);
    return filename ? { ...part, filename } : part;
  }
  if (part.kind === 'miniprogram') {
    const coverFilename = filenames.get(part.miniprogram.coverMediaId);
    return coverFilename ? { ...part, coverFilename } : part;
  }
  return part;
}

/** The corp library as a download. */
export async function exportLibrary(
  format: LibraryFormat,
  deps: QuickReplyDeps,
): Promise<{ text: string; contentType: string; filename: string }> {
  const file = await libraryFile(deps);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  if (format === 'json') {
    return {
      text: `${JSON.stringify(file, null, 2)}\n`,
      contentType: 'application/json; charset=utf-8',
      filename: `quick-replies-${day}.json`,
    };
  }
  const filenames = new Map(file.media.map((m) => [m.id, m.filename]));
  const lines = [
    CSV_COLUMNS.map(csvField).join(','),
    ...file.replies.map((r) => {
      const row = csvRow(r, filenames);
      return CSV_COLUMNS.map((c) => csvField(inertCell(row[c]))).join(',');
    }),
  ];
  // The byte-order mark tells spreadsheet programs the file is UTF-8 (Chinese text stays readable).
  return {
    text: `\uFEFF${lines.join('\r\n')}\r\n`,
    contentType: 'text/csv; charset=utf-8',
    filename: `quick-replies-${day}.csv`,
  };
}

const unreadable = (what: string, detail: string) =>
  badRequest('import_unreadable', {
    zh: `无法读取${what}：${detail}`,
    en: `The ${what === 'JSON 文件' ? 'JSON' : 'CSV'} file cannot be read: ${detail}`,
  });

function fileNamesOf(parts: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(parts)) return out;
  for (const p of parts) {
    if (typeof p !== 'object' || p === null) continue;
    const part = p as Record<string, unknown>;
    if (typeof part.mediaId === 'string' && typeof part.filename === 'string')
      out[part.mediaId] = part.filename;
    const mp = part.miniprogram as Record<string, unknown> | undefined;
    if (mp && typeof mp.coverMediaId === 'string' && typeof part.coverFilename === 'string')
      out[mp.coverMediaId] = part.coverFilename;
  }
  return out;
}

/** The replies of a JSON library file (an export of this app, or `{ replies: [...] }`, or the array itself). */
export function parseJsonLibrary(text: string): ImportRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw unreadable('JSON 文件', err instanceof Error ? err.message : 'invalid JSON');
  }
  const file = (Array.isArray(data) ? { replies: data } : data) as Partial<LibraryFile> | null;
  if (!file || typeof file !== 'object' || !Array.isArray(file.replies)) {
    throw unreadable('JSON 文件', '缺少 replies 数组 / no `replies` array');
  }
  const filenames: Record<string, string> = {};
  for (const m of Array.isArray(file.media) ? file.media : []) {
    if (m && typeof m.id === 'string' && typeof m.filename === 'string') filenames[m.id] = m.filename;
  }
  return file.replies.map((raw, i): ImportRow => {
    const row = i + 1;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      return {
        row,
        title: '',
        scope: undefined,
        category: null,
        body: null,
        filenames,
        error: '不是一条快捷回复 / not a reply object',
      };
    }
    const { id, title, scope, category, ...body } = raw as Record<string, unknown>;
    return {
      row,
      id: id === undefined || id === null || id === '' ? undefined : String(id),
      title,
      scope: scope ?? { type: 'all' },
      category: typeof category === 'string' ? category : null,
      body,
      filenames: { ...filenames, ...fileNamesOf(body.parts) },
    };
  });
}

/** The replies of a CSV file with a header row (the columns of CSV_COLUMNS; others are ignored). */
export function parseCsvLibrary(text: string): ImportRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: false }) as Record<
      string,
      string
    >[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw unreadable(
      'CSV 文件',
      `${line ? `第 ${line} 行 / line ${line}: ` : ''}${err instanceof Error ? err.message : ''}`,
    );
  }
  if (records.length > 0 && !('title' in records[0]! && 'kind' in records[0]!)) {
    throw unreadable('CSV 文件', '表头须包含 title 和 kind 列 / the header needs the columns title and kind');
  }
  return records.map((r, i): ImportRow => {
    const row = i + 2;
    const cell = (c: CsvColumn) => fromInertCell(r[c] ?? '');
    const get = (c: CsvColumn) => cell(c).trim();
    const filenames: Record<string, string> = {};
    if (get('mediaId') && get('mediaFilename')) filenames[get('mediaId')] = get('mediaFilename');
    if (get('coverMediaId') && get('coverFilename')) filenames[get('coverMediaId')] = get('coverFilename');
    const base = {
      row,
      id: get('id') || undefined,
      title: get('title'),
      category: get('category') || null,
      filenames,
    };
    const scopeType = get('scope') || 'all';
    const scope =
      scopeType === 'groups'
        ? {
            type: 'groups',
            chatIds: get('chatIds')
              .split(/[;,\s]+/)
              .filter(Boolean),
          }
        : { type: scopeType };
    const kind = get('kind');
    const optional = (c: CsvColumn) => get(c) || undefined;
    let body: unknown;
    switch (kind) {
      case 'text':
        // Text keeps its own line breaks and spacing.
        body = { kind, text: cell('text') };
        break;
      case 'news':
        body = {
          kind,
          news: {
            link: get('link'),
            title: get('linkTitle'),
            desc: optional('linkDesc'),
            imgUrl: optional('linkCover'),
          },
        };
        break;
      case 'image':
      case 'video':
      case 'file':
        body = { kind, mediaId: get('mediaId') };
        break;
      case 'miniprogram':
        body = {
          kind,
          miniprogram: {
            appid: get('appid'),
            page: get('page'),
            title: get('appTitle'),
            coverMediaId: get('coverMediaId'),
          },
        };
        break;
      case 'sequence': {
        let parts: unknown;
        try {
          parts = JSON.parse(get('parts') || 'null');
        } catch {
          return {
            ...base,
            scope,
            body: null,
            error: 'parts 列不是 JSON 数组 / the parts column is not a JSON array',
          };
        }
        Object.assign(filenames, fileNamesOf(parts));
        body = { kind, parts };
        break;
      }
      default:
        body = { kind };
    }
    return { ...base, scope, body };
  });
}

/** Reads an import file and imports it (`dryRun`: only reports). */
export async function importLibrary(
  format: LibraryFormat,
  text: string,
  options: { dryRun: boolean },
  deps: QuickReplyDeps,
): Promise<ImportReport> {
  const rows = format === 'json' ? parseJsonLibrary(text) : parseCsvLibrary(text);
  return importCorpReplies(rows, options, deps);
}
