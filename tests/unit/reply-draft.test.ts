import { describe, expect, it } from 'vitest';
import { MAX_SEQUENCE_PARTS, ReplyBodySchema, type ReplyBody } from '@/lib/content/body';
import {
  draftOf,
  emptyDraft,
  emptyPart,
  payload,
  searchText,
  validate,
  type ReplyDraft,
} from '@/components/content/draft';
import type { QuickReply } from '@/components/content/types';

const MEDIA = 'a1b2c3d4e5f6a7b8';

function reply(body: ReplyBody, extra: Partial<QuickReply> = {}): QuickReply {
  return {
    ...body,
    id: 'r1',
    title: '标题',
    scope: { type: 'all' },
    order: 0,
    categoryId: null,
    owner: 'corp',
    favourite: false,
    usage: { count: 0, lastUsedAt: null },
    ...extra,
  } as QuickReply;
}

const bodies: ReplyBody[] = [
  { kind: 'text', text: '您好' },
  {
    kind: 'news',
    news: { link: 'https://example.com/a', title: '卡片', desc: '描述', imgUrl: 'https://example.com/c.png' },
  },
  { kind: 'news', news: { link: 'https://example.com/a', title: '无封面' } },
  { kind: 'image', mediaId: MEDIA },
  { kind: 'video', mediaId: MEDIA },
  { kind: 'file', mediaId: MEDIA },
  {
    kind: 'miniprogram',
    miniprogram: {
      appid: 'wx0123456789abcdef',
      page: 'pages/a/index.html',
      title: '下单',
      coverMediaId: MEDIA,
    },
  },
  {
    kind: 'sequence',
    parts: [
      { kind: 'text', text: '先看介绍' },
      { kind: 'news', news: { link: 'https://example.com/b', title: '介绍' } },
      { kind: 'image', mediaId: MEDIA },
    ],
  },
];

describe('reply editor drafts', () => {
  it.each(bodies.map((b) => [b.kind, b] as const))('a %s reply opens and saves back unchanged', (_, body) => {
    const r = reply(body, { scope: { type: 'groups', chatIds: ['wrAAAA', 'wrBBBB'] }, categoryId: 'c1' });
    const d = draftOf(r);
    expect(validate(d)).toEqual({});
    const out = payload(d, d.categoryId);
    const { title, scope, categoryId, ...rest } = out;
    expect({ title, scope, categoryId }).toEqual({ title: '标题', scope: r.scope, categoryId: 'c1' });
    expect(rest).toEqual(body);
    // What the form sends is what the server's schema accepts.
    expect(ReplyBodySchema.safeParse(rest).success).toBe(true);
  });

  it('a link card without a cover is sent without imgUrl (the app then uses its default cover)', () => {
    const d: ReplyDraft = { ...emptyDraft(), title: 't', kind: 'news' };
    d.main = { ...emptyPart('news'), link: 'https://example.com', newsTitle: '卡', imgUrl: '  ' };
    const out = payload(d) as Extract<ReplyBody, { kind: 'news' }>;
    expect(out.news).toEqual({ link: 'https://example.com', title: '卡' });
    expect('imgUrl' in out.news).toBe(false);
  });

  it('category: absent when never set, null when cleared', () => {
    const d: ReplyDraft = { ...emptyDraft(), title: 't', main: { ...emptyPart(), text: 'x' } };
    expect('categoryId' in payload(d)).toBe(false);
    expect(payload(d, 'c1').categoryId).toBeNull();
    expect(payload({ ...d, categoryId: 'c2' }).categoryId).toBe('c2');
  });

  it('names each wrong field, inside sequence parts too', () => {
    const d: ReplyDraft = {
      ...emptyDraft(),
      title: '',
      kind: 'sequence',
      parts: [
        { ...emptyPart('miniprogram'), appid: 'wx1', page: 'pages/index', mpTitle: '' },
        { ...emptyPart('news'), link: 'ftp://x', newsTitle: 'ok' },
        emptyPart('image'),
      ],
      scopeType: 'groups',
      chatIds: 'wr#bad',
    };
    expect(Object.keys(validate(d)).sort()).toEqual(
      [
        'title',
        'parts.0.appid',
        'parts.0.page',
        'parts.0.mpTitle',
        'parts.0.coverMediaId',
        'parts.1.link',
        'parts.2.mediaId',
        'chatIds',
      ].sort(),
    );
    const tooMany = { ...d, parts: Array.from({ length: MAX_SEQUENCE_PARTS + 1 }, () => emptyPart()) };
    expect(validate(tooMany).parts).toContain(String(MAX_SEQUENCE_PARTS));
  });

  it('search looks through the title and every text, any case', () => {
    const r = reply(bodies[7]!, { title: 'Opening 三连' });
    expect(searchText(r)).toContain('opening');
    expect(searchText(r)).toContain('先看介绍');
    expect(searchText(r)).toContain('介绍');
  });
});
