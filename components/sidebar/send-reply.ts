import type { ReplyBody, SinglePart } from '@/lib/content/body';
import type { Bilingual, Lang } from '@/lib/bilingual';
import { ApiError } from '@/lib/api-client';
import { SdkError, sdkErrorMessage, toSdkError, type SendMessage } from '@/lib/jssdk-client';

/** The parts sent, in order (a sequence's parts, or the body itself). */
export function partsOf(body: ReplyBody): SinglePart[] {
  return body.kind === 'sequence' ? body.parts : [body];
}

export type PartKind = SinglePart['kind'];

export const KIND_LABEL: Record<PartKind | 'sequence', Bilingual> = {
  text: { zh: '文本', en: 'text' },
  news: { zh: '链接', en: 'link' },
  image: { zh: '图片', en: 'image' },
  video: { zh: '视频', en: 'video' },
  file: { zh: '文件', en: 'file' },
  miniprogram: { zh: '小程序', en: 'mini-program' },
  sequence: { zh: '组合', en: 'multi-part' },
};

/** The app's preview URL of an uploaded original (members of its corp only). */
export const mediaUrl = (id: string) => `/api/media/${encodeURIComponent(id)}`;

export interface SendDeps {
  /** ww.sendChatMessage through the connected client. */
  send(message: SendMessage): Promise<void>;
  /** The corp's WeCom media_id for a media record; `stale` = the one the client just refused. */
  mediaId(id: string, stale?: string): Promise<string>;
  /** The public URL of an image (a mini-program card's cover is fetched by WeCom without a session). */
  coverUrl(id: string): Promise<string>;
  /** Resolves variables in a text or link title. */
  resolve(text: string): string;
  /** Before part `index` (0-based) is sent, and with `total` once all are. */
  onProgress?(sent: number, total: number): void;
}

/** Part `index` of `total` failed; the parts before it were sent. */
export class PartFailure extends Error {
  override name = 'PartFailure';
  constructor(
    readonly index: number,
    readonly total: number,
    readonly part: SinglePart,
    override readonly cause: unknown,
  ) {
    super(`part ${index + 1}/${total} (${part.kind}) failed`);
  }
}

async function sendMedia(kind: 'image' | 'video' | 'file', mediaId: string, deps: SendDeps): Promise<void> {
  const message = (mediaid: string): SendMessage =>
    kind === 'image'
      ? { msgtype: 'image', image: { mediaid } }
      : kind === 'video'
        ? { msgtype: 'video', video: { mediaid } }
        : { msgtype: 'file', file: { mediaid } };
  const first = await deps.mediaId(mediaId);
  try {
    await deps.send(message(first));
  } catch (err) {
    // Expired or unknown to WeCom: the server uploads the original again, once, and the part is sent again.
    if (!(err instanceof SdkError && err.kind === 'invalid-media')) throw err;
    await deps.send(message(await deps.mediaId(mediaId, first)));
  }
}

async function sendPart(part: SinglePart, deps: SendDeps): Promise<void> {
  switch (part.kind) {
    case 'text':
      return deps.send({ msgtype: 'text', text: { content: deps.resolve(part.text) } });
    case 'news':
      return deps.send({ msgtype: 'news', news: { ...part.news, title: deps.resolve(part.news.title) } });
    case 'image':
    case 'video':
    case 'file':
      return sendMedia(part.kind, part.mediaId, deps);
    case 'miniprogram': {
      const { appid, title, page, coverMediaId } = part.miniprogram;
      return deps.send({
        msgtype: 'miniprogram',
        miniprogram: { appid, title, page, imgUrl: await deps.coverUrl(coverMediaId) },
      });
    }
  }
}

/** Sends the parts in order; stops at the first failure (PartFailure names it). */
export async function sendParts(parts: SinglePart[], deps: SendDeps): Promise<void> {
  for (let i = 0; i < parts.length; i++) {
    deps.onProgress?.(i, parts.length);
    try {
      await sendPart(parts[i]!, deps);
    } catch (err) {
      throw new PartFailure(i, parts.length, parts[i]!, err);
    }
  }
  deps.onProgress?.(parts.length, parts.length);
}

/** Why a send failed, in the member's language: the client's refusal (with its errMsg) or our server's answer. */
export function failureReason(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.userMessage[lang];
  const sdk = toSdkError(err, 'sendChatMessage');
  return `${sdkErrorMessage(sdk).title[lang]}（${sdk.errMsg}）`;
}

/** 「第 3 部分（图片）发送失败：…」 for a part of a sequence, 「发送失败：…」 for a single message. */
export function failureText(err: unknown, lang: Lang): string {
  if (err instanceof PartFailure) {
    const reason = failureReason(err.cause, lang);
    if (err.total === 1) return lang === 'en' ? `Not sent: ${reason}` : `发送失败：${reason}`;
    const kind = KIND_LABEL[err.part.kind][lang];
    if (lang === 'en') {
      const before = err.index > 0 ? ` (parts 1–${err.index} were sent)` : '';
      return `Part ${err.index + 1} (${kind}) was not sent: ${reason}${before}`;
    }
    const before = err.index > 0 ? `；前 ${err.index} 部分已发送` : '';
    return `第 ${err.index + 1} 部分（${kind}）发送失败：${reason}${before}`;
  }
  const reason = failureReason(err, lang);
  return lang === 'en' ? `Not sent: ${reason}` : `发送失败：${reason}`;
}
