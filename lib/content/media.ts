import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dbKind, type Db } from '../db';
import type { MediaTable } from '../db/tables/content';
import { HttpError } from '../http';
import { withLock } from '../store/lock';
import type { Store } from '../store/types';
import type { WecomClient } from '../wecom/client';
import { isWecomError, WecomError } from '../wecom/errors';

/**
 * Media for replies: admins upload an original once; the app keeps it durably and obtains a WeCom media_id per
 * corp on first use. A media_id lives three days (media/upload), so it is cached in the KV store for a little
 * less than that, fetched once across processes (the store's lock), and uploaded again once when WeCom says
 * it is invalid (40007).
 *
 * Where originals live: on disk under DATA_DIR/media with SQLite (one host), in the database with PostgreSQL.
 * Several hosts already share the database, so no bucket or shared volume has to be run beside it, and a record
 * and its bytes are written in one statement (no orphan files when an upload fails half-way).
 */

const MB = 1024 * 1024;

export type MediaKind = 'image' | 'video' | 'file';

export const MEDIA_LIMITS: Record<MediaKind, { maxBytes: number; types: string }> = {
  image: { maxBytes: 10 * MB, types: 'JPG/PNG' },
  video: { maxBytes: 10 * MB, types: 'MP4' },
  file: { maxBytes: 20 * MB, types: '任意 / any' },
};

/** WeCom refuses files of 5 bytes or less. */
const MIN_BYTES = 6;

export interface MediaInfo {
  id: string;
  kind: MediaKind;
  filename: string;
  contentType: string;
  size: number;
  createdAt: number;
}

export interface MediaDeps {
  db: Db;
  /** Root for originals on disk (default DATA_DIR or .data). */
  dataDir?: string;
  now?: () => number;
}

const dataDirOf = (deps: MediaDeps) =>
  deps.dataDir ?? process.env.DATA_DIR?.trim() ?? path.join(process.cwd(), '.data');

function sniff(bytes: Uint8Array): 'jpg' | 'png' | 'mp4' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  // ISO base media: "ftyp" at offset 4.
  if (bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return 'mp4';
  return null;
}

const tooLarge = (kind: MediaKind) => {
  const mb = MEDIA_LIMITS[kind].maxBytes / MB;
  const zh = { image: '图片', video: '视频', file: '文件' }[kind];
  return new HttpError(413, 'media_too_large', {
    zh: `${zh}不能超过 ${mb} MB`,
    en: `${kind === 'image' ? 'Images' : kind === 'video' ? 'Videos' : 'Files'} may be at most ${mb} MB`,
  });
};

const unsupported = () =>
  new HttpError(415, 'media_type_unsupported', {
    zh: '图片只支持 JPG/PNG（≤10 MB），视频只支持 MP4（≤10 MB），其他文件 ≤20 MB',
    en: 'Images must be JPG or PNG (≤ 10 MB), videos MP4 (≤ 10 MB), other files ≤ 20 MB',
  });

/** Which kind an upload is, by its content (not by what the browser claims); throws 413/415/400. */
export function classifyUpload(filename: string, bytes: Uint8Array, requested?: MediaKind): MediaKind {
  const sniffed = sniff(bytes);
  const kind: MediaKind =
    requested ?? (sniffed === 'jpg' || sniffed === 'png' ? 'image' : sniffed === 'mp4' ? 'video' : 'file');
  if (kind === 'image' && sniffed !== 'jpg' && sniffed !== 'png') throw unsupported();
  if (kind === 'video' && sniffed !== 'mp4') throw unsupported();
  if (bytes.length > MEDIA_LIMITS[kind].maxBytes) throw tooLarge(kind);
  if (bytes.length < MIN_BYTES)
    throw new HttpError(400, 'media_too_small', {
      zh: '文件内容为空或过小',
      en: 'The file is empty or too small',
    });
  if (!filename.trim() || filename.length > 128)
    throw new HttpError(400, 'media_filename', {
      zh: '文件名须为 1–128 个字符',
      en: 'The file name must be 1–128 characters',
    });
  return kind;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', mp4: 'video/mp4' };

export async function saveMedia(
  corpId: string,
  userId: string,
  file: { filename: string; bytes: Uint8Array; kind?: MediaKind },
  deps: MediaDeps,
): Promise<MediaInfo> {
  const kind = classifyUpload(file.filename, file.bytes, file.kind);
  const now = (deps.now ?? Date.now)();
  const id = randomUUID().replace(/-/g, '');
  const sniffed = sniff(file.bytes);
  const contentType = (sniffed && CONTENT_TYPES[sniffed]) || 'application/octet-stream';
  const inDb = dbKind(deps.db) === 'postgres';
  if (!inDb) {
    const dir = path.join(dataDirOf(deps), 'media', corpId);
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `${id}.part`);
    await writeFile(tmp, file.bytes);
    await rename(tmp, path.join(dir, id));
  }
  await deps.db
    .insertInto('media')
    .values({
      corp_id: corpId,
      id,
      kind,
      filename: path.basename(file.filename).slice(0, 128),
      content_type: contentType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      storage: inDb ? 'db' : 'disk',
      data: inDb ? file.bytes : null,
      created_by: userId,
      created_at: now,
    })
    .execute();
  return { id, kind, filename: file.filename, contentType, size: file.bytes.length, createdAt: now };
}

function toInfo(
  row: Pick<MediaTable, 'id' | 'kind' | 'filename' | 'content_type' | 'size' | 'created_at'>,
): MediaInfo {
  return {
    id: row.id,
    kind: row.kind,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    createdAt: row.created_at,
  };
}

const mediaNotFound = () =>
  new HttpError(404, 'media_not_found', { zh: '素材不存在或已删除', en: 'That media no longer exists' });

export async function getMediaInfo(corpId: string, id: string, deps: MediaDeps): Promise<MediaInfo> {
  const row = await deps.db
    .selectFrom('media')
    .select(['id', 'kind', 'filename', 'content_type', 'size', 'created_at'])
    .where('corp_id', '=', corpId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw mediaNotFound();
  return toInfo(row);
}

/** Which of the ids are not media of the corp. */
export async function missingMedia(corpId: string, ids: string[], deps: MediaDeps): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db
    .selectFrom('media')
    .select('id')
    .where('corp_id', '=', corpId)
    .where('id', 'in', ids)
    .execute();
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

export async function readMedia(
  corpId: string,
  id: string,
  deps: MediaDeps,
): Promise<MediaInfo & { bytes: Uint8Array }> {
  const row = await deps.db
    .selectFrom('media')
    .selectAll()
    .where('corp_id', '=', corpId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw mediaNotFound();
  const bytes =
    row.storage === 'db' && row.data
      ? new Uint8Array(row.data)
      : new Uint8Array(await readFile(path.join(dataDirOf(deps), 'media', corpId, id)));
  return { ...toInfo(row), bytes };
}

// ---------------------------------------------------------------------------------------------------------------
// WeCom media_id per corp

/** media/upload ids last three days; use one for at most 2 days 23 hours. */
export const WECOM_MEDIA_TTL_MS = 3 * 86400_000;
const REFRESH_MARGIN_MS = 3600_000;

export interface WecomMediaDeps extends MediaDeps {
  client: Pick<WecomClient, 'call' | 'corpId'>;
  store: Store;
  /** How long to wait for another process's upload before uploading here (default 15 s). */
  lockWaitMs?: number;
  pollMs?: number;
}

interface CachedMediaId {
  mediaId: string;
  refreshAt: number;
}

const inflight = new Map<string, Promise<string>>();

const cacheKey = (corpId: string, id: string) => `wecom:media:${corpId}:${id}`;

async function readCached(store: Store, key: string, now: number, stale?: string): Promise<string | null> {
  const raw = await store.get(key);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as CachedMediaId;
    return typeof v.mediaId === 'string' && v.refreshAt > now && v.mediaId !== stale ? v.mediaId : null;
  } catch {
    return null;
  }
}

async function upload(corpId: string, id: string, deps: WecomMediaDeps): Promise<string> {
  const media = await readMedia(corpId, id, deps);
  const form = new FormData();
  form.append('media', new Blob([media.bytes.slice()], { type: media.contentType }), media.filename);
  const res = await deps.client.call<{ media_id?: string }>('media/upload', {
    method: 'POST',
    query: { type: media.kind },
    body: form,
  });
  if (typeof res.media_id !== 'string' || !res.media_id) {
    throw new WecomError({
      api: 'media/upload',
      errcode: -1,
      errmsg: 'no media_id',
      transport: 'invalid-response',
    });
  }
  return res.media_id;
}

async function load(corpId: string, id: string, deps: WecomMediaDeps, stale?: string): Promise<string> {
  const now = deps.now ?? Date.now;
  const key = cacheKey(corpId, id);
  const cached = await readCached(deps.store, key, now(), stale);
  if (cached) return cached;
  // One upload across processes: whoever holds the lock uploads; the others take what it cached.
  return withLock(
    deps.store,
    key,
    async () => {
      const again = await readCached(deps.store, key, now(), stale);
      if (again) return again;
      const mediaId = await upload(corpId, id, deps);
      const entry: CachedMediaId = { mediaId, refreshAt: now() + WECOM_MEDIA_TTL_MS - REFRESH_MARGIN_MS };
      await deps.store.set(key, JSON.stringify(entry), WECOM_MEDIA_TTL_MS - REFRESH_MARGIN_MS);
      return mediaId;
    },
    {
      ttlMs: 60_000,
      waitMs: deps.lockWaitMs ?? 15_000,
      pollMs: deps.pollMs ?? 100,
      whileWaiting: async () => (await readCached(deps.store, key, now(), stale)) ?? undefined,
    },
  );
}

/**
 * The corp's WeCom media_id for a media record: cached, one upload across concurrent callers and processes.
 * `stale` forgets a media_id that WeCom refused (40007) and uploads once more.
 */
export function wecomMediaId(
  corpId: string,
  id: string,
  deps: WecomMediaDeps,
  stale?: string,
): Promise<string> {
  const flightKey = `${corpId}\u0000${id}\u0000${stale ?? ''}`;
  let flight = inflight.get(flightKey);
  if (!flight) {
    flight = load(corpId, id, deps, stale).finally(() => inflight.delete(flightKey));
    inflight.set(flightKey, flight);
  }
  return flight;
}

/** Runs `send` with the media_id; when WeCom answers 40007 (expired or unknown), uploads again and retries once. */
export async function withWecomMedia<T>(
  corpId: string,
  id: string,
  deps: WecomMediaDeps,
  send: (mediaId: string) => Promise<T>,
): Promise<T> {
  const mediaId = await wecomMediaId(corpId, id, deps);
  try {
    return await send(mediaId);
  } catch (err) {
    if (!isWecomError(err, 40007)) throw err;
    return send(await wecomMediaId(corpId, id, deps, mediaId));
  }
}

export async function listMedia(corpId: string, deps: MediaDeps): Promise<MediaInfo[]> {
  const rows = await deps.db
    .selectFrom('media')
    .select(['id', 'kind', 'filename', 'content_type', 'size', 'created_at'])
    .where('corp_id', '=', corpId)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(toInfo);
}

/** The largest request body an upload may have: the biggest file plus room for the multipart framing. */
export const MAX_UPLOAD_BODY = MEDIA_LIMITS.file.maxBytes + 64 * 1024;

/** Reads the `file` field of a multipart upload, refusing oversized bodies before buffering them. */
export async function readUpload(
  req: Request,
): Promise<{ filename: string; bytes: Uint8Array; kind?: MediaKind }> {
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > MAX_UPLOAD_BODY)
    throw new HttpError(413, 'media_too_large', {
      zh: '文件过大：图片、视频不超过 10 MB，其他文件不超过 20 MB',
      en: 'Too large: images and videos up to 10 MB, other files up to 20 MB',
    });
  if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data'))
    throw new HttpError(415, 'multipart_expected', {
      zh: '请以 multipart/form-data 上传，文件字段名为 file',
      en: 'Upload as multipart/form-data with the file in the field `file`',
    });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    throw new HttpError(400, 'multipart_invalid', {
      zh: '上传内容无法解析',
      en: 'The upload could not be read',
    });
  }
  const file = form.get('file');
  if (!file || typeof file === 'string')
    throw new HttpError(400, 'file_missing', { zh: '缺少文件字段 file', en: 'The field `file` is missing' });
  const kind = form.get('kind');
  return {
    filename: file.name || 'file',
    bytes: new Uint8Array(await file.arrayBuffer()),
    kind: kind === 'image' || kind === 'video' || kind === 'file' ? kind : undefined,
  };
}

/**
 * The WeCom media_id for sending a media record from the sidebar (ww.sendChatMessage takes media_ids only), and
 * until when the app uses it. `stale`: the media_id the client just refused as invalid — uploaded again, once.
 */
export async function sendableMediaId(
  corpId: string,
  id: string,
  deps: WecomMediaDeps,
  stale?: string,
): Promise<{ mediaId: string; expiresAt: number }> {
  const mediaId = await wecomMediaId(corpId, id, deps, stale);
  const raw = await deps.store.get(cacheKey(corpId, id));
  let expiresAt = (deps.now ?? Date.now)() + WECOM_MEDIA_TTL_MS - REFRESH_MARGIN_MS;
  try {
    const v = raw ? (JSON.parse(raw) as CachedMediaId) : null;
    if (v && v.mediaId === mediaId && typeof v.refreshAt === 'number') expiresAt = v.refreshAt;
  } catch {
    // an unreadable cache entry: the default lifetime
  }
  return { mediaId, expiresAt };
}
