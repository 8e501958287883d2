'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { Button } from '@/components/ui';
import { api } from '@/lib/api-client';
import styles from './admin.module.css';

interface DocumentSummary {
  id: number;
  title: string;
  kind: string;
  fileName: string | null;
  passages: number;
  updatedAt: number;
}

interface Limits {
  maxFileBytes: number;
  maxPassagesPerDocument: number;
  maxPassagesPerCorp: number;
}

interface OpenQuestion {
  id: number;
  question: string;
  userId: string;
  reason: 'unanswered' | 'disliked';
  createdAt: number;
}

const KIND: Record<string, string> = {
  markdown: 'Markdown',
  text: '纯文本 / Text',
  docx: 'Word',
  pdf: 'PDF',
  csv: 'FAQ CSV',
  xlsx: 'FAQ Excel',
  qa: '问答对 / Q&A',
};

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Knowledge base admin: documents (upload, typed Q&A, delete), the synonym list, and questions to learn from. */
export function KnowledgeManager() {
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [qa, setQa] = useState({ question: '', answer: '' });
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [synonymsDraft, setSynonymsDraft] = useState<string | null>(null);
  const { data, error, mutate } = useSWR(
    'admin-knowledge',
    async () => {
      const [k, s, q] = await Promise.all([
        api.get<{ documents: DocumentSummary[]; limits: Limits }>('/api/admin/knowledge'),
        api.get<{ synonyms: string }>('/api/admin/knowledge/synonyms'),
        api.get<{ questions: OpenQuestion[] }>('/api/admin/knowledge/questions'),
      ]);
      return { ...k, synonyms: s.synonyms, open: q.questions };
    },
    { revalidateOnFocus: false },
  );
  const docs = data?.documents ?? null;
  const limits = data?.limits ?? null;
  const open = data?.open ?? [];
  const synonyms = synonymsDraft ?? data?.synonyms ?? '';
  const setSynonyms = setSynonymsDraft;
  const load = async () => {
    await mutate();
  };

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus({ text: await fn(), error: false });
      await load();
    } catch (err) {
      setStatus({ text: message(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  const upload = (form: HTMLFormElement) =>
    run(async () => {
      const body = await api.post<{ document: { title: string; passages: number } }>(
        '/api/admin/knowledge',
        new FormData(form),
      );
      form.reset();
      return `已添加《${body.document.title}》，${body.document.passages} 个段落 / Added, ${body.document.passages} passages`;
    });

  const totalPassages = docs?.reduce((n, d) => n + d.passages, 0) ?? 0;

  return (
    <div data-testid="knowledge-manager">
      {limits ? (
        <p className={styles.hint}>
          支持 Markdown、纯文本、Word（.docx）、PDF，以及含“问题”“答案”两列的 FAQ
          表格（CSV、.xlsx）；单个文件不超过 {limits.maxFileBytes / 1024 / 1024} MB，每个文档最多{' '}
          {limits.maxPassagesPerDocument} 个段落，整个知识库最多 {limits.maxPassagesPerCorp} 个段落（当前{' '}
          {totalPassages}）。 / Markdown, text, Word, PDF and FAQ sheets; at most{' '}
          {limits.maxFileBytes / 1024 / 1024} MB per file, {limits.maxPassagesPerDocument} passages per
          document, {limits.maxPassagesPerCorp} per knowledge base (now {totalPassages}).
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={styles.hint} style={{ color: '#b42318' }}>
          {message(error)}
        </p>
      ) : null}
      {status ? (
        <p role="status" className={styles.hint} style={{ color: status.error ? '#b42318' : '#067647' }}>
          {status.text}
        </p>
      ) : null}

      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void upload(e.currentTarget);
        }}
      >
        <label className={styles.field}>
          <span>上传文档 / Upload a document</span>
          <input name="file" type="file" accept=".md,.markdown,.txt,.docx,.pdf,.csv,.xlsx" required />
        </label>
        <label className={styles.field}>
          <span>标题（可选）/ Title (optional)</span>
          <input name="title" className={styles.input} maxLength={100} />
        </label>
        <Button type="submit" variant="primary" disabled={busy}>
          上传 / Upload
        </Button>
      </form>

      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.post('/api/admin/knowledge', qa);
            setQa({ question: '', answer: '' });
            return '已添加问答对 / Q&A pair added';
          });
        }}
      >
        <label className={styles.field}>
          <span>问题 / Question</span>
          <input
            className={styles.input}
            value={qa.question}
            maxLength={300}
            required
            onChange={(e) => setQa({ ...qa, question: e.target.value })}
          />
        </label>
        <label className={styles.field}>
          <span>答案 / Answer</span>
          <textarea
            className={styles.textarea}
            value={qa.answer}
            maxLength={4000}
            required
            onChange={(e) => setQa({ ...qa, answer: e.target.value })}
          />
        </label>
        <Button type="submit" disabled={busy}>
          添加问答对 / Add Q&amp;A pair
        </Button>
      </form>

      <h3>文档 / Documents</h3>
      {docs === null ? <p className={styles.hint}>加载中… / Loading…</p> : null}
      <ul data-testid="knowledge-documents">
        {docs?.map((d) => (
          <li key={d.id} data-testid="knowledge-document">
            <strong>{d.title}</strong> · {KIND[d.kind] ?? d.kind} · {d.passages} 段 / passages
            {d.fileName ? ` · ${d.fileName}` : ''}{' '}
            <Button
              size="small"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await api.del(`/api/admin/knowledge/${d.id}`);
                  return `已删除《${d.title}》 / Deleted`;
                })
              }
            >
              删除 / Delete
            </Button>
          </li>
        ))}
      </ul>

      <h3>同义词 / Synonyms</h3>
      <p className={styles.hint}>
        每行一组，用 = 分隔，例如：发票 = 开票 = 票据 / One group per line, e.g. 发票 = 开票 = 票据
      </p>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api.put<{ synonyms: string }>('/api/admin/knowledge/synonyms', { synonyms });
            setSynonyms(r.synonyms);
            return '同义词已保存并重新索引 / Synonyms saved and re-indexed';
          });
        }}
      >
        <textarea
          className={styles.textarea}
          value={synonyms}
          aria-label="同义词 / Synonyms"
          rows={6}
          onChange={(e) => setSynonyms(e.target.value)}
        />
        <Button type="submit" disabled={busy}>
          保存同义词 / Save synonyms
        </Button>
      </form>

      <h3>待补充的问题 / Questions to learn from</h3>
      <p className={styles.hint}>
        没找到答案或被点了 👎 的提问；写下答案即可转成问答对 / Questions that found nothing or got 👎; answer
        one to turn it into a Q&amp;A pair
      </p>
      {open.length === 0 ? <p className={styles.hint}>暂无 / None</p> : null}
      <ul data-testid="knowledge-questions">
        {open.map((q) => (
          <li key={q.id} data-testid="knowledge-question">
            <strong>{q.question}</strong> · {q.reason === 'disliked' ? '👎' : '未找到 / nothing found'} ·{' '}
            {q.userId}
            <form
              className={styles.form}
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  await api.post(`/api/admin/knowledge/questions/${q.id}`, { answer: answers[q.id] ?? '' });
                  return '已转为问答对 / Turned into a Q&A pair';
                });
              }}
            >
              <textarea
                className={styles.textarea}
                aria-label={`答案：${q.question}`}
                value={answers[q.id] ?? ''}
                required
                onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })}
              />
              <div>
                <Button type="submit" size="small" variant="primary" disabled={busy}>
                  转为问答对 / Add as Q&amp;A
                </Button>{' '}
                <Button
                  type="button"
                  size="small"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await api.del(`/api/admin/knowledge/questions/${q.id}`);
                      return '已忽略 / Dismissed';
                    })
                  }
                >
                  忽略 / Dismiss
                </Button>
              </div>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}
