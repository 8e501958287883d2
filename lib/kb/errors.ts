/** A knowledge-base request that cannot be done as asked; carries the HTTP status and a bilingual message. */
export class KnowledgeError extends Error {
  constructor(
    readonly status: 400 | 404 | 413,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} ${en}`);
    this.name = 'KnowledgeError';
  }
}
