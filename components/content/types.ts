/** The library as the browser sees it: the server's types (lib/quick-replies.ts), imported as types only. */
export type { QuickReply, QuickReplyScope, ReplyCategory } from '@/lib/quick-replies';

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
  categoriesCreated?: number;
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
