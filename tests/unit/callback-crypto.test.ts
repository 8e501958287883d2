import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CallbackCryptoError,
  createCallbackCrypto,
  parseCallbackXml,
  signaturesEqual,
  xmlText,
} from '@/lib/wecom/callback-crypto';

// Official WXBizMsgCrypt vectors (WeCom doc 90968 and the official Python sample), plus a deterministic
// encryption vector (fixed random16) reproduced byte for byte by @wecom/crypto.
const A = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
  verifyUrl: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    plaintext: '1616140317555161061',
  },
  post: {
    msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
    plaintext:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
  },
};

const B = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  receiveId: 'ww1436e0e65a779aee',
  verifyUrl: {
    msgSignature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    plaintext: '1288432023552776189',
  },
};

const C = {
  echo: {
    plain: 'success-echo-1700000000',
    rand16: '0123456789abcdef',
    encrypt: 'sKqRbbiSUnDhFHOvPjtUMVmsb5qjZ0nVa6MLMUlCfrKE+e8rxWP3vYcj97HhywPafNnjR0CWTUMzzQCXc1nG2w==',
    timestamp: '1700000000',
    nonce: '1234567',
    msgSignature: 'de6becdb90e8f219727196f8a0f20622514b150d',
  },
  post: {
    plain:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>1234567890</MsgId><AgentID>1000002</AgentID></xml>',
    rand16: '0123456789abcdef',
    encrypt:
      'sKqRbbiSUnDhFHOvPjtUMQdtoGNEgmr0ceVWhKt0Q4oaOpeSa31mhmbli1U+SownwVyMO6JuummMasGqFt1Ktu6A3BXyEeKfGnjLTRQqj4SryNVj9gu7UTWtusntECTTWDp6hdVIZGVtv2w0ghUBM/i4JS2H0XcukWNlt3918KY8ag0eKgufnhMUGYNlhLLf0DTem/vwEh382I8mRNYmCJITCeCITevBJGDNW2I95HYPU/7DUYLICHW5yz+loy2UtcUIyBBkVctDQG5PCE3GAbmsho/QgAAMZ9kQ6v7aSCFmw8rnljfAZK6xNIpm2YQ5cvPeDu9fT4Zb2faN5iOYvNRJ+/6ogTxcE7DweM2IQIGMd55tH0jIbsVwznmqk0+HCJz3n4QLb/Bwy6BeYIPWdRVRaKa8spR/L9sNhbIl9zA=',
    timestamp: '1700000001',
    nonce: '7654321',
    msgSignature: '7482e136f74b4b009c37fad51f4d9f65dfc0875b',
  },
};

const cryptoA = createCallbackCrypto({ token: A.token, encodingAesKey: A.encodingAesKey });
const onlyA = (id: string) => id === A.receiveId;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CallbackCryptoError) return err.code;
    throw err;
  }
  return undefined;
}

describe('official vector A', () => {
  it('verifies the URL-verification request and answers the echostr plaintext', () => {
    expect(cryptoA.verifyUrl(A.verifyUrl, onlyA)).toBe(A.verifyUrl.plaintext);
  });

  it('verifies and decrypts the POST message with receiveid = corpid', () => {
    cryptoA.verify(A.post, A.post.encrypt);
    const out = cryptoA.decrypt(A.post.encrypt, onlyA);
    expect(out).toEqual({ message: A.post.plaintext, receiveId: A.receiveId });
    const xml = parseCallbackXml(out.message);
    expect(xmlText(xml, 'FromUserName')).toBe('mycreate');
    expect(xmlText(xml, 'MsgId')).toBe('4561255354251345929');
    expect(xmlText(xml, 'Content')).toBe('hello');
  });

  it('refuses a wrong receiveid, a wrong signature and tampered ciphertext', () => {
    expect(codeOf(() => cryptoA.decrypt(A.post.encrypt, (id) => id === 'ww0000000000000000'))).toBe(
      'receiveid',
    );
    expect(codeOf(() => cryptoA.verify({ ...A.post, msgSignature: '0'.repeat(40) }, A.post.encrypt))).toBe(
      'signature',
    );
    expect(codeOf(() => cryptoA.verify({ ...A.post, nonce: '1' }, A.post.encrypt))).toBe('signature');
    expect(codeOf(() => cryptoA.verify({ ...A.post, msgSignature: '' }, A.post.encrypt))).toBe(
      'missing-parameter',
    );
    expect(codeOf(() => cryptoA.decrypt('not base64 at all!'))).toBe('base64');
    expect(codeOf(() => cryptoA.decrypt(A.post.encrypt.slice(4)))).toBe('decrypt');
    const flipped = Buffer.from(A.post.encrypt, 'base64');
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0xff;
    expect(codeOf(() => cryptoA.decrypt(flipped.toString('base64')))).toBe('decrypt');
  });
});

describe('official vector B', () => {
  it('verifies the URL-verification request and answers the echostr plaintext', () => {
    const cryptoB = createCallbackCrypto({ token: B.token, encodingAesKey: B.encodingAesKey });
    expect(cryptoB.verifyUrl(B.verifyUrl, (id) => id === B.receiveId)).toBe(B.verifyUrl.plaintext);
    expect(codeOf(() => cryptoA.verifyUrl(B.verifyUrl))).toBe('signature');
  });
});

describe('encryption', () => {
  it('reproduces vector C byte for byte (echo and post)', () => {
    for (const v of [C.echo, C.post]) {
      const sealed = cryptoA.seal(v.plain, A.receiveId, {
        timestamp: v.timestamp,
        nonce: v.nonce,
        random: Buffer.from(v.rand16),
      });
      expect(sealed.encrypt).toBe(v.encrypt);
      expect(sealed.msgSignature).toBe(v.msgSignature);
      expect(cryptoA.decrypt(v.encrypt, onlyA).message).toBe(v.plain);
    }
  });

  it('round-trips a UTF-8 passive reply inside the official reply envelope', () => {
    const message = '<xml><Content><![CDATA[你好，世界]]></Content></xml>';
    const sealed = cryptoA.seal(message, A.receiveId);
    const envelope = parseCallbackXml(sealed.xml);
    expect(xmlText(envelope, 'Encrypt')).toBe(sealed.encrypt);
    const params = {
      msgSignature: xmlText(envelope, 'MsgSignature'),
      timestamp: xmlText(envelope, 'TimeStamp'),
      nonce: xmlText(envelope, 'Nonce'),
    };
    cryptoA.verify(params, sealed.encrypt);
    expect(cryptoA.decrypt(sealed.encrypt, onlyA).message).toBe(message);
    expect(cryptoA.seal(message, A.receiveId).encrypt).not.toBe(sealed.encrypt);
  });

  it('refuses a ciphertext whose padding is not the WeCom scheme', () => {
    // Same key, standard 16-byte PKCS#7 padding: a 32-multiple length but a foreign pad byte.
    const key = Buffer.from(`${A.encodingAesKey}=`, 'base64');
    const body = Buffer.concat([
      Buffer.from('0123456789abcdef'),
      Buffer.from([0, 0, 0, 2]),
      Buffer.from('hi'),
    ]);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const padded = Buffer.concat([
      body,
      Buffer.from(A.receiveId),
      Buffer.alloc(32 - ((body.length + 18) % 32), 99),
    ]);
    cipher.setAutoPadding(false);
    const ct = Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
    expect(codeOf(() => cryptoA.decrypt(ct))).toBe('decrypt');
  });

  it('rejects an invalid EncodingAESKey at construction', () => {
    expect(codeOf(() => createCallbackCrypto({ token: 't', encodingAesKey: 'short' }))).toBe('invalid-key');
  });
});

describe('parseCallbackXml', () => {
  it('refuses DTDs and entity declarations without expanding them', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><a>&lol2;</a></xml>';
    expect(codeOf(() => parseCallbackXml(bomb))).toBe('xml');
    expect(codeOf(() => parseCallbackXml('<!doctype x><xml></xml>'))).toBe('xml');
    expect(codeOf(() => parseCallbackXml('<xml><a>unclosed</xml>'))).toBe('xml');
    expect(codeOf(() => parseCallbackXml('<other/>'))).toBe('xml');
  });

  it('keeps predefined entities literal, trims CDATA and keeps big numbers as strings', () => {
    const xml = parseCallbackXml(
      '<xml><InfoType> <![CDATA[suite_ticket]]></InfoType><T>&amp;</T><MsgId>12345678901234567890</MsgId></xml>',
    );
    expect(xmlText(xml, 'InfoType')).toBe('suite_ticket');
    expect(xmlText(xml, 'T')).toBe('&amp;');
    expect(xmlText(xml, 'MsgId')).toBe('12345678901234567890');
    expect(xmlText(xml, 'Missing')).toBe('');
  });

  it('compares signatures in constant time and case-insensitively', () => {
    expect(signaturesEqual('abc', 'ABC')).toBe(true);
    expect(signaturesEqual('abc', 'abcd')).toBe(false);
  });
});

describe('callback delivery (size, replay, signature, receiveid, idempotency)', async () => {
  const { receiveCallback, verifyCallbackUrl, MAX_CALLBACK_BYTES } = await import('@/lib/wecom/callback');
  const { createStore } = await import('@/lib/store');
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);

  function setup() {
    const store = createStore('memory:', { now: () => now });
    const handled: string[] = [];
    const ep = {
      name: 'test',
      crypto: cryptoA,
      store,
      acceptReceiveId: onlyA,
      now: () => now,
    };
    const post = (query: Record<string, string>, body: string) =>
      receiveCallback(
        new Request(`https://app.example.com/cb?${new URLSearchParams(query)}`, { method: 'POST', body }),
        ep,
        async (d) => {
          handled.push(d.plaintext);
        },
      );
    return { store, handled, ep, post };
  }

  function envelope(encrypt: string) {
    return `<xml><ToUserName><![CDATA[${A.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
  }

  function delivery(plain = C.post.plain, receiveId = A.receiveId, timestamp = ts) {
    const sealed = cryptoA.seal(plain, receiveId, { timestamp });
    return {
      query: { msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce },
      body: envelope(sealed.encrypt),
      sealed,
    };
  }

  it('handles a good delivery once and answers the duplicate with the same reply', async () => {
    const { post, handled } = setup();
    const d = delivery();
    const first = await post(d.query, d.body);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('success');
    const again = await post(d.query, d.body);
    expect(await again.text()).toBe('success');
    expect(handled).toEqual([C.post.plain]);
  });

  it('refuses bad deliveries with 4xx and handles none of them', async () => {
    const { post, handled } = setup();
    const d = delivery();
    const cases: [Record<string, string>, string, number][] = [
      [{ ...d.query, msg_signature: '0'.repeat(40) }, d.body, 401],
      [d.query, envelope('%%%not-base64%%%'), 401],
      [d.query, `<xml><Encrypt>${'A'.repeat(MAX_CALLBACK_BYTES)}</Encrypt></xml>`, 413],
      [{ ...d.query, nonce: '' }, d.body, 400],
      [d.query, '<!DOCTYPE x [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>', 400],
    ];
    for (const [query, body, status] of cases) {
      const res = await post(query, body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(await res.json())).not.toContain(d.sealed.encrypt);
    }
    // Broken base64 / AES with a valid signature over the broken ciphertext.
    for (const broken of ['@@@@', Buffer.from('x'.repeat(48)).toString('base64')]) {
      const sig = cryptoA.seal('x', A.receiveId, { timestamp: ts });
      const { getSignature } = await import('@wecom/crypto');
      const res = await post(
        { msg_signature: getSignature(A.token, ts, sig.nonce, broken), timestamp: ts, nonce: sig.nonce },
        envelope(broken),
      );
      expect(res.status).toBe(400);
    }
    const wrongReceiver = delivery(C.post.plain, 'ww0000000000000000');
    expect((await post(wrongReceiver.query, wrongReceiver.body)).status).toBe(403);
    const stale = delivery(C.post.plain, A.receiveId, String(now / 1000 - 301));
    expect((await post(stale.query, stale.body)).status).toBe(400);
    const future = delivery(C.post.plain, A.receiveId, String(now / 1000 + 301));
    expect((await post(future.query, future.body)).status).toBe(400);
    expect(handled).toEqual([]);
  });

  it('does not mark a delivery done when its handler fails, so the retry is handled', async () => {
    const { ep } = setup();
    const d = delivery();
    const req = () =>
      new Request(`https://app.example.com/cb?${new URLSearchParams(d.query)}`, {
        method: 'POST',
        body: d.body,
      });
    let calls = 0;
    const failing = await receiveCallback(req(), ep, async () => {
      calls++;
      throw new Error('store down');
    });
    expect(failing.status).toBe(500);
    const retried = await receiveCallback(req(), ep, async () => {
      calls++;
    });
    expect(await retried.text()).toBe('success');
    expect(calls).toBe(2);
  });

  it('answers URL verification with the plaintext alone and refuses stale or forged ones', async () => {
    const { ep } = setup();
    const sealed = cryptoA.seal('8765432101234567890', A.receiveId, { timestamp: ts });
    const url = (q: Record<string, string>) =>
      new Request(`https://app.example.com/cb?${new URLSearchParams(q)}`);
    const good = {
      msg_signature: sealed.msgSignature,
      timestamp: ts,
      nonce: sealed.nonce,
      echostr: sealed.encrypt,
    };
    const res = await verifyCallbackUrl(url(good), ep);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('8765432101234567890');
    expect((await verifyCallbackUrl(url({ ...good, msg_signature: 'f'.repeat(40) }), ep)).status).toBe(401);
    expect((await verifyCallbackUrl(url({ ...good, echostr: '' }), ep)).status).toBe(400);
    // The official vector is from 2014: outside the replay window today.
    const old = {
      msg_signature: A.verifyUrl.msgSignature,
      timestamp: A.verifyUrl.timestamp,
      nonce: A.verifyUrl.nonce,
      echostr: A.verifyUrl.echostr,
    };
    expect((await verifyCallbackUrl(url(old), ep)).status).toBe(400);
    expect(await (await verifyCallbackUrl(url(old), { ...ep, now: () => 1409659589_000 })).text()).toBe(
      A.verifyUrl.plaintext,
    );
  });
});
