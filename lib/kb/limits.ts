/** Limits of the knowledge base, stated in /admin and enforced by lib/kb/service.ts. */
export const KB_LIMITS = {
  /** Largest file accepted for upload (413 above). */
  maxFileBytes: 5 * 1024 * 1024,
  /** Passages one document may split into (400 above). */
  maxPassagesPerDocument: 2_000,
  /** Passages one corp's knowledge base may hold in all (400 above). */
  maxPassagesPerCorp: 20_000,
  /** Longest passage; longer sections are split at clauses, paragraphs and then sentences. */
  maxPassageChars: 600,
  maxTitleChars: 100,
  maxQuestionChars: 300,
  maxAnswerChars: 4_000,
} as const;

export const ACCEPTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.docx', '.pdf', '.csv', '.xlsx'] as const;
