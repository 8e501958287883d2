import OpenAI from 'openai';

/**
 * Optional embeddings from an OpenAI-compatible endpoint (LLM_EMBEDDING_MODEL with LLM_BASE_URL / LLM_API_KEY).
 * Passages get a vector when stored; a question gets one when asked, and its cosine similarity is combined with
 * the BM25 score (lib/kb/search-index.ts). Any failure leaves lexical retrieval as it is.
 */

export interface EmbeddingSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const BATCH = 64;

export async function embed(settings: EmbeddingSettings, texts: string[]): Promise<Float32Array[]> {
  const client = new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH).map((t) => t.slice(0, 2000) || ' ');
    const res = await client.embeddings.create({ model: settings.model, input: batch });
    const sorted = [...res.data].sort((a, b) => a.index - b.index);
    for (const d of sorted) out.push(unit(Float32Array.from(d.embedding)));
  }
  return out;
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeVector(s: string | null): Float32Array | null {
  if (!s) return null;
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
