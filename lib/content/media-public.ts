import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Public URLs of reply covers. A mini-program card carries its cover as an http(s) imgUrl that WeCom and WeChat
 * fetch without the member's session, so a cover is served to anyone holding a URL signed for that corp and
 * media record (HMAC with the app's session secret): unguessable, and useless for any other file.
 */

function signature(secret: string, corpId: string, id: string): string {
  const key = createHmac('sha256', secret).update('reply-cover-url').digest();
  return createHmac('sha256', key).update(`${corpId}\n${id}`).digest('base64url').slice(0, 32);
}

export function publicCoverUrl(opts: {
  baseUrl: string;
  secret: string;
  corpId: string;
  id: string;
}): string {
  const url = new URL(`/api/media/${encodeURIComponent(opts.id)}/cover`, opts.baseUrl);
  url.searchParams.set('corp', opts.corpId);
  url.searchParams.set('sig', signature(opts.secret, opts.corpId, opts.id));
  return url.href;
}

export function verifyCoverSignature(secret: string, corpId: string, id: string, sig: string): boolean {
  const expected = Buffer.from(signature(secret, corpId, id));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
