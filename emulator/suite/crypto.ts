import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own WXBizMsgCrypt (WeCom doc 90968), written from the algorithm and not shared with the app:
 * the app uses the official package, so each side checks the other.
 */

export function msgSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

function keyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey) || key.length !== 32)
    throw new Error('invalid EncodingAESKey');
  return key;
}

const BLOCK = 32;

export function encryptMessage(
  encodingAesKey: string,
  message: string,
  receiveId: string,
  random: Buffer = Buffer.from(randomBytes(12).toString('base64url').slice(0, 16)),
): string {
  const key = keyOf(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const body = Buffer.concat([random, len, msg, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

export function decryptMessage(
  encodingAesKey: string,
  encrypted: string,
): { message: string; receiveId: string } {
  const key = keyOf(encodingAesKey);
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length === 0 || raw.length % BLOCK !== 0) throw new Error('bad ciphertext length');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(raw), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || plain.subarray(plain.length - pad).some((b) => b !== pad))
    throw new Error('bad padding');
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new Error('too short');
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new Error('bad length');
  return {
    message: body.subarray(20, 20 + len).toString('utf8'),
    receiveId: body.subarray(20 + len).toString('utf8'),
  };
}

/** Constant-time equality of two strings (secrets, permanent codes). */
export function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signatureMatches(expected: string, given: string): boolean {
  return safeEqual(expected.toLowerCase(), given.toLowerCase());
}

/** A push as WeCom sends it: query parameters and the XML envelope around the ciphertext. */
export function sealPush(
  opts: { token: string; encodingAesKey: string; receiveId: string; toUserName: string; agentId?: string },
  message: string,
  timestamp: number,
): { query: URLSearchParams; body: string } {
  const encrypted = encryptMessage(opts.encodingAesKey, message, opts.receiveId);
  const ts = String(timestamp);
  const nonce = String(100_000_000 + (randomBytes(4).readUInt32BE(0) % 900_000_000));
  const query = new URLSearchParams({
    msg_signature: msgSignature(opts.token, ts, nonce, encrypted),
    timestamp: ts,
    nonce,
  });
  const body =
    `<xml><ToUserName><![CDATA[${opts.toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
    `<AgentID><![CDATA[${opts.agentId ?? ''}]]></AgentID></xml>`;
  return { query, body };
}
