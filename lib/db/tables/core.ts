import type { Generated } from 'kysely';

/**
 * Tables of the core data (migrations 0001–0099). Times are epoch milliseconds (bigint); JSON documents are
 * text columns read back through lib/json.ts; booleans are not used (SQLite has none).
 */

/** One quick reply of one corp (or a member's personal one). `scope` is the chats it is offered in. */
export interface QuickRepliesTable {
  corp_id: string;
  id: string;
  kind: 'text' | 'news' | 'image' | 'video' | 'file' | 'miniprogram' | 'sequence';
  title: string;
  /** JSON: the reply body without its kind (`{ text }`, `{ news }`, `{ mediaId }`, `{ miniprogram }`, `{ parts }`). */
  body: string;
  scope: string;
  /** Order among the corp's replies, or among the owner's personal replies. */
  position: number;
  /** null for a corp reply (admins manage it); the member's userid for a personal reply. */
  owner_id: string | null;
  category_id: string | null;
  /** Title and body texts, lowercased (what `q` searches). */
  search_text: Generated<string>;
  /** How often members sent it, and when last. */
  use_count: Generated<number>;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * A corp whose admin has saved quick replies (until then demo mode shows the demo replies). Every change bumps
 * `version` first, which also locks the corp's list for the rest of that transaction.
 */
export interface QuickReplyListsTable {
  corp_id: string;
  version: number;
  updated_at: number;
}

/** The newest suite_ticket WeCom pushed for a suite (third-party mode). */
export interface SuiteTicketsTable {
  suite_id: string;
  ticket: string;
  /** The push's TimeStamp (seconds): an older push never replaces a newer ticket. */
  timestamp: number;
  received_at: number;
}

/** A corp that authorized (installed) the third-party app. `permanent_code` never leaves the server. */
export interface SuiteCorpsTable {
  suite_id: string;
  corp_id: string;
  corp_name: string;
  corp_full_name: string | null;
  agent_id: string;
  permanent_code: string;
  auth_user_id: string | null;
  auth_open_user_id: string | null;
  state: string | null;
  /** JSON: auth_info as WeCom answered it (agents and their privileges). */
  auth_info: string | null;
  installed_at: number;
  updated_at: number;
}

/**
 * Every callback event received (self-built app, third-party instruction and data callbacks), once per event:
 * `dedup_key` is unique, so a retried or replayed push is stored once. Events that need work after the
 * acknowledgement (third-party auth events) carry `processed_at = null` until that work is done.
 */
export interface CallbackEventsTable {
  id: Generated<number>;
  corp_id: string;
  /** `app` (self-built callback URL), `suite` (instruction URL) or `suite-data` (data URL). */
  source: string;
  /** Event, InfoType or MsgType. */
  event_type: string;
  change_type: string | null;
  external_userid: string | null;
  userid: string | null;
  chat_id: string | null;
  tag_id: string | null;
  /** JSON object of the decrypted message's fields. */
  payload: string;
  dedup_key: string;
  received_at: number;
  processed_at: number | null;
  attempts: number;
  last_error: string | null;
  /** While a process works on the event, others leave it alone until then. */
  locked_until: number | null;
  /** JSON: what that work obtained before applying it (e.g. the permanent code's answer), so a retry reuses it. */
  result: string | null;
}

/** One-time imports from the key-value store (STORE_URL) that older versions kept durable data in. */
export interface LegacyImportsTable {
  name: string;
  done_at: number;
}

export interface CoreTables {
  quick_replies: QuickRepliesTable;
  quick_reply_lists: QuickReplyListsTable;
  suite_tickets: SuiteTicketsTable;
  suite_corps: SuiteCorpsTable;
  callback_events: CallbackEventsTable;
  legacy_imports: LegacyImportsTable;
}
