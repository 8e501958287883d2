import 'server-only';
import { randomInt } from 'node:crypto';
import type { WecomClient } from './client';
import { wecomErrcodeOf } from './errors';

/**
 * WeCom sign-in: the in-client OAuth (网页授权) and the PC web login (Web登录) URLs, and the code exchange.
 * Builders are pure; the exchange takes the WeCom client as an argument.
 */

export type OAuthScope = 'snsapi_base' | 'snsapi_privateinfo';

/** WeCom's own state limits: a-zA-Z0-9, at most 128 bytes. */
export const STATE_PATTERN = /^[A-Za-z0-9]{1,128}$/;
const STATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A code is at most 512 bytes; anything longer is not from WeCom. */
const MAX_CODE_LENGTH = 512;

/** A one-time OAuth state: 32 characters from a 62-letter alphabet (~190 bits), unbiased. */
export function newOAuthState(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += STATE_ALPHABET[randomInt(STATE_ALPHABET.length)];
  return out;
}

export function isValidCode(code: string | null | undefined): code is string {
  return (
    typeof code === 'string' &&
    code.length > 0 &&
    code.length <= MAX_CODE_LENGTH &&
    !/[\s\u0000-\u001f]/.test(code)
  );
}

/** Opened inside the WeCom client (desktop or mobile): its user agent carries `wxwork/<version>`. */
export function isWecomClient(userAgent: string | null | undefined): boolean {
  return /\bwxwork\//i.test(userAgent ?? '');
}

interface SignInUrlParams {
  corpId: string;
  agentId: string;
  /** Absolute callback URL on a trusted domain of the app. */
  redirectUri: string;
  state: string;
}

function checkState(state: string): void {
  if (!STATE_PATTERN.test(state)) throw new Error('OAuth state must be 1-128 characters a-zA-Z0-9');
}

/**
 * In-client OAuth (DOC 91022): silent `snsapi_base`, or `snsapi_privateinfo` with a consent page (agentid is
 * required for it, and we always send it). `#wechat_redirect` is mandatory.
 */
export function buildAuthorizeUrl(p: SignInUrlParams & { oauthBase: string; scope?: OAuthScope }): string {
  checkState(p.state);
  const url = new URL('/connect/oauth2/authorize', p.oauthBase);
  url.searchParams.set('appid', p.corpId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', p.scope ?? 'snsapi_base');
  url.searchParams.set('state', p.state);
  url.searchParams.set('agentid', p.agentId);
  url.hash = 'wechat_redirect';
  return url.toString();
}

/** PC browser web login (DOC 98171) for a self-built app: `login_type=CorpApp`, appid = corp id. */
export function buildWebLoginUrl(p: SignInUrlParams & { loginBase: string; lang?: 'zh' | 'en' }): string {
  checkState(p.state);
  const url = new URL('/wwlogin/sso/login', p.loginBase);
  url.searchParams.set('login_type', 'CorpApp');
  url.searchParams.set('appid', p.corpId);
  url.searchParams.set('agentid', p.agentId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('state', p.state);
  if (p.lang) url.searchParams.set('lang', p.lang);
  return url.toString();
}

/** The part of the WeCom client that sign-in needs. */
export type WecomCaller = Pick<WecomClient, 'call'>;

export type OAuthIdentity =
  | { kind: 'member'; userId: string; userTicket?: string }
  | { kind: 'non-member'; openId?: string; externalUserId?: string };

interface GetUserInfoResponse {
  userid?: string;
  user_ticket?: string;
  openid?: string;
  external_userid?: string;
}

/**
 * Exchanges a one-time code (auth/getuserinfo). Members come back with a userid (and a user_ticket after
 * snsapi_privateinfo consent); visitors from outside the corp with an openid only.
 * A used or expired code surfaces as the client's WecomError with errcode 40029.
 */
export async function exchangeCode(client: WecomCaller, code: string): Promise<OAuthIdentity> {
  // Not idempotent: a retried exchange would spend the code twice and turn a transient error into 40029.
  const res = await client.call<GetUserInfoResponse>('auth/getuserinfo', {
    query: { code },
    idempotent: false,
  });
  if (typeof res.userid === 'string' && res.userid) {
    return { kind: 'member', userId: res.userid, userTicket: res.user_ticket || undefined };
  }
  return {
    kind: 'non-member',
    openId: res.openid || undefined,
    externalUserId: res.external_userid || undefined,
  };
}

export interface MemberProfile {
  name?: string;
  avatar?: string;
}

interface UserGetResponse {
  name?: string;
  avatar?: string;
}

interface UserDetailResponse {
  userid?: string;
  avatar?: string;
}

/**
 * user/get's answers for a member outside the app's visible range (可见范围): 60011 (no privilege) or 60111
 * ("成员不在应用可见范围内" is one of its documented causes), 50002 (成员不在权限范围).
 */
export const OUTSIDE_VISIBLE_RANGE = new Set([60011, 60111, 50002]);

/**
 * Display name from user/get; the avatar from auth/getuserdetail when the member consented (user_ticket), since
 * apps created after 2022-06 no longer receive avatars from user/get. Both are best effort (ticket expired, WeCom
 * busy, ...), except that a member outside the app's visible range is refused: the WecomError is thrown, because
 * WeCom would hide every customer from them anyway and the sign-in page must say who widens the range.
 */
export async function loadMemberProfile(
  client: WecomCaller,
  member: { userId: string; userTicket?: string },
): Promise<MemberProfile> {
  const [user, detail] = await Promise.all([
    client.call<UserGetResponse>('user/get', { query: { userid: member.userId } }).catch((err: unknown) => {
      if (OUTSIDE_VISIBLE_RANGE.has(wecomErrcodeOf(err) ?? 0)) throw err;
      return undefined;
    }),
    member.userTicket
      ? client
          .call<UserDetailResponse>('auth/getuserdetail', {
            method: 'POST',
            body: { user_ticket: member.userTicket },
          })
          .catch(() => undefined)
      : undefined,
  ]);
  const profile: MemberProfile = {};
  const name = user?.name?.trim();
  if (name) profile.name = name;
  const consented = detail && (!detail.userid || detail.userid === member.userId) ? detail : undefined;
  const avatar = consented?.avatar || user?.avatar;
  if (avatar && /^https?:\/\//.test(avatar)) profile.avatar = avatar;
  return profile;
}
