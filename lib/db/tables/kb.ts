import type { Generated } from 'kysely';

/**
 * Tables of the knowledge base and assistant (migrations 0200–0299). Each corp has its own knowledge base.
 * Times are epoch milliseconds.
 */

/** An uploaded file or a typed Q&A pair. */
export interface KbDocumentsTable {
  id: Generated<number>;
  corp_id: string;
  title: string;
  /** markdown | text | docx | pdf | csv | xlsx | qa */
  kind: string;
  file_name: string | null;
  passage_count: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/**
 * A passage of a document, with where it came from and its index terms per field (space-separated, computed
 * with the corp's synonyms when stored) so that an instance rebuilds its in-memory index without re-segmenting.
 */
export interface KbPassagesTable {
  id: Generated<number>;
  corp_id: string;
  document_id: number;
  position: number;
  heading: string;
  question: string | null;
  text: string;
  source: string;
  heading_terms: string;
  question_terms: string;
  text_terms: string;
  /** base64 of a float32 vector when an embedding model is configured (migration 0201). */
  embedding: string | null;
}

/** Per corp: the version stamp of its knowledge base (bumped by every change) and its synonym list. */
export interface KbStateTable {
  corp_id: string;
  version: number;
  synonyms: string;
  updated_at: number;
}

/** A question asked in the assistant: what it found, and the member's 👍/👎. */
export interface KbQueriesTable {
  id: Generated<number>;
  corp_id: string;
  userid: string;
  question: string;
  /** 1 when the knowledge base covered it, 0 when it found nothing relevant. */
  answerable: number;
  top_passage_id: number | null;
  /** 1 = 👍, -1 = 👎, null = none. */
  feedback: number | null;
  /** Set when an admin turned it into a Q&A pair or dismissed it. */
  resolved_at: number | null;
  created_at: number;
}

export interface KbTables {
  kb_documents: KbDocumentsTable;
  kb_passages: KbPassagesTable;
  kb_state: KbStateTable;
  kb_queries: KbQueriesTable;
}
