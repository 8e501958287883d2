import { HttpError } from '../http';

/** A knowledge-base request that cannot be done as asked: a status, a stable code, Chinese and English. */
export class KnowledgeError extends HttpError {
  constructor(status: 400 | 404 | 413, code: string, zh: string, en: string) {
    super(status, code, { zh, en });
    this.name = 'KnowledgeError';
  }
}
