import { randomBytes } from 'node:crypto';
import { Converter } from 'opencc-js/t2cn';
import type { Ctx } from './context';
import { json } from './http';

/**
 * An OpenAI-compatible model: chat completions (`/llm/v1/chat/completions`), embeddings (`/llm/v1/embeddings`)
 * and `/llm/v1/models`, so that the
 * assistant's generated answers run over real HTTP in demo mode and in tests. It is deterministic: it answers
 * only from the numbered passages ("[1] …") in the last user message, citing the ones whose wording overlaps the
 * question ("问题：…"), and says so when none does. Streaming follows the API: `chat.completion.chunk` events
 * in Server-Sent Events, ending with `data: [DONE]`. Faults (`/wecom-emulator/faults` with api
 * `llm/chat/completions`: latencyMs, httpStatus, drop) and counters apply as for the WeCom APIs; the last
 * requests are kept for inspection at `GET /wecom-emulator/llm/requests`.
 */

export const LLM_MODEL = 'xinghe-emulated-chat';
export const LLM_API_KEY = 'sk-emulated-demo-key';
const KEPT_REQUESTS = 20;

interface ChatMessage {
  role: string;
  content: string;
}

function apiError(status: number, message: string, type: string, code: string | null = null): Response {
  return json({ error: { message, type, param: null, code } }, status);
}

/** Characters that say nothing about a topic. */
const FILLER = new Set([
  ...'的了吗呢吧啊是我你您们他她它这那个在有和与及或请问怎么如何什么哪些要能可以会就都也还不没',
]);

/** Reads traditional characters as a model would: 發票 is 发票. */
const simplified = Converter({ from: 'tw', to: 'cn' });

/** The content characters and Latin words of a text. */
function units(s: string): Set<string> {
  const lower = simplified(s.normalize('NFKC')).toLowerCase();
  const out = new Set<string>(lower.match(/[a-z0-9]+/g) ?? []);
  for (const ch of lower.replace(/[\s\p{P}a-z0-9]/gu, '')) if (!FILLER.has(ch)) out.add(ch);
  return out;
}

function firstSentences(text: string, max = 120): string {
  const sentences = text.replace(/\s+/g, ' ').match(/[^。！？!?]+[。！？!?]?/g) ?? [text];
  let out = '';
  for (const s of sentences) {
    if (out && out.length + s.length > max) break;
    out += s.trim();
  }
  return out.slice(0, max * 2);
}

/** The answer the emulated model writes for a prompt. */
export function emulatedAnswer(messages: ChatMessage[]): string {
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const question = /问题[:：]\s*(.+)/.exec(user)?.[1]?.trim() ?? user.split('\n')[0] ?? '';
  const passages = [...user.matchAll(/^\[(\d+)\][^\n]*\n([\s\S]*?)(?=\n\[\d+\]|$(?![\s\S]))/gm)].map((m) => ({
    n: Number(m[1]),
    text: m[2]!.trim(),
  }));
  const q = units(question);
  const scored = passages
    .map((p) => {
      const b = units(p.text);
      let shared = 0;
      for (const g of q) if (b.has(g)) shared++;
      return { ...p, shared };
    })
    .filter((p) => p.shared >= Math.min(2, q.size))
    .sort((a, b) => b.shared - a.shared || a.n - b.n);
  if (scored.length === 0) return '提供的资料中没有与这个问题相关的内容，无法回答。';
  const best = scored[0]!;
  let answer = `${firstSentences(best.text)} [${best.n}]`;
  const second = scored[1];
  if (second && second.shared * 2 >= best.shared)
    answer += `\n${firstSentences(second.text, 60)} [${second.n}]`;
  return answer;
}

function pieces(text: string, size = 6): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export async function chatCompletions(ctx: Ctx): Promise<Response> {
  if (ctx.req.method !== 'POST') return apiError(405, 'Method not allowed', 'invalid_request_error');
  const auth = ctx.req.headers.get('authorization') ?? '';
  if (auth !== `Bearer ${LLM_API_KEY}`) {
    return apiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  }
  let body: { model?: unknown; messages?: unknown; stream?: unknown };
  try {
    body = (await ctx.req.json()) as typeof body;
  } catch {
    return apiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
  }
  if (body.model !== LLM_MODEL) {
    return apiError(
      404,
      `The model \`${String(body.model)}\` does not exist.`,
      'invalid_request_error',
      'model_not_found',
    );
  }
  const messages = Array.isArray(body.messages) ? body.messages : null;
  if (
    !messages?.length ||
    !messages.every(
      (m): m is ChatMessage =>
        !!m &&
        typeof m === 'object' &&
        typeof (m as ChatMessage).role === 'string' &&
        typeof (m as ChatMessage).content === 'string',
    )
  ) {
    return apiError(400, "Invalid value for 'messages'.", 'invalid_request_error');
  }
  const requests = ctx.state.llmRequests;
  requests.push({ at: ctx.now, messages });
  if (requests.length > KEPT_REQUESTS) requests.splice(0, requests.length - KEPT_REQUESTS);

  const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
  const created = Math.floor(ctx.now / 1000);
  const content = emulatedAnswer(messages);
  const promptTokens = messages.reduce((n, m) => n + m.content.length, 0);
  if (body.stream !== true) {
    return json({
      id,
      object: 'chat.completion',
      created,
      model: LLM_MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: content.length,
        total_tokens: promptTokens + content.length,
      },
    });
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: LLM_MODEL,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    })}\n\n`;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(chunk({ role: 'assistant', content: '' }, null)));
      for (const piece of pieces(content)) {
        await new Promise((r) => setTimeout(r, 5));
        controller.enqueue(encoder.encode(chunk({ content: piece }, null)));
      }
      controller.enqueue(encoder.encode(chunk({}, 'stop')));
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}

export function models(): Response {
  return json({
    object: 'list',
    data: [{ id: LLM_MODEL, object: 'model', created: 1767225600, owned_by: 'emulator' }],
  });
}

export const EMBEDDING_MODEL = 'xinghe-emulated-embedding';
const DIMENSIONS = 256;

/**
 * A deterministic embedding: characters and character pairs (traditional read as simplified) hashed into 256
 * dimensions, L2-normalised, so texts sharing wording are close. Enough to exercise the client and the scoring.
 */
export function emulatedEmbedding(text: string): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  const chars = [
    ...simplified(text.normalize('NFKC'))
      .toLowerCase()
      .replace(/[\s\p{P}]/gu, ''),
  ].filter((c) => !FILLER.has(c));
  const bump = (s: string, w: number) => {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    v[(h >>> 0) % DIMENSIONS]! += w;
  };
  chars.forEach((c, i) => {
    bump(c, 1);
    if (i + 1 < chars.length) bump(c + chars[i + 1]!, 1.5);
  });
  const norm = Math.hypot(...v) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

export async function embeddings(ctx: Ctx): Promise<Response> {
  if (ctx.req.method !== 'POST') return apiError(405, 'Method not allowed', 'invalid_request_error');
  if ((ctx.req.headers.get('authorization') ?? '') !== `Bearer ${LLM_API_KEY}`) {
    return apiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  }
  let body: { model?: unknown; input?: unknown; encoding_format?: unknown };
  try {
    body = (await ctx.req.json()) as typeof body;
  } catch {
    return apiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
  }
  if (body.model !== EMBEDDING_MODEL) {
    return apiError(
      404,
      `The model \`${String(body.model)}\` does not exist.`,
      'invalid_request_error',
      'model_not_found',
    );
  }
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (
    !Array.isArray(inputs) ||
    inputs.length === 0 ||
    inputs.length > 2048 ||
    !inputs.every((i) => typeof i === 'string' && i.length > 0)
  ) {
    return apiError(400, "Invalid value for 'input'.", 'invalid_request_error');
  }
  const base64 = body.encoding_format === 'base64';
  const data = (inputs as string[]).map((text, index) => {
    const v = emulatedEmbedding(text);
    return {
      object: 'embedding',
      index,
      embedding: base64
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
        : Array.from(v),
    };
  });
  const tokens = (inputs as string[]).reduce((n, t) => n + t.length, 0);
  return json({
    object: 'list',
    data,
    model: EMBEDDING_MODEL,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
