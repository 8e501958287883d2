import 'server-only';
import { createHash } from 'node:crypto';
import { errorResponse, HttpError } from '@/lib/http';
import type { Store } from '@/lib/store/types';
import {
  CallbackCryptoError,
  parseCallbackXml,
  xmlText,
  type CallbackCrypto,
  type SignedParams,
  type XmlObject,
} from './callback-crypto';

/**
 * One delivery of a WeCom callback (self-built app, third-party instruction or data callback): size limit,
 * replay window, signature, decryption, receiveid, strict XML and at-most-once handling. A refused delivery
 * changes nothing; a delivery is marked done only after its handler has stored what it had to store.
 */

export const MAX_CALLBACK_BYTES = 64 * 1024;
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const DONE_TTL_MS = 15 * 60 * 1000;
// WeCom waits about 5 s for an answer before it retries; a crashed holder must not block the retries for long.
const LOCK_TTL_MS = 15 * 1000;

export interface CallbackEndpoint {
  /** Key namespace for idempotency records, e.g. `app:<corpId>`, `suite:<suiteId>`, `suite-data:<suiteId>`. */
  name: string;
  crypto: CallbackCrypto;
  store: Store;
  /** Which receiveids a POST may carry (corpid for app callbacks, suiteid for instruction callbacks). */
  acceptReceiveId: (id: string) => boolean | Promise<boolean>;
  /** GET URL verification; defaults to accepting any receiveid (WeCom uses different ones per console). */
  acceptVerifyReceiveId?: (id: string) => boolean;
  now?: () => number;
}

export interface Delivery {
  /** The decrypted inner XML's children. */
  message: XmlObject;
  plaintext: string;
  receiveId: string;
  /** Stable id of this delivery (hash of the ciphertext): a retry of the same push has the same id. */
  id: string;
  query: URLSearchParams;
}

/** What a handler answers: nothing = `success`; a string = that plaintext body (e.g. an encrypted reply). */
export type DeliveryHandler = (delivery: Delivery) => Promise<string | void>;

function signedParams(query: URLSearchParams): SignedParams {
  return {
    msgSignature: query.get('msg_signature') ?? '',
    timestamp: query.get('timestamp') ?? '',
    nonce: query.get('nonce') ?? '',
  };
}

function checkTimestamp(timestamp: string, now: number): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackCryptoError('missing-parameter');
  if (Math.abs(Number(timestamp) * 1000 - now) > MAX_CLOCK_SKEW_MS)
    throw new CallbackCryptoError('stale-timestamp');
}

async function readLimited(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new CallbackCryptoError('too-large');
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new CallbackCryptoError('too-large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function text(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** GET URL verification: the response body is the decrypted echostr and nothing else. */
export async function verifyCallbackUrl(req: Request, ep: CallbackEndpoint): Promise<Response> {
  try {
    const query = new URL(req.url).searchParams;
    const params = signedParams(query);
    const echostr = query.get('echostr') ?? '';
    if (!echostr) throw new CallbackCryptoError('missing-parameter');
    checkTimestamp(params.timestamp, (ep.now ?? Date.now)());
    return text(ep.crypto.verifyUrl({ ...params, echostr }, ep.acceptVerifyReceiveId));
  } catch (err) {
    return errorResponse(err, req);
  }
}

/** Decrypts and checks a POSTed delivery without acting on it. */
export async function openDelivery(req: Request, ep: CallbackEndpoint): Promise<Delivery> {
  const body = await readLimited(req, MAX_CALLBACK_BYTES);
  const query = new URL(req.url).searchParams;
  const params = signedParams(query);
  if (!params.msgSignature || !params.nonce) throw new CallbackCryptoError('missing-parameter');
  checkTimestamp(params.timestamp, (ep.now ?? Date.now)());
  const envelope = parseCallbackXml(body);
  const encrypted = xmlText(envelope, 'Encrypt');
  ep.crypto.verify(params, encrypted);
  const { message: plaintext, receiveId } = ep.crypto.decrypt(encrypted);
  if (!(await ep.acceptReceiveId(receiveId))) throw new CallbackCryptoError('receiveid');
  const message = parseCallbackXml(plaintext);
  const id = createHash('sha256').update(encrypted).digest('hex');
  return { message, plaintext, receiveId, id, query };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POST delivery: refuse anything that does not verify (4xx, nothing stored), run the handler at most once per
 * delivery, and acknowledge only after it finished. A failed handler answers 500 so that WeCom retries.
 */
export async function receiveCallback(
  req: Request,
  ep: CallbackEndpoint,
  handler: DeliveryHandler,
): Promise<Response> {
  let delivery: Delivery;
  try {
    delivery = await openDelivery(req, ep);
  } catch (err) {
    return errorResponse(err, req);
  }
  const doneKey = `wecom:callback:${ep.name}:done:${delivery.id}`;
  const lockKey = `wecom:callback:${ep.name}:lock:${delivery.id}`;
  try {
    const previous = await ep.store.get(doneKey);
    if (previous !== null) return text(previous);
    let release = await ep.store.tryLock(lockKey, LOCK_TTL_MS);
    // The same push is being handled right now (WeCom retried early): wait a little for that outcome.
    for (let i = 0; !release && i < 8; i++) {
      await sleep(100);
      const done = await ep.store.get(doneKey);
      if (done !== null) return text(done);
      release = await ep.store.tryLock(lockKey, LOCK_TTL_MS);
    }
    if (!release) {
      throw new HttpError(409, 'callback-in-progress', {
        zh: '同一回调正在处理中，请稍后重试',
        en: 'The same callback is being handled; retry later',
      });
    }
    try {
      const again = await ep.store.get(doneKey);
      if (again !== null) return text(again);
      const reply = (await handler(delivery)) ?? 'success';
      await ep.store.set(doneKey, reply, DONE_TTL_MS);
      return text(reply);
    } finally {
      await release();
    }
  } catch (err) {
    return errorResponse(err, req);
  }
}

export interface RecordedEvent {
  at: number;
  event: string;
  changeType?: string;
  fields: Record<string, string>;
}

const MAX_EVENTS = 50;

/** Keeps the newest events of a corp (for the admin page and tests); a short lock keeps appends from racing. */
export async function recordEvent(
  store: Store,
  corpId: string,
  message: XmlObject,
  now = Date.now(),
): Promise<void> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(message)) if (typeof v === 'string') fields[k] = v;
  const entry: RecordedEvent = {
    at: now,
    event: xmlText(message, 'Event') || xmlText(message, 'InfoType') || xmlText(message, 'MsgType'),
    changeType: xmlText(message, 'ChangeType') || undefined,
    fields,
  };
  const key = `wecom:events:${corpId}`;
  let release = await store.tryLock(`${key}:lock`, 5000);
  for (let i = 0; !release && i < 20; i++) {
    await sleep(25);
    release = await store.tryLock(`${key}:lock`, 5000);
  }
  try {
    const list = await listEvents(store, corpId);
    list.unshift(entry);
    await store.set(key, JSON.stringify(list.slice(0, MAX_EVENTS)));
  } finally {
    await release?.();
  }
}

export async function listEvents(store: Store, corpId: string): Promise<RecordedEvent[]> {
  const raw = await store.get(`wecom:events:${corpId}`);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as RecordedEvent[]) : [];
  } catch {
    return [];
  }
}
