'use client';

import { useEffect, useMemo, useState } from 'react';
import useSWR from 'swr';
import { Chip, Skeleton, StateMessage, Toast } from '@/components/ui';
import { api, type ApiError } from '@/lib/api-client';
import type { Bilingual, Lang } from '@/lib/bilingual';
import type { SinglePart } from '@/lib/content/body';
import type { QuickReply, ReplyCategory } from '@/lib/quick-replies';
import { resolveVariables, type VariableContext, type VariableProblem } from '@/lib/content/variables';
import type { CustomerProfile } from '@/lib/contacts-dto';
import { contactPath, unsendableKinds, type SendMsgtype, type WeComClient } from '@/lib/jssdk-client';
import { messages } from './i18n';
import { sidebarGet } from './api';
import { ApiErrorState } from './States';
import { failureText, KIND_LABEL, mediaUrl, partsOf, sendParts } from './send-reply';
import styles from './sidebar.module.css';
import r from './replies.module.css';

/** Where the library opened: a one-to-one chat, a customer group chat, or a chat's attachment bar (any chat). */
export type ReplyContext = { entry: 'single' } | { entry: 'group'; chatId: string } | { entry: 'attachment' };

/** A reply of the library as GET /api/quick-replies lists it. */
export type LibraryReply = QuickReply;
interface Library {
  items: LibraryReply[];
  categories?: ReplyCategory[];
}

const T = {
  favourites: { zh: '收藏', en: 'Favourites' },
  uncategorised: { zh: '未分类', en: 'Uncategorised' },
  searchPlaceholder: { zh: '搜索标题或内容', en: 'Search titles and contents' },
  favourite: { zh: '收藏', en: 'Add to favourites' },
  unfavourite: { zh: '取消收藏', en: 'Remove from favourites' },
  personal: { zh: '我的', en: 'Mine' },
  preview: { zh: '发送前预览', en: 'Preview before sending' },
  sendNow: { zh: '发送', en: 'Send' },
  sendAnyway: { zh: '仍然发送', en: 'Send anyway' },
  cancel: { zh: '取消', en: 'Cancel' },
  sentAll: { zh: '已发送到当前会话', en: 'Sent to the current chat' },
  variables: { zh: '含变量', en: 'Variables' },
  dismiss: { zh: '知道了', en: 'Dismiss' },
  parts: { zh: '部分', en: 'parts' },
} satisfies Record<string, Bilingual>;

const PROBLEM: Record<VariableProblem, Bilingual> = {
  unknown: { zh: '未知变量，将原样发送', en: 'unknown variable, sent as written' },
  group: { zh: '群聊中没有单个客户，将原样发送', en: 'a group chat has no single customer; sent as written' },
  'no-customer': {
    zh: '从附件栏打开时不知道客户，将原样发送',
    en: 'the attachment bar does not say who the customer is; sent as written',
  },
  missing: { zh: '该客户没有这项资料，将原样发送', en: 'this customer has no such detail; sent as written' },
};

const HIDDEN_WHY: Record<'no-api' | 'client-version' | 'mac-attachment', Bilingual> = {
  'no-api': { zh: '当前客户端不支持发送消息', en: 'this client cannot send messages' },
  'client-version': {
    zh: '小程序卡片需要 Mac 版企业微信 4.1.26 或以上（其他客户端 3.1.0 或以上）',
    en: 'mini-program cards need WeCom for Mac 4.1.26 or later (3.1.0 elsewhere)',
  },
  'mac-attachment': {
    zh: 'Mac 版企业微信暂不支持从附件栏发送',
    en: 'WeCom for Mac cannot send from the attachment bar yet',
  },
};

/** Texts a search looks in: the title and every part's texts. */
function haystack(reply: LibraryReply): string {
  const texts = [reply.title];
  for (const p of partsOf(reply)) {
    if (p.kind === 'text') texts.push(p.text);
    if (p.kind === 'news') texts.push(p.news.title, p.news.desc ?? '');
    if (p.kind === 'miniprogram') texts.push(p.miniprogram.title);
  }
  return texts.join('\n').toLowerCase();
}

function matches(reply: LibraryReply, query: string): boolean {
  if (!query) return true;
  const hay = haystack(reply);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/** Texts that variables are resolved in: text parts and link titles. */
function templatesOf(reply: LibraryReply): string[] {
  return partsOf(reply).flatMap((p) =>
    p.kind === 'text' ? [p.text] : p.kind === 'news' ? [p.news.title] : [],
  );
}

/** A random id for one send (crypto.randomUUID needs a secure context; getRandomValues does not). */
function sendId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Counts a send in the reply's usage; one retry after a network failure, with the same id (counted once). */
function recordUsage(replyId: string): void {
  const path = `/api/quick-replies/${encodeURIComponent(replyId)}/usage`;
  const body = { sendId: sendId() };
  void api
    .post(path, body)
    .catch((err: unknown) => ((err as ApiError).status === 0 ? api.post(path, body) : undefined))
    .catch(() => undefined);
}

const byOrder = (a: { order: number }, b: { order: number }) => a.order - b.order;

/**
 * The content library in the chat: favourites first, then the categories in their order; a search over titles and
 * contents; a click sends the reply into the chat through ww.sendChatMessage (images, videos and files by a WeCom
 * media_id the server provides), multi-part replies part by part with their progress. Replies with variables
 * show the resolved text first. Kinds this client cannot send are hidden, with a note saying why.
 */
export function QuickRepliesPanel({
  context,
  lang,
  client,
  entry,
  customerId,
}: {
  context: ReplyContext;
  lang: Lang;
  client: WeComClient;
  /** getContext's entry (hides what the client cannot send from there). */
  entry: string;
  /** The customer of a one-to-one chat (for the customer variables). */
  customerId?: string;
}) {
  const t = messages(lang);
  const url =
    context.entry === 'group'
      ? `/api/quick-replies?${new URLSearchParams({ entry: 'group', chatId: context.chatId })}`
      : context.entry === 'single'
        ? '/api/quick-replies?entry=single'
        : '/api/quick-replies';
  const { data, error, isValidating, mutate } = useSWR<Library, ApiError>(url, sidebarGet, {
    revalidateOnFocus: false,
    shouldRetryOnError: false,
  });
  const session = useSWR<{ user: { name?: string; userId: string } | null }>('/api/session', sidebarGet, {
    revalidateOnFocus: false,
  });
  const customer = useSWR<CustomerProfile, ApiError>(
    customerId ? contactPath(customerId) : null,
    sidebarGet,
    {
      revalidateOnFocus: false,
      shouldRetryOnError: false,
    },
  );
  const checked = useSWR('wecom:checkJsApi', () => client.checkJsApi(['sendChatMessage']), {
    revalidateOnFocus: false,
  });

  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState<{ id: string; sent: number; total: number } | null>(null);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ id: string; text: string } | null>(null);
  const [toast, setToast] = useState<string | null>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 2500);
    return () => clearTimeout(timer);
  }, [toast]);

  const variableContext: VariableContext = useMemo(() => {
    const member = { name: session.data?.user?.name ?? null };
    if (context.entry !== 'single') return { chat: context.entry === 'group' ? 'group' : 'unknown', member };
    const c = customer.data;
    return {
      chat: 'single',
      member,
      customer: c
        ? {
            name: c.name,
            remark: c.follow.remark,
            remarkCorpName: c.follow.remarkCorpName,
            corpName: c.corpName,
          }
        : null,
    };
  }, [context.entry, session.data, customer.data]);

  const unsendable = useMemo(
    () =>
      typeof navigator === 'undefined'
        ? new Map<SendMsgtype, 'no-api' | 'client-version' | 'mac-attachment'>()
        : unsendableKinds({ userAgent: navigator.userAgent, entry, checkResult: checked.data }),
    [entry, checked.data],
  );

  const { sendable, hidden } = useMemo(() => {
    // From the attachment bar the chat is unknown: replies meant for particular chats stay out.
    const items = (data?.items ?? []).filter((x) => context.entry !== 'attachment' || x.scope.type === 'all');
    const blocked = (x: LibraryReply) => partsOf(x).find((p) => unsendable.has(p.kind));
    const why = new Set<'no-api' | 'client-version' | 'mac-attachment'>();
    const ok: LibraryReply[] = [];
    let count = 0;
    for (const x of items) {
      const part = blocked(x);
      if (part) {
        count++;
        why.add(unsendable.get(part.kind)!);
      } else ok.push(x);
    }
    return { sendable: ok, hidden: { count, why: [...why] } };
  }, [data, unsendable, context.entry]);

  const groups = useMemo(() => {
    // In the server's order: the corp's replies as admins ordered them, then the member's own.
    const visible = sendable.filter((x) => matches(x, query.trim()));
    const favourites = visible.filter((x) => x.favourite);
    const rest = visible.filter((x) => !x.favourite);
    const categories = [...(data?.categories ?? [])].sort(byOrder);
    const known = new Set(categories.map((c) => c.id));
    const out: { key: string; name: string; items: LibraryReply[] }[] = [];
    if (favourites.length)
      out.push({ key: 'favourites', name: `★ ${T.favourites[lang]}`, items: favourites });
    for (const c of categories) {
      const items = rest.filter((x) => x.categoryId === c.id);
      if (items.length) out.push({ key: c.id, name: c.name, items });
    }
    const loose = rest.filter((x) => !x.categoryId || !known.has(x.categoryId));
    if (loose.length)
      out.push({ key: 'none', name: categories.length ? T.uncategorised[lang] : '', items: loose });
    return out;
  }, [sendable, query, data?.categories, lang]);

  async function send(reply: LibraryReply) {
    if (busy) return;
    setPreviewing(null);
    setFailure(null);
    const parts = partsOf(reply);
    setBusy({ id: reply.id, sent: 0, total: parts.length });
    try {
      await sendParts(parts, {
        send: (m) => client.sendChatMessage(m),
        mediaId: async (id, stale) =>
          (
            await api.post<{ mediaId: string }>(
              `/api/media/${encodeURIComponent(id)}/wecom-media-id`,
              stale ? { stale } : {},
            )
          ).mediaId,
        resolve: (text) => resolveVariables(text, variableContext).text,
        coverUrl: async (id) =>
          (await api.get<{ url: string }>(`/api/media/${encodeURIComponent(id)}/cover-url`)).url,
        onProgress: (sent, total) => setBusy({ id: reply.id, sent, total }),
      });
      setToast(T.sentAll[lang]);
      recordUsage(reply.id);
    } catch (err) {
      setFailure({ id: reply.id, text: failureText(err, lang) });
    } finally {
      setBusy(null);
    }
  }

  function activate(reply: LibraryReply) {
    if (busy) return;
    const needsPreview = templatesOf(reply).some((s) => resolveVariables(s, variableContext).hasVariables);
    if (needsPreview) setPreviewing(previewing === reply.id ? null : reply.id);
    else void send(reply);
  }

  async function toggleFavourite(reply: LibraryReply) {
    const next = !reply.favourite;
    const path = `/api/quick-replies/${encodeURIComponent(reply.id)}/favourite`;
    const flip = (lib: Library | undefined) =>
      lib && { ...lib, items: lib.items.map((x) => (x.id === reply.id ? { ...x, favourite: next } : x)) };
    try {
      await mutate(
        async (lib) => {
          if (next) await api.put(path);
          else await api.del(path);
          return flip(lib);
        },
        { optimisticData: (lib) => flip(lib)!, rollbackOnError: true, revalidate: false },
      );
    } catch (err) {
      setFailure({ id: reply.id, text: (err as ApiError).userMessage?.[lang] ?? String(err) });
    }
  }

  if (error)
    return <ApiErrorState error={error} lang={lang} onRetry={() => void mutate()} retrying={isValidating} />;
  if (!data) return <Skeleton label={t.loadingReplies} avatar={false} lines={5} />;

  const scopeLabel = (x: LibraryReply) =>
    x.scope.type === 'groups' ? t.scopeGroups : x.scope.type === 'single' ? t.scopeSingle : null;

  return (
    <div data-testid="quick-replies" style={{ display: 'contents' }}>
      <input
        type="search"
        className={styles.search}
        placeholder={T.searchPlaceholder[lang]}
        aria-label={T.searchPlaceholder[lang]}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {hidden.count > 0 ? (
        <p className={r.hiddenNote} data-testid="hidden-note">
          {lang === 'en'
            ? `${hidden.count} ${hidden.count === 1 ? 'reply is' : 'replies are'} hidden: ${hidden.why.map((w) => HIDDEN_WHY[w].en).join('; ')}.`
            : `已隐藏 ${hidden.count} 条当前客户端无法发送的回复：${hidden.why.map((w) => HIDDEN_WHY[w].zh).join('；')}。`}
        </p>
      ) : null}
      {failure ? (
        <div className={r.failure} role="alert" data-testid="send-error" data-reply-id={failure.id}>
          <span>{failure.text}</span>
          <button type="button" className={r.linkButton} onClick={() => setFailure(null)}>
            {T.dismiss[lang]}
          </button>
        </div>
      ) : null}
      {data.items.length === 0 ? (
        <StateMessage state="no-replies" title={t.noReplies}>
          <p>{t.noRepliesBody}</p>
        </StateMessage>
      ) : groups.length === 0 ? (
        <StateMessage state="no-matches" title={t.noMatches} />
      ) : (
        groups.map((g) => (
          <section key={g.key} className={r.group} data-testid="reply-group" data-group={g.key}>
            {g.name ? <h3 className={r.groupName}>{g.name}</h3> : null}
            <ul className={styles.replyList}>
              {g.items.map((x) => (
                <li key={x.id} data-testid="quick-reply-item" data-reply-id={x.id}>
                  <div className={r.row}>
                    <button
                      type="button"
                      className={styles.reply}
                      onClick={() => activate(x)}
                      disabled={busy !== null}
                      data-testid="quick-reply"
                      data-reply-id={x.id}
                      data-kind={x.kind}
                      aria-expanded={previewing === x.id ? true : undefined}
                      aria-label={`${t.send}：${x.title}`}
                    >
                      <span className={styles.replyHead}>
                        <span className={styles.replyTitle}>{x.title}</span>
                        {x.owner === 'personal' ? <Chip tone="muted">{T.personal[lang]}</Chip> : null}
                        {scopeLabel(x) ? <Chip tone="muted">{scopeLabel(x)}</Chip> : null}
                        <Chip tone={x.kind === 'text' ? 'default' : 'accent'}>
                          {busy?.id === x.id
                            ? busy.total > 1
                              ? `${t.sending} ${Math.min(busy.sent + 1, busy.total)}/${busy.total}`
                              : t.sending
                            : x.kind === 'sequence'
                              ? `${KIND_LABEL.sequence[lang]} · ${x.parts.length}`
                              : KIND_LABEL[x.kind][lang]}
                        </Chip>
                      </span>
                      <ReplyContent reply={x} lang={lang} />
                    </button>
                    <button
                      type="button"
                      className={r.star}
                      aria-pressed={!!x.favourite}
                      aria-label={`${x.favourite ? T.unfavourite[lang] : T.favourite[lang]}：${x.title}`}
                      title={x.favourite ? T.unfavourite[lang] : T.favourite[lang]}
                      data-testid="favourite-toggle"
                      onClick={() => void toggleFavourite(x)}
                    >
                      {x.favourite ? '★' : '☆'}
                    </button>
                  </div>
                  {busy?.id === x.id && busy.total > 1 ? (
                    <div className={r.progress} role="status" data-testid="send-progress">
                      <progress max={busy.total} value={busy.sent} />
                      <span>
                        {Math.min(busy.sent + 1, busy.total)}/{busy.total}
                      </span>
                    </div>
                  ) : null}
                  {previewing === x.id ? (
                    <VariablePreview
                      reply={x}
                      lang={lang}
                      context={variableContext}
                      onSend={() => void send(x)}
                      onCancel={() => setPreviewing(null)}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {toast ? <Toast message={toast} tone="ok" /> : null}
    </div>
  );
}

/** The resolved texts of a reply with variables; flagged variables are marked with why they stay as written. */
function VariablePreview({
  reply,
  lang,
  context,
  onSend,
  onCancel,
}: {
  reply: LibraryReply;
  lang: Lang;
  context: VariableContext;
  onSend: () => void;
  onCancel: () => void;
}) {
  const resolved = templatesOf(reply).map((s) => resolveVariables(s, context));
  const flagged = resolved.flatMap((x) => x.flagged);
  const unique = flagged.filter((f, i) => flagged.findIndex((g) => g.name === f.name) === i);
  return (
    <div className={r.preview} data-testid="variable-preview">
      <p className={r.previewLabel}>{T.preview[lang]}</p>
      {resolved.map((x, i) => (
        <p key={i} className={r.previewText} data-testid="preview-text">
          {x.segments.map((s, j) =>
            s.kind === 'text' ? (
              <span key={j}>{s.text}</span>
            ) : s.kind === 'variable' ? (
              <mark key={j} className={r.resolved} title={s.raw}>
                {s.value}
              </mark>
            ) : (
              <mark
                key={j}
                className={r.flagged}
                data-testid="flagged-variable"
                title={PROBLEM[s.problem][lang]}
              >
                {s.raw}
              </mark>
            ),
          )}
        </p>
      ))}
      {unique.length ? (
        <ul className={r.flags} data-testid="flagged-list">
          {unique.map((f) => (
            <li key={f.name}>
              {`{${f.name}}`}：{PROBLEM[f.problem][lang]}
            </li>
          ))}
        </ul>
      ) : null}
      <div className={r.previewActions}>
        <button type="button" className={r.primary} onClick={onSend} data-testid="preview-send">
          {unique.length ? T.sendAnyway[lang] : T.sendNow[lang]}
        </button>
        <button type="button" className={r.linkButton} onClick={onCancel}>
          {T.cancel[lang]}
        </button>
      </div>
    </div>
  );
}

/** What a reply sends, at a glance: texts, link and mini-program cards, image thumbnails, video and file chips. */
function ReplyContent({ reply, lang }: { reply: LibraryReply; lang: Lang }) {
  if (reply.kind !== 'sequence') return <PartPreview part={reply} lang={lang} />;
  return (
    <ol className={r.parts}>
      {reply.parts.map((p, i) => (
        <li key={i} className={r.part}>
          <span className={r.partKind}>
            {i + 1}. {KIND_LABEL[p.kind][lang]}
          </span>
          <PartPreview part={p} lang={lang} compact />
        </li>
      ))}
    </ol>
  );
}

function PartPreview({ part, lang, compact }: { part: SinglePart; lang: Lang; compact?: boolean }) {
  switch (part.kind) {
    case 'text':
      return <span className={compact ? r.partText : styles.replyText}>{part.text}</span>;
    case 'news':
      return (
        <span className={styles.news}>
          <span className={styles.newsText}>
            <span className={styles.newsTitle} style={{ display: 'block' }}>
              {part.news.title}
            </span>
            {part.news.desc && !compact ? (
              <span className={styles.newsDesc} style={{ display: 'block' }}>
                {part.news.desc}
              </span>
            ) : null}
          </span>
          {part.news.imgUrl ? (
            // Cover images live on any host the admin chose.
            // eslint-disable-next-line @next/next/no-img-element
            <img className={styles.newsImg} src={part.news.imgUrl} alt="" loading="lazy" />
          ) : null}
        </span>
      );
    case 'image':
      return (
        // The original, from this app (members of the corp only).
        // eslint-disable-next-line @next/next/no-img-element
        <img
          className={compact ? r.thumbSmall : r.thumb}
          src={mediaUrl(part.mediaId)}
          alt={KIND_LABEL.image[lang]}
          loading="lazy"
          data-testid="image-thumb"
        />
      );
    case 'video':
      return <span className={r.mediaChip}>▶ {KIND_LABEL.video[lang]}</span>;
    case 'file':
      return <span className={r.mediaChip}>📄 {KIND_LABEL.file[lang]}</span>;
    case 'miniprogram':
      return (
        <span className={styles.news}>
          <span className={styles.newsText}>
            <span className={styles.newsTitle} style={{ display: 'block' }}>
              {part.miniprogram.title}
            </span>
            <span className={styles.newsDesc} style={{ display: 'block' }}>
              {KIND_LABEL.miniprogram[lang]} · {part.miniprogram.page}
            </span>
          </span>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            className={styles.newsImg}
            src={mediaUrl(part.miniprogram.coverMediaId)}
            alt=""
            loading="lazy"
          />
        </span>
      );
  }
}
