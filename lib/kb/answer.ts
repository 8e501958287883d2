import OpenAI from 'openai';
import type { SearchOutcome } from './search-index';

/**
 * Generated answers: a short answer written by an OpenAI-compatible chat model (official `openai` client),
 * grounded only in the top passages, with numbered citations [n]. Only the question and the passages are
 * sent — never anything about the customer. When the knowledge base does not cover the question no model is
 * called; a timeout or a model error ends the stream with a fallback to the passages.
 */

export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** Passages given to the model. */
export const CITED_PASSAGES = 4;

export type AnswerEvent =
  | { type: 'declined'; zh: string; en: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; text: string; citations: number[] }
  | { type: 'fallback'; reason: 'not_configured' | 'timeout' | 'error'; zh: string; en: string };

const SYSTEM =
  '你是企业销售团队的知识库助手。只根据用户消息中编号的资料回答问题，用简体中文，不超过 120 字，' +
  '在用到的句子后面用 [编号] 标注出处。资料里没有答案时，直接说知识库里没有相关内容，不要编造。';

export function buildPrompt(question: string, outcome: SearchOutcome): string {
  const passages = outcome.hits.slice(0, CITED_PASSAGES).map((h, i) => {
    const label = [h.passage.title, h.passage.heading, h.passage.question].filter(Boolean).join(' › ');
    return `[${i + 1}] ${label}\n${h.passage.text}`;
  });
  return `问题：${question.trim()}\n\n资料：\n${passages.join('\n\n')}`;
}

export function citationsIn(text: string, available: number): number[] {
  const found = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  return [...new Set(found)].filter((n) => n >= 1 && n <= available).sort((a, b) => a - b);
}

const DECLINED = {
  zh: '知识库中没有涵盖这个问题的内容。',
  en: 'The knowledge base does not cover this question.',
};

export async function* answerStream(
  question: string,
  outcome: SearchOutcome,
  llm: LlmSettings | undefined,
  options: { signal?: AbortSignal; fetch?: typeof fetch } = {},
): AsyncGenerator<AnswerEvent> {
  if (!outcome.answerable || outcome.hits.length === 0) {
    yield { type: 'declined', ...DECLINED };
    return;
  }
  if (!llm) {
    yield {
      type: 'fallback',
      reason: 'not_configured',
      zh: '未配置生成模型（LLM_BASE_URL），以下是知识库中的相关段落。',
      en: 'No answer model is configured (LLM_BASE_URL); here are the relevant passages.',
    };
    return;
  }
  const client = new OpenAI({
    baseURL: llm.baseUrl,
    apiKey: llm.apiKey,
    timeout: llm.timeoutMs,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const timeout = AbortSignal.timeout(llm.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let text = '';
  try {
    const stream = await client.chat.completions.create(
      {
        model: llm.model,
        stream: true,
        temperature: 0,
        max_tokens: 400,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: buildPrompt(question, outcome) },
        ],
      },
      { signal },
    );
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta?.content ?? '';
      if (!piece) continue;
      text += piece;
      yield { type: 'delta', text: piece };
    }
  } catch {
    const timedOut = timeout.aborted;
    yield timedOut
      ? {
          type: 'fallback',
          reason: 'timeout',
          zh: '生成回答超时，以下是知识库中的相关段落。',
          en: 'The answer took too long; here are the relevant passages.',
        }
      : {
          type: 'fallback',
          reason: 'error',
          zh: '生成回答失败，以下是知识库中的相关段落。',
          en: 'The answer could not be generated; here are the relevant passages.',
        };
    return;
  }
  yield { type: 'done', text, citations: citationsIn(text, Math.min(CITED_PASSAGES, outcome.hits.length)) };
}
