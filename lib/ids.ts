import { z } from 'zod';
import type { Bilingual } from './http';

/**
 * The one definition of every kind of ID that WeCom issues. WeCom documents no fixed length for any of them (its
 * own examples of external_userid and chat_id are 30, 31 and 32 characters long, and third-party apps receive
 * encrypted IDs since 2022), so each kind is accepted by its charset and a bounded length, never by an exact
 * length or by a prefix. Encrypted IDs are case-sensitive: they are compared and stored exactly as received.
 *
 * Used by routes, pages, lib/ and client components alike (no server-only code in here).
 */

/** Upper bound for IDs WeCom documents no length for (real ones are 32 characters; 64+ leaves room). */
export const MAX_OPAQUE_ID_LENGTH = 128;

/** URL-safe base64 alphabet: the charset of external_userid, chat_id, tag / tag-group ids and encrypted ids. */
const opaque = (max = MAX_OPAQUE_ID_LENGTH) => new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`);

/**
 * external_userid (客户): `wm…` (WeChat customers), `wo…` (WeCom customers), provider-scoped encrypted ids for
 * third-party apps. Doc examples: `woAJ2GCAAAXtWyujaWJHDDGi0mACAAA` (31), `wmqfasd1e1927831291723123109rAAA` (32).
 */
export const EXTERNAL_USER_ID_PATTERN = opaque();

/** chat_id of a customer group chat (客户群). Doc example: `wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA` (30). */
export const CHAT_ID_PATTERN = opaque();

/** Corp tag / tag group / strategy tag id (`et…`, `st…`). Doc example: `etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA`. */
export const TAG_ID_PATTERN = opaque();

/** open_userid: "全局唯一 … 最多64个字节", third-party only. */
export const OPEN_USER_ID_PATTERN = opaque(64);

/**
 * corpid: `ww` + 16 hex for plaintext corps (old corps `wx…`); third-party and 代开发 apps receive a
 * provider-level encrypted corpid ("corpid密文则大小写敏感"), so only the charset and length are checked.
 */
export const CORP_ID_PATTERN = opaque(64);

/**
 * userid (成员): "长度为1~64个字节。只能由数字、字母和“_-@.”四种字符组成，且第一个字符必须是数字或字母". Encrypted
 * (third-party) userids are URL-safe base64 and may start with `_` or `-`; members of an interconnected corp
 * (企业互联) come as `CorpId/userid`.
 */
const PLAIN_USER_ID = '[A-Za-z0-9_-][A-Za-z0-9_@.-]{0,63}';
export const USER_ID_PATTERN = new RegExp(`^(?:[A-Za-z0-9_-]{1,64}/)?${PLAIN_USER_ID}$`);

export type IdKind = 'externalUserId' | 'chatId' | 'tagId' | 'userId' | 'openUserId' | 'corpId';

const PATTERNS: Record<IdKind, RegExp> = {
  externalUserId: EXTERNAL_USER_ID_PATTERN,
  chatId: CHAT_ID_PATTERN,
  tagId: TAG_ID_PATTERN,
  userId: USER_ID_PATTERN,
  openUserId: OPEN_USER_ID_PATTERN,
  corpId: CORP_ID_PATTERN,
};

/** What the user is told when an ID of this kind is malformed (Chinese first). */
export const MALFORMED_ID: Record<IdKind, Bilingual> = {
  externalUserId: { zh: '客户 ID 格式不正确', en: 'Malformed external contact id' },
  chatId: { zh: '客户群 ID 格式不正确', en: 'Malformed group chat id' },
  tagId: { zh: '标签 ID 格式不正确', en: 'Malformed tag id' },
  userId: { zh: '成员 ID 格式不正确', en: 'Malformed member id' },
  openUserId: { zh: '成员 open_userid 格式不正确', en: 'Malformed open_userid' },
  corpId: { zh: '企业 ID 格式不正确', en: 'Malformed corp id' },
};

/** The byte limit of userid applies to UTF-8 bytes; every allowed character is ASCII, so length = bytes. */
export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === 'string' && PATTERNS[kind].test(value);
}

const schema = (kind: IdKind) =>
  z.string().regex(PATTERNS[kind], `${MALFORMED_ID[kind].zh} / ${MALFORMED_ID[kind].en}`);

export const ExternalUserIdSchema = schema('externalUserId');
export const ChatIdSchema = schema('chatId');
export const TagIdSchema = schema('tagId');
export const UserIdSchema = schema('userId');
export const OpenUserIdSchema = schema('openUserId');
export const CorpIdSchema = schema('corpId');
