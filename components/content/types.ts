import type { ReplyBody } from '@/lib/content/body';

/** The library as the browser sees it (contract of /api/quick-replies and /api/admin/quick-replies). */
export type QuickReplyScope = { type: 'all' } | { type: 'single' } | { type: 'groups'; chatIds: string[] };

export type QuickReply = ReplyBody & {
  id: string;
  title: string;
  scope: QuickReplyScope;
  order: number;
  categoryId?: string | null;
  owner?: 'corp' | 'personal';
  favourite?: boolean;
  usage?: { count: number; lastUsedAt: number | null };
};

export interface ReplyCategory {
  id: string;
  name: string;
  order: number;
}

export interface MediaItem {
  id: string;
  kind: 'image' | 'video' | 'file';
  filename: string;
  size: number;
  createdAt: number;
}

export interface ImportReport {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string }[];
}

/** Where a library's reads and writes go: the corp library (admins) or the member's own replies. */
export interface LibraryApi {
  mode: 'admin' | 'member';
  list: string;
  item: (id: string) => string;
  create: string;
  reorder: string | null;
  /** The media library: read (GET) and, for admins, upload (POST multipart `file`). */
  media: { list: string; upload: string | null };
}

export const ADMIN_API: LibraryApi = {
  mode: 'admin',
  list: '/api/admin/quick-replies',
  item: (id) => `/api/admin/quick-replies/${encodeURIComponent(id)}`,
  create: '/api/admin/quick-replies',
  reorder: '/api/admin/quick-replies/reorder',
  media: { list: '/api/admin/media', upload: '/api/admin/media' },
};

export const MEMBER_API: LibraryApi = {
  mode: 'member',
  list: '/api/quick-replies',
  item: (id) => `/api/quick-replies/${encodeURIComponent(id)}`,
  create: '/api/quick-replies',
  reorder: null,
  media: { list: '/api/media', upload: null },
};
