import 'server-only';
import { createHash } from 'node:crypto';
import { errorResponse, HttpError } from '@/lib/http';
import type { Db } from '@/lib/db';
import { readJson } from '@/lib/json';
import { LockTimeoutError, withLock } from '@/lib/store/lock';
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
  /** Stable id of this delivery (hash of the decrypted message): a retry of the same push has the same id. */
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
  // WeCom seals each retry anew (timestamp, nonce, random): the same message is the same delivery.
  const id = createHash('sha256').update(`${receiveId}\n${plaintext}`).digest('hex');
  return { message, plaintext, receiveId, id, query };
}

/**
 * POST delivery: refuse anything that does not verify (4xx, nothing stored), run the handler at most once per
 * delivery, and acknowledge only after it finished. A failed handler answers 500 so that WeCom retries.
 * The "done" records are a replay guard in the store; what must not be lost the handler stores in the database,
 * where a retried event is stored once too (by its dedup key), even if the store forgot the delivery.
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
    // The same push may be handled right now (WeCom retried early): wait a little for that outcome.
    const reply = await withLock(
      ep.store,
      lockKey,
      async () => {
        const again = await ep.store.get(doneKey);
        if (again !== null) return again;
        const answer = (await handler(delivery)) ?? 'success';
        await ep.store.set(doneKey, answer, DONE_TTL_MS);
        return answer;
      },
      {
        ttlMs: LOCK_TTL_MS,
        waitMs: 800,
        pollMs: 100,
        whileWaiting: async () => (await ep.store.get(doneKey)) ?? undefined,
      },
    );
    return text(reply);
  } catch (err) {
    if (err instanceof LockTimeoutError) {
      return errorResponse(
        new HttpError(409, 'callback-in-progress', {
          zh: '同一回调正在处理中，请稍后重试',
          en: 'The same callback is being handled; retry later',
        }),
        req,
      );
    }
    return errorResponse(err, req);
  }
}

/** Which callback URL an event came in on. */
export type EventSource = 'app' | 'suite' | 'suite-data';

export interface RecordedEvent {
  id: number;
  at: number;
  source: EventSource;
  event: string;
  changeType?: string;
  externalUserId?: string;
  userId?: string;
  chatId?: string;
  tagId?: string;
  /** The decrypted message's fields (nested lists such as MemChangeList keep their shape). */
  fields: XmlObject;
}

const textOrNull = (message: XmlObject, name: string) => xmlText(message, name) || null;

/** The event's kind: Event (self-built and data callbacks), InfoType (instruction callbacks) or MsgType. */
export function eventType(message: XmlObject): string {
  return xmlText(message, 'Event') || xmlText(message, 'InfoType') || xmlText(message, 'MsgType');
}

export interface RecordEventInput {
  corpId: string;
  source: EventSource;
  message: XmlObject;
  /** The decrypted XML as received: the same event delivered again has the same text. */
  plaintext: string;
  /** Leave the event pending (processed_at null) for work after the acknowledgement. */
  pending?: boolean;
  now?: number;
  /** Instead of the key from source, corp and plaintext (events copied from elsewhere). */
  dedupKey?: string;
}

/** The dedup key of an event: a retry or replay of the same push (same decrypted XML) gets the same key. */
export function eventDedupKey(source: EventSource, corpId: string, plaintext: string): string {
  return createHash('sha256').update(`${source}\n${corpId}\n${plaintext}`).digest('hex');
}

/**
 * Appends an event to the callback event log, once: a retried or replayed push finds its dedup key taken and
 * changes nothing. Returns the event's id and whether this call stored it.
 */
export async function recordEvent(
  db: Db,
  input: RecordEventInput,
): Promise<{ id: number; inserted: boolean }> {
  const { corpId, source, message } = input;
  const type = eventType(message);
  const at = input.now ?? Date.now();
  const dedupKey = input.dedupKey ?? eventDedupKey(source, corpId, input.plaintext);
  const inserted = await db
    .insertInto('callback_events')
    .values({
      corp_id: corpId,
      source,
      event_type: type,
      change_type: textOrNull(message, 'ChangeType'),
      external_userid: textOrNull(message, 'ExternalUserID'),
      userid: textOrNull(message, 'UserID'),
      chat_id: textOrNull(message, 'ChatId'),
      tag_id: type === 'change_external_tag' ? textOrNull(message, 'Id') : null,
      payload: JSON.stringify(message),
      dedup_key: dedupKey,
      received_at: at,
      processed_at: input.pending ? null : at,
      attempts: 0,
      last_error: null,
      locked_until: null,
      result: null,
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, inserted: true };
  const existing = await db
    .selectFrom('callback_events')
    .select('id')
    .where('dedup_key', '=', dedupKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, inserted: false };
}

/** A corp's newest events first (admin page, tests, the customer timeline). */
export async function listEvents(
  db: Db,
  corpId: string,
  options: { limit?: number; externalUserId?: string } = {},
): Promise<RecordedEvent[]> {
  let query = db
    .selectFrom('callback_events')
    .selectAll()
    .where('corp_id', '=', corpId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
  if (options.externalUserId) query = query.where('external_userid', '=', options.externalUserId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.received_at,
    source: row.source as EventSource,
    event: row.event_type,
    changeType: row.change_type ?? undefined,
    externalUserId: row.external_userid ?? undefined,
    userId: row.userid ?? undefined,
    chatId: row.chat_id ?? undefined,
    tagId: row.tag_id ?? undefined,
    fields: readJson<XmlObject>(row.payload) ?? {},
  }));
}
