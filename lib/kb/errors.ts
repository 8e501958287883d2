import type { Bilingual } from '../bilingual';

/**
 * A knowledge-base request that cannot be done as asked: a status, a stable code, Chinese and English. It has the
 * shape of lib/http's HttpError and converts to it through `toPublic()`, so routes answer it as they say; it does
 * not import lib/http, so the retrieval code also runs outside the server (benchmark, scripts).
 */
export class KnowledgeError extends Error {
  readonly userMessage: Bilingual;
  constructor(
    readonly status: 400 | 404 | 413,
    readonly code: string,
    zh: string,
    en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'KnowledgeError';
    this.userMessage = { zh, en };
  }

  toPublic(): this {
    return this;
  }
}
