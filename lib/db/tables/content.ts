/**
 * Tables of the content library and scheduled messages (migrations 0400–0499). Times are epoch milliseconds;
 * JSON documents are text columns read back through lib/json.ts.
 */

/** An uploaded original (image, video or file) that replies and schedules send; WeCom media_ids are cached apart. */
export interface MediaTable {
  corp_id: string;
  id: string;
  kind: 'image' | 'video' | 'file';
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  /** `disk` (under DATA_DIR/media) or `db` (the `data` column; several hosts share it). */
  storage: 'disk' | 'db';
  data: Uint8Array | null;
  created_by: string;
  created_at: number;
}

/**
 * A message to send later (定时发送). When due, the scheduler claims it (`state` scheduled → submitting, with a
 * lease in `claimed_until`), creates WeCom's mass-message task, and records the msgid (`submitted`); the member
 * then confirms it in WeCom, and the result poll moves it to `sent` or `failed`.
 */
export interface ScheduledMessagesTable {
  corp_id: string;
  id: string;
  created_by: string;
  /** The member WeCom asks to confirm and send (sender of add_msg_template). */
  sender: string;
  target_kind: 'customer' | 'group' | 'audience';
  external_user_id: string | null;
  chat_id: string | null;
  /** JSON: `{ tagIds: string[] }` for an audience (the sender's customers with any of the tags). */
  audience: string | null;
  /** JSON: the reply body (see lib/content/schema.ts). */
  content: string;
  due_at: number;
  state: 'scheduled' | 'submitting' | 'submitted' | 'sent' | 'failed' | 'cancelled' | 'missed';
  msgid: string | null;
  /** JSON `{ zh, en, errcode? }` when it failed or was missed. */
  error: string | null;
  attempts: number;
  claimed_until: number | null;
  submitted_at: number | null;
  /** JSON: counts per WeCom send status once known. */
  result: string | null;
  checked_at: number | null;
  created_at: number;
  updated_at: number;
}

/** An admin-managed category of quick replies, in the admin's order. */
export interface ReplyCategoriesTable {
  corp_id: string;
  id: string;
  name: string;
  position: number;
  created_at: number;
  updated_at: number;
}

/** A member's favourite quick reply. */
export interface QuickReplyFavouritesTable {
  corp_id: string;
  user_id: string;
  reply_id: string;
  created_at: number;
}

/** One send of a quick reply; its `send_id` makes a retried report count once. */
export interface QuickReplyUsesTable {
  corp_id: string;
  reply_id: string;
  send_id: string;
  user_id: string;
  used_at: number;
}

export interface ContentTables {
  media: MediaTable;
  reply_categories: ReplyCategoriesTable;
  quick_reply_favourites: QuickReplyFavouritesTable;
  quick_reply_uses: QuickReplyUsesTable;
  scheduled_messages: ScheduledMessagesTable;
}
