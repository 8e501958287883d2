'use client';

import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { Button, Toast } from '@/components/ui';
import { api, ApiError } from '@/lib/api-client';
import { assistantText, type Lang } from './i18n';
import styles from './assistant.module.css';

/**
 * The assistant (问答): type or paste the customer's question, see the best passages with the matching words
 * highlighted, send one (or an edited version) into the chat, ask for a generated answer with numbered
 * citations, and say whether it helped. Used in the sidebar tab and as the workbench page.
 */

export interface Passage {
  passageId: number;
  documentId: number;
  title: string;
  heading: string;
  question: string | null;
  text: string;
  source: string;
  score: number;
  highlights: Array<[number, number]>;
}

interface SearchAnswer {
  results: Passage[];
  answerable: boolean;
  queryId: number;
}

interface Generated {
  text: string;
  state: 'streaming' | 'done' | 'declined' | 'fallback';
  note?: string;
  citations: number[];
}

export interface AssistantPanelProps {
  lang: Lang;
  /** Sends text into the current chat (sidebar); absent on the workbench page. */
  send?: (text: string) => Promise<void>;
  /** Questions to offer before anything is typed (from the customer's tags and stage, or the member's own). */
  suggestionsUrl?: string;
  suggestionsLabel?: 'suggested' | 'recent';
}

function Highlighted({ text, ranges }: { text: string; ranges: Array<[number, number]> }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    if (s > at) parts.push(<Fragment key={`t${i}`}>{text.slice(at, s)}</Fragment>);
    parts.push(<mark key={`m${i}`}>{text.slice(s, e)}</mark>);
    at = e;
  });
  if (at < text.length) parts.push(<Fragment key="end">{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

/** Splits "…[2]…" into text and citation buttons. */
function WithCitations({ text, onCite }: { text: string; onCite: (n: number) => void }) {
  const parts = text.split(/(\[\d+\])/);
  return (
    <>
      {parts.map((p, i) => {
        const m = /^\[(\d+)\]$/.exec(p);
        return m ? (
          <button key={i} type="button" className={styles.cite} onClick={() => onCite(Number(m[1]))}>
            {p}
          </button>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        );
      })}
    </>
  );
}

export function AssistantPanel({
  lang,
  send,
  suggestionsUrl,
  suggestionsLabel = 'suggested',
}: AssistantPanelProps) {
  const t = assistantText(lang);
  const [question, setQuestion] = useState('');
  const [asked, setAsked] = useState('');
  const [busy, setBusy] = useState<'search' | 'answer' | null>(null);
  const [found, setFound] = useState<SearchAnswer | null>(null);
  const [generated, setGenerated] = useState<Generated | null>(null);
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [toast, setToast] = useState<{ message: string; tone: 'ok' | 'error' } | null>(null);
  const [feedback, setFeedback] = useState<boolean | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!suggestionsUrl) return;
    let cancelled = false;
    api
      .get<{ questions: string[] }>(suggestionsUrl)
      .then((b) => {
        if (!cancelled) setSuggestions(b.questions);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [suggestionsUrl, found]);

  const flash = (message: string, tone: 'ok' | 'error' = 'ok') => {
    setToast({ message, tone });
    setTimeout(() => setToast(null), 2500);
  };

  const runSearch = useCallback(
    async (q: string) => {
      const text = q.trim();
      if (!text) return;
      setBusy('search');
      setGenerated(null);
      setEditing(null);
      setActive(null);
      setFeedback(null);
      try {
        setFound(await api.get<SearchAnswer>('/api/assistant/search', { query: { q: text, limit: 5 } }));
        setAsked(text);
      } catch (err) {
        flash(err instanceof ApiError ? err.userMessage[lang] : t.error, 'error');
      } finally {
        setBusy(null);
      }
    },
    [lang, t.error],
  );

  const generate = async () => {
    const text = (asked || question).trim();
    if (!text) return;
    setBusy('answer');
    setGenerated({ text: '', state: 'streaming', citations: [] });
    try {
      const res = await api.stream('/api/assistant/answer', { question: text });
      if (!res.body) throw new Error(t.error);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let answer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>;
          const note = (lang === 'en' ? data.en : data.zh) as string | undefined;
          if (name === 'passages') {
            setFound(data as unknown as SearchAnswer);
            setAsked(text);
          } else if (name === 'delta') {
            answer += data.text as string;
            setGenerated({ text: answer, state: 'streaming', citations: [] });
          } else if (name === 'done') {
            setGenerated({ text: data.text as string, state: 'done', citations: data.citations as number[] });
          } else if (name === 'declined') {
            setGenerated({ text: '', state: 'declined', note, citations: [] });
          } else if (name === 'fallback') {
            setGenerated({ text: '', state: 'fallback', note, citations: [] });
          }
        }
      }
    } catch (err) {
      setGenerated({
        text: '',
        state: 'fallback',
        note: err instanceof ApiError ? err.userMessage[lang] : t.error,
        citations: [],
      });
    } finally {
      setBusy(null);
    }
  };

  const sendText = async (text: string) => {
    if (!send) return;
    try {
      await send(text);
      setEditing(null);
      flash(t.sent);
    } catch (err) {
      flash(`${t.sendFailed}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };

  const rate = async (helpful: boolean) => {
    if (!found) return;
    setFeedback(helpful);
    await api.post('/api/assistant/feedback', { queryId: found.queryId, helpful }).catch(() => undefined);
  };

  const cite = (n: number) => {
    const p = found?.results[n - 1];
    if (!p) return;
    setActive(p.passageId);
    listRef.current?.querySelector(`[data-passage="${p.passageId}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <section className={styles.panel} aria-label={lang === 'en' ? 'Assistant' : '问答'}>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void runSearch(question);
        }}
      >
        <textarea
          className={styles.input}
          value={question}
          maxLength={300}
          placeholder={t.placeholder}
          aria-label={t.placeholder}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void runSearch(question);
            }
          }}
        />
        <div className={styles.actions}>
          <Button type="submit" variant="primary" size="small" disabled={busy !== null || !question.trim()}>
            {busy === 'search' ? t.searching : t.search}
          </Button>
          <Button
            type="button"
            size="small"
            disabled={busy !== null || !question.trim()}
            onClick={() => void generate()}
          >
            {busy === 'answer' ? t.generating : t.generate}
          </Button>
        </div>
      </form>

      {suggestions.length > 0 && !found ? (
        <div className={styles.chips}>
          <span className={styles.label}>{suggestionsLabel === 'recent' ? t.recent : t.suggested}</span>
          {suggestions.map((s) => (
            <button
              key={s}
              type="button"
              className={styles.chip}
              onClick={() => {
                setQuestion(s);
                void runSearch(s);
              }}
            >
              {s}
            </button>
          ))}
        </div>
      ) : null}

      {generated ? (
        <div className={styles.answer} data-testid="assistant-answer" data-state={generated.state}>
          <div className={styles.meta}>{t.answer}</div>
          {generated.note ? <p className={styles.note}>{generated.note}</p> : null}
          {generated.text ? (
            <div className={styles.text}>
              <WithCitations text={generated.text} onCite={cite} />
            </div>
          ) : null}
          {generated.state === 'done' && send ? (
            <div className={styles.actions}>
              <Button
                size="small"
                variant="primary"
                onClick={() => void sendText(generated.text.replace(/\s*\[\d+\]/g, ''))}
              >
                {t.sendAnswer}
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}

      {found ? (
        <>
          {found.results.length === 0 ? <p className={styles.note}>{t.noResults}</p> : null}
          {found.results.length > 0 && !found.answerable ? (
            <p className={styles.note}>{t.notCovered}</p>
          ) : null}
          <ol className={styles.results} ref={listRef}>
            {found.results.map((p, i) => (
              <li
                key={p.passageId}
                data-passage={p.passageId}
                data-testid="assistant-passage"
                className={active === p.passageId ? `${styles.result} ${styles.resultActive}` : styles.result}
              >
                <div className={styles.meta}>
                  [{i + 1}] <span className={styles.title}>{p.title}</span>
                  {p.heading ? ` › ${p.heading}` : ''} · {p.source}
                </div>
                {p.question ? <div className={styles.question}>{p.question}</div> : null}
                {editing?.id === p.passageId ? (
                  <textarea
                    className={styles.input}
                    value={editing.text}
                    aria-label={t.edit}
                    onChange={(e) => setEditing({ id: p.passageId, text: e.target.value })}
                  />
                ) : (
                  <div className={styles.text}>
                    <Highlighted text={p.text} ranges={p.highlights} />
                  </div>
                )}
                {send ? (
                  <div className={styles.actions}>
                    {editing?.id === p.passageId ? (
                      <>
                        <Button size="small" variant="primary" onClick={() => void sendText(editing.text)}>
                          {t.send}
                        </Button>
                        <Button size="small" onClick={() => setEditing(null)}>
                          {t.cancel}
                        </Button>
                      </>
                    ) : (
                      <>
                        <Button size="small" variant="primary" onClick={() => void sendText(p.text)}>
                          {t.send}
                        </Button>
                        <Button size="small" onClick={() => setEditing({ id: p.passageId, text: p.text })}>
                          {t.edit}
                        </Button>
                      </>
                    )}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
          <div className={styles.feedback}>
            {feedback === null ? (
              <>
                <button
                  type="button"
                  className={styles.chip}
                  onClick={() => void rate(true)}
                  aria-label={t.helpful}
                >
                  👍 {t.helpful}
                </button>
                <button
                  type="button"
                  className={styles.chip}
                  onClick={() => void rate(false)}
                  aria-label={t.unhelpful}
                >
                  👎 {t.unhelpful}
                </button>
              </>
            ) : (
              <span>{t.thanks}</span>
            )}
          </div>
        </>
      ) : null}
      {toast ? <Toast message={toast.message} tone={toast.tone} /> : null}
    </section>
  );
}
