import { MAX_SEQUENCE_PARTS, type ReplyBody, type SinglePart } from '@/lib/content/body';
import { isId } from '@/lib/ids';
import type { QuickReply, QuickReplyScope } from './types';

/** The reply editor's form state: every kind's fields, so switching kind keeps what was typed. */
export type PartKind = SinglePart['kind'];
export type BodyKind = PartKind | 'sequence';

export interface PartDraft {
  kind: PartKind;
  text: string;
  link: string;
  newsTitle: string;
  desc: string;
  imgUrl: string;
  mediaId: string;
  appid: string;
  page: string;
  mpTitle: string;
  coverMediaId: string;
}

export interface ReplyDraft {
  title: string;
  kind: BodyKind;
  main: PartDraft;
  parts: PartDraft[];
  scopeType: QuickReplyScope['type'];
  chatIds: string;
  categoryId: string;
}

/** Field errors keyed by the field's name in the form: `text`, `parts.2.link`, `title`, … */
export type FieldErrors = Record<string, string>;

export const emptyPart = (kind: PartKind = 'text'): PartDraft => ({
  kind,
  text: '',
  link: '',
  newsTitle: '',
  desc: '',
  imgUrl: '',
  mediaId: '',
  appid: '',
  page: '',
  mpTitle: '',
  coverMediaId: '',
});

export const emptyDraft = (): ReplyDraft => ({
  title: '',
  kind: 'text',
  main: emptyPart(),
  parts: [emptyPart()],
  scopeType: 'all',
  chatIds: '',
  categoryId: '',
});

export function partDraftOf(p: SinglePart): PartDraft {
  const d = emptyPart(p.kind);
  if (p.kind === 'text') d.text = p.text;
  else if (p.kind === 'news') {
    d.link = p.news.link;
    d.newsTitle = p.news.title;
    d.desc = p.news.desc ?? '';
    d.imgUrl = p.news.imgUrl ?? '';
  } else if (p.kind === 'miniprogram') {
    d.appid = p.miniprogram.appid;
    d.page = p.miniprogram.page;
    d.mpTitle = p.miniprogram.title;
    d.coverMediaId = p.miniprogram.coverMediaId;
  } else d.mediaId = p.mediaId;
  return d;
}

export function draftOf(r: QuickReply): ReplyDraft {
  const seq = r.kind === 'sequence';
  return {
    title: r.title,
    kind: r.kind,
    main: seq ? emptyPart() : partDraftOf(r),
    parts: seq ? r.parts.map(partDraftOf) : [partDraftOf(r)],
    scopeType: r.scope.type,
    chatIds: r.scope.type === 'groups' ? r.scope.chatIds.join('\n') : '',
    categoryId: r.categoryId ?? '',
  };
}

export const splitIds = (s: string) =>
  s
    .split(/[\s,，]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const chars = (n: number) => `最多 ${n} 字 / At most ${n} characters`;

/** Field-level checks mirroring lib/content/body.ts, so mistakes show next to the field before a round trip. */
export function validatePart(p: PartDraft, prefix: string, e: FieldErrors): void {
  const at = (k: string) => `${prefix}${k}`;
  if (p.kind === 'text') {
    if (!p.text.trim()) e[at('text')] = '请填写内容 / Text is required';
    else if (p.text.trim().length > 2000) e[at('text')] = chars(2000);
  } else if (p.kind === 'news') {
    if (!isHttpUrl(p.link.trim())) e[at('link')] = '需要 http(s) 链接 / An http(s) URL is required';
    if (!p.newsTitle.trim()) e[at('newsTitle')] = '请填写卡片标题 / Title is required';
    else if (p.newsTitle.trim().length > 64) e[at('newsTitle')] = chars(64);
    if (p.desc.trim().length > 256) e[at('desc')] = chars(256);
    if (p.imgUrl.trim() && !isHttpUrl(p.imgUrl.trim()))
      e[at('imgUrl')] = '需要 http(s) 链接 / Must be an http(s) URL';
  } else if (p.kind === 'miniprogram') {
    if (!/^wx[0-9a-zA-Z]{16}$/.test(p.appid.trim()))
      e[at('appid')] = '小程序 AppID 形如 wx 加 16 位 / An AppID is wx and 16 characters';
    if (!/\.html(\?.*)?$/.test(p.page.trim()))
      e[at('page')] = '页面路径须以 .html 结尾 / The page path must end in .html';
    if (!p.mpTitle.trim()) e[at('mpTitle')] = '请填写卡片标题 / Title is required';
    else if (p.mpTitle.trim().length > 64) e[at('mpTitle')] = chars(64);
    if (!p.coverMediaId) e[at('coverMediaId')] = '请上传或选择封面图 / Upload or pick a cover image';
  } else if (!p.mediaId) {
    e[at('mediaId')] = '请上传或选择素材 / Upload or pick a file';
  }
}

export function validate(d: ReplyDraft): FieldErrors {
  const e: FieldErrors = {};
  if (!d.title.trim()) e.title = '请填写标题 / Title is required';
  else if (d.title.trim().length > 40) e.title = chars(40);
  if (d.kind === 'sequence') {
    if (d.parts.length === 0) e.parts = '至少一条 / At least one part';
    else if (d.parts.length > MAX_SEQUENCE_PARTS)
      e.parts = `最多 ${MAX_SEQUENCE_PARTS} 条 / At most ${MAX_SEQUENCE_PARTS} parts`;
    d.parts.forEach((p, i) => validatePart(p, `parts.${i}.`, e));
  } else validatePart({ ...d.main, kind: d.kind }, '', e);
  if (d.scopeType === 'groups') {
    const ids = splitIds(d.chatIds);
    const bad = ids.filter((id) => !isId('chatId', id));
    if (ids.length === 0) e.chatIds = '至少选择一个客户群 / At least one group chat';
    else if (bad.length > 0)
      e.chatIds = `客户群 ID 格式不正确 / Invalid group chat id: ${bad.slice(0, 3).join(', ')}`;
  }
  return e;
}

export function partOf(p: PartDraft): SinglePart {
  switch (p.kind) {
    case 'text':
      return { kind: 'text', text: p.text.trim() };
    case 'news': {
      const news: Extract<SinglePart, { kind: 'news' }>['news'] = {
        link: p.link.trim(),
        title: p.newsTitle.trim(),
      };
      if (p.desc.trim()) news.desc = p.desc.trim();
      // No cover typed: the field is left out and the card goes with the app's default cover.
      if (p.imgUrl.trim()) news.imgUrl = p.imgUrl.trim();
      return { kind: 'news', news };
    }
    case 'miniprogram':
      return {
        kind: 'miniprogram',
        miniprogram: {
          appid: p.appid.trim(),
          page: p.page.trim(),
          title: p.mpTitle.trim(),
          coverMediaId: p.coverMediaId,
        },
      };
    default:
      return { kind: p.kind, mediaId: p.mediaId };
  }
}

/** What the form submits; `categoryId` null moves a reply out of its category, absent leaves it uncategorised. */
export type ReplyInput = ReplyBody & { title: string; scope: QuickReplyScope; categoryId?: string | null };

export function payload(d: ReplyDraft, initialCategoryId = ''): ReplyInput {
  const scope: QuickReplyScope =
    d.scopeType === 'groups' ? { type: 'groups', chatIds: splitIds(d.chatIds) } : { type: d.scopeType };
  const body: ReplyBody =
    d.kind === 'sequence'
      ? { kind: 'sequence', parts: d.parts.map(partOf) }
      : partOf({ ...d.main, kind: d.kind });
  const input: ReplyInput = { ...body, title: d.title.trim(), scope };
  if (d.categoryId || initialCategoryId) input.categoryId = d.categoryId || null;
  return input;
}

/** All the texts of a reply a search looks through. */
export function searchText(r: QuickReply): string {
  const parts = r.kind === 'sequence' ? r.parts : [r as SinglePart];
  const texts = parts.flatMap((p) =>
    p.kind === 'text'
      ? [p.text]
      : p.kind === 'news'
        ? [p.news.title, p.news.desc ?? '', p.news.link]
        : p.kind === 'miniprogram'
          ? [p.miniprogram.title]
          : [],
  );
  return [r.title, ...texts].join('\n').toLowerCase();
}

export const KIND_LABELS: Record<BodyKind, string> = {
  text: '文本 / Text',
  news: '图文链接 / Link card',
  image: '图片 / Image',
  video: '视频 / Video',
  file: '文件 / File',
  miniprogram: '小程序 / Mini-program',
  sequence: '多条 / Sequence',
};

export function summary(p: SinglePart): string {
  if (p.kind === 'text') return p.text;
  if (p.kind === 'news') return `${p.news.title} · ${p.news.link}`;
  if (p.kind === 'miniprogram') return `${p.miniprogram.title} · ${p.miniprogram.page}`;
  return KIND_LABELS[p.kind];
}
