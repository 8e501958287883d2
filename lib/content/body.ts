import { z } from 'zod';

/**
 * What a reply sends, for quick replies and scheduled messages alike: text, a link card, an image, video or file
 * (an uploaded media record), a mini-program card, or a sequence of up to 9 of those sent in order.
 */

export const MAX_SEQUENCE_PARTS = 9;

const httpUrl = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        return false;
      }
    }, '必须是 http(s) 链接 / must be an http(s) URL');

export const MediaIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '素材 id 无效 / invalid media id');

export const TextBodySchema = z.object({ kind: z.literal('text'), text: z.string().trim().min(1).max(2000) });
export const NewsBodySchema = z.object({
  kind: z.literal('news'),
  news: z.object({
    link: httpUrl(1024),
    title: z.string().trim().min(1).max(64),
    desc: z.string().trim().max(256).optional(),
    /** Optional cover; a card without one is sent with the app's default cover, never with an empty imgUrl. */
    imgUrl: httpUrl(1024).optional(),
  }),
});
export const MediaBodySchema = z.object({
  kind: z.enum(['image', 'video', 'file']),
  mediaId: MediaIdSchema,
});
export const MiniprogramBodySchema = z.object({
  kind: z.literal('miniprogram'),
  miniprogram: z.object({
    appid: z
      .string()
      .regex(/^wx[0-9a-zA-Z]{16}$/, '小程序 AppID 形如 wx 加 16 位 / an AppID is wx and 16 characters'),
    /** WeChat opens mini-program pages by their .html path. */
    page: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .refine((p) => /\.html(\?.*)?$/.test(p), '页面路径须以 .html 结尾 / the page path must end in .html'),
    title: z.string().trim().min(1).max(64),
    coverMediaId: MediaIdSchema,
  }),
});

export const SinglePartSchema = z.discriminatedUnion('kind', [
  TextBodySchema,
  NewsBodySchema,
  MediaBodySchema,
  MiniprogramBodySchema,
]);

export const SequenceBodySchema = z.object({
  kind: z.literal('sequence'),
  parts: z.array(SinglePartSchema).min(1).max(MAX_SEQUENCE_PARTS),
});

export const ReplyBodySchema = z.union([SinglePartSchema, SequenceBodySchema]);

export type SinglePart = z.infer<typeof SinglePartSchema>;
export type ReplyBody = z.infer<typeof ReplyBodySchema>;

/** The parts sent, in order. */
export function partsOf(body: ReplyBody): SinglePart[] {
  return body.kind === 'sequence' ? body.parts : [body];
}

/** Media records a body refers to (for checks that they exist and belong to the corp). */
export function mediaIdsOf(body: ReplyBody): string[] {
  return partsOf(body).flatMap((p) =>
    p.kind === 'image' || p.kind === 'video' || p.kind === 'file'
      ? [p.mediaId]
      : p.kind === 'miniprogram'
        ? [p.miniprogram.coverMediaId]
        : [],
  );
}

/** The texts a member searches a reply by: its title and every text of its body, lowercased, one per line. */
export function searchTextOf(title: string, body: ReplyBody): string {
  const texts = partsOf(body).flatMap((p) =>
    p.kind === 'text'
      ? [p.text]
      : p.kind === 'news'
        ? [p.news.title, p.news.desc ?? '']
        : p.kind === 'miniprogram'
          ? [p.miniprogram.title]
          : [],
  );
  return [title, ...texts]
    .filter((t) => t)
    .join('\n')
    .toLowerCase();
}
