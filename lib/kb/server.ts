import 'server-only';
import { z } from 'zod';
import { getConfig, isDemo } from '../config';
import { getDb } from '../db';
import { countKnowledgeSearch } from '../ops/metrics';
import type { Corp } from '../wecom/tenant';
import { answerStream, type AnswerEvent } from './answer';
import { KnowledgeError } from './errors';
import { KB_LIMITS } from './limits';
import {
  addFile,
  addQa,
  fileTooLarge,
  recordQuery,
  search,
  toResults,
  type DocumentSummary,
  type KbDeps,
  type SearchResult,
} from './service';

/** What the knowledge-base routes share: the corp's deps, the upload reader, the search answer, the SSE stream. */

export async function kbDeps(corp: Corp): Promise<KbDeps> {
  return { db: await getDb(), corpId: corp.id, seedDemo: isDemo(), embeddings: getConfig().embeddings };
}

export const QaBody = z.object({
  title: z.string().trim().max(KB_LIMITS.maxTitleChars).optional(),
  question: z.string().trim().min(1).max(KB_LIMITS.maxQuestionChars),
  answer: z.string().trim().min(1).max(KB_LIMITS.maxAnswerChars),
});

/**
 * A knowledge write: multipart with a `file` (and optional `title`), or JSON `{ title?, question, answer }`.
 * The declared length is checked before the body is read, so an oversized upload is refused without buffering.
 */
export async function writeDocument(
  req: Request,
  deps: KbDeps,
  userId: string,
  replaceId?: number,
): Promise<DocumentSummary> {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > KB_LIMITS.maxFileBytes + 64 * 1024) throw fileTooLarge();
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new KnowledgeError(400, 'invalid_form', '上传内容无法解析。', 'The upload could not be read.');
    }
    const file = form.get('file');
    if (!(file instanceof File)) {
      throw new KnowledgeError(
        400,
        'file_missing',
        '请在 file 字段中上传文件。',
        'Upload the file in the field “file”.',
      );
    }
    if (file.size > KB_LIMITS.maxFileBytes) throw fileTooLarge();
    const title = form.get('title');
    return addFile(deps, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, userId, {
      title: typeof title === 'string' ? title.slice(0, KB_LIMITS.maxTitleChars) : undefined,
      replaceId,
    });
  }
  if (type.startsWith('application/json')) {
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      throw new KnowledgeError(400, 'invalid_json', '请求体不是有效的 JSON。', 'The body is not valid JSON.');
    }
    const parsed = QaBody.safeParse(raw);
    if (!parsed.success) {
      throw new KnowledgeError(
        400,
        'invalid_body',
        `问答对需要 question（1–${KB_LIMITS.maxQuestionChars} 字）和 answer（1–${KB_LIMITS.maxAnswerChars} 字）。`,
        `A Q&A pair needs question (1–${KB_LIMITS.maxQuestionChars} characters) and answer (1–${KB_LIMITS.maxAnswerChars}).`,
      );
    }
    return addQa(deps, parsed.data, userId, replaceId);
  }
  throw new KnowledgeError(
    400,
    'unsupported_body',
    '请用 multipart/form-data 上传文件，或用 JSON 提交问答对。',
    'Upload a file as multipart/form-data, or send a Q&A pair as JSON.',
  );
}

export interface SearchAnswer {
  results: SearchResult[];
  answerable: boolean;
  queryId: number;
}

export async function searchAndRecord(
  deps: KbDeps,
  userId: string,
  question: string,
  limit: number,
): Promise<{ answer: SearchAnswer; outcome: Awaited<ReturnType<typeof search>> }> {
  const started = performance.now();
  let outcome: Awaited<ReturnType<typeof search>>;
  try {
    outcome = await search(deps, question, limit);
  } catch (err) {
    countKnowledgeSearch('error', (performance.now() - started) / 1000);
    throw err;
  }
  countKnowledgeSearch(outcome.answerable ? 'hit' : 'empty', (performance.now() - started) / 1000);
  const queryId = await recordQuery(deps, userId, question, outcome);
  return { answer: { results: toResults(outcome), answerable: outcome.answerable, queryId }, outcome };
}

/**
 * The answer as Server-Sent Events: `passages` first (what was found, so the page shows them at once), then
 * `delta` pieces of the generated text and `done` with its citations — or `declined` / `fallback`.
 */
export async function answerResponse(deps: KbDeps, userId: string, question: string, signal: AbortSignal) {
  const { answer, outcome } = await searchAndRecord(deps, userId, question, 5);
  const encoder = new TextEncoder();
  const event = (name: string, data: unknown) =>
    encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(event('passages', answer));
      try {
        for await (const e of answerStream(question, outcome, getConfig().llm, { signal })) {
          const { type, ...data } = e as AnswerEvent & Record<string, unknown>;
          controller.enqueue(event(type, data));
        }
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}
