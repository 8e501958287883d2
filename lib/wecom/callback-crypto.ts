import 'server-only';
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Bilingual } from '@/lib/bilingual';
import { HttpError } from '@/lib/http';

/**
 * WeCom callback crypto (WXBizMsgCrypt): msg_signature, AES-256-CBC with the EncodingAESKey, receiveid check and
 * a strict XML parser. The cryptography itself is the official `@wecom/crypto`; this module adds the checks that
 * the package leaves to its caller.
 */

export type CallbackCryptoErrorCode =
  | 'invalid-key'
  | 'missing-parameter'
  | 'signature'
  | 'base64'
  | 'decrypt'
  | 'receiveid'
  | 'xml'
  | 'too-large'
  | 'stale-timestamp';

const STATUS: Record<CallbackCryptoErrorCode, number> = {
  'invalid-key': 500,
  'missing-parameter': 400,
  signature: 401,
  base64: 400,
  decrypt: 400,
  receiveid: 403,
  xml: 400,
  'too-large': 413,
  'stale-timestamp': 400,
};

const MESSAGES: Record<CallbackCryptoErrorCode, Bilingual> = {
  'invalid-key': {
    zh: '回调 EncodingAESKey 配置无效（须为 43 位字母数字）',
    en: 'The callback EncodingAESKey is invalid (43 letters and digits expected)',
  },
  'missing-parameter': {
    zh: '回调请求缺少 msg_signature、timestamp、nonce 或密文',
    en: 'The callback request lacks msg_signature, timestamp, nonce or the ciphertext',
  },
  signature: { zh: '回调签名校验失败', en: 'The callback signature does not verify' },
  base64: { zh: '回调密文不是有效的 Base64', en: 'The callback ciphertext is not valid Base64' },
  decrypt: { zh: '回调密文解密失败', en: 'The callback ciphertext does not decrypt' },
  receiveid: {
    zh: '回调的 ReceiveId 与本应用不符',
    en: 'The callback was encrypted for another receiver (ReceiveId mismatch)',
  },
  xml: {
    zh: '回调 XML 无效或包含不允许的声明',
    en: 'The callback XML is invalid or contains forbidden declarations',
  },
  'too-large': { zh: '回调请求体过大', en: 'The callback body is too large' },
  'stale-timestamp': {
    zh: '回调时间戳与服务器时间相差过大（疑似重放）',
    en: 'The callback timestamp is too far from server time (possible replay)',
  },
};

export class CallbackCryptoError extends Error {
  override name = 'CallbackCryptoError';
  readonly status: number;

  constructor(readonly code: CallbackCryptoErrorCode) {
    super(MESSAGES[code].en);
    this.status = STATUS[code];
  }

  toPublic(): HttpError {
    return new HttpError(this.status, `callback-${this.code}`, MESSAGES[this.code]);
  }
}

const AES_KEY_RE = /^[A-Za-z0-9]{43}$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

export function isValidEncodingAesKey(key: string): boolean {
  return AES_KEY_RE.test(key);
}

/** Constant-time comparison of two hex signatures (lengths are public). */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export interface SignedParams {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface Decrypted {
  message: string;
  receiveId: string;
}

export interface SealedReply {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
  /** The passive-reply XML envelope of the official samples. */
  xml: string;
}

export interface CallbackCrypto {
  /** Throws CallbackCryptoError('signature') unless msg_signature matches. */
  verify(params: SignedParams, encrypted: string): void;
  /** Decrypts and checks the receiveid against `acceptReceiveId` (when given). */
  decrypt(encrypted: string, acceptReceiveId?: (id: string) => boolean): Decrypted;
  /** URL verification: verify + decrypt echostr; the plaintext is the whole response body. */
  verifyUrl(params: SignedParams & { echostr: string }, acceptReceiveId?: (id: string) => boolean): string;
  /** Encrypts a passive reply (or a push) for `receiveId`. */
  seal(
    message: string,
    receiveId: string,
    opts?: { timestamp?: string; nonce?: string; random?: Buffer },
  ): SealedReply;
}

export function createCallbackCrypto(opts: { token: string; encodingAesKey: string }): CallbackCrypto {
  const { token, encodingAesKey } = opts;
  if (!token || !isValidEncodingAesKey(encodingAesKey)) throw new CallbackCryptoError('invalid-key');

  const verify = (params: SignedParams, encrypted: string) => {
    if (!params.msgSignature || !params.timestamp || !params.nonce || !encrypted) {
      throw new CallbackCryptoError('missing-parameter');
    }
    const expected = getSignature(token, params.timestamp, params.nonce, encrypted);
    if (!signaturesEqual(expected, params.msgSignature)) throw new CallbackCryptoError('signature');
  };

  const doDecrypt = (encrypted: string, acceptReceiveId?: (id: string) => boolean): Decrypted => {
    if (!BASE64_RE.test(encrypted) || encrypted.length % 4 !== 0) throw new CallbackCryptoError('base64');
    const raw = Buffer.from(encrypted, 'base64');
    // Official encryptors pad to 32 bytes; anything else is not a WeCom ciphertext.
    if (raw.length === 0 || raw.length % 32 !== 0) throw new CallbackCryptoError('decrypt');
    let out: { message: string; id: string; random: Buffer };
    try {
      out = decrypt(encodingAesKey, encrypted);
    } catch {
      throw new CallbackCryptoError('decrypt');
    }
    // The package does not check the padding or msg_len; re-encrypting with the same random must give the input.
    if (encrypt(encodingAesKey, out.message, out.id, out.random) !== encrypted) {
      throw new CallbackCryptoError('decrypt');
    }
    if (acceptReceiveId && !acceptReceiveId(out.id)) throw new CallbackCryptoError('receiveid');
    return { message: out.message, receiveId: out.id };
  };

  return {
    verify,
    decrypt: doDecrypt,
    verifyUrl(params, acceptReceiveId) {
      verify(params, params.echostr);
      return doDecrypt(params.echostr, acceptReceiveId).message;
    },
    seal(message, receiveId, sealOpts = {}) {
      const timestamp = sealOpts.timestamp ?? String(Math.floor(Date.now() / 1000));
      const nonce = sealOpts.nonce ?? String(randomInt(100_000_000, 999_999_999));
      const random = sealOpts.random ?? Buffer.from(randomBytes(12).toString('base64url').slice(0, 16));
      let encrypted: string;
      try {
        encrypted = encrypt(encodingAesKey, message, receiveId, random);
      } catch {
        throw new CallbackCryptoError('invalid-key');
      }
      const msgSignature = getSignature(token, timestamp, nonce, encrypted);
      const xml =
        `<xml>\n<Encrypt><![CDATA[${encrypted}]]></Encrypt>\n<MsgSignature><![CDATA[${msgSignature}]]></MsgSignature>\n` +
        `<TimeStamp>${timestamp}</TimeStamp>\n<Nonce><![CDATA[${nonce}]]></Nonce>\n</xml>`;
      return { encrypt: encrypted, msgSignature, timestamp, nonce, xml };
    },
  };
}

const FORBIDDEN_XML_RE = /<!\s*(DOCTYPE|ENTITY)/i;

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

/**
 * Parses a callback XML document and returns the children of its `<xml>` root. Values stay strings (MsgId and
 * the like exceed 2^53); DTDs and entities are refused outright instead of being expanded.
 */
export function parseCallbackXml(text: string): XmlObject {
  if (FORBIDDEN_XML_RE.test(text)) throw new CallbackCryptoError('xml');
  if (XMLValidator.validate(text) !== true) throw new CallbackCryptoError('xml');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new CallbackCryptoError('xml');
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (root === '') return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new CallbackCryptoError('xml');
  return root as XmlObject;
}

/** A top-level text field of a parsed callback (empty string when absent or not text). */
export function xmlText(obj: XmlObject, name: string): string {
  const v = obj[name];
  return typeof v === 'string' ? v.trim() : '';
}
