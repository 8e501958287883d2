/**
 * What the customer and group-chat routes answer (camelCase, only what the pages show). Types only, so client
 * components can use them without importing anything of lib/wecom.
 */

import type { Bilingual } from './bilingual';

export type CustomerType = 'wechat' | 'wecom';

export type ExternalAttrDto =
  | { kind: 'text'; name: string; text: string }
  | { kind: 'web'; name: string; url: string; title: string }
  | { kind: 'miniprogram'; name: string; title: string };
export type Gender = 'male' | 'female' | 'unknown';

export interface TagDto {
  id: string | null;
  name: string;
  /** corp = 企业标签, personal = 个人标签, rule = 规则组标签 */
  kind: 'corp' | 'personal' | 'rule';
}

export interface TagGroupDto {
  groupName: string;
  tags: TagDto[];
}

/** One page of the member's customers (`GET /api/customers`); `total` comes with the first page. */
export interface CustomerPage {
  items: CustomerSummary[];
  nextCursor: string | null;
  total?: number;
}

export interface CustomerProfile {
  externalUserId: string;
  name: string;
  avatar: string | null;
  type: CustomerType;
  /** Only for 企业微信 customers (type wecom). */
  corpName: string | null;
  corpFullName: string | null;
  position: string | null;
  /**
   * The 企业微信 customer's own 对外资料 (external_profile.external_attr): text, web link or mini-program
   * attributes, in WeCom's order; empty for WeChat customers. Attribute types the app does not know are left out.
   */
  externalProfile: ExternalAttrDto[];
  gender: Gender;
  /** What the viewing employee recorded about this customer. */
  follow: {
    remark: string | null;
    description: string | null;
    remarkCorpName: string | null;
    remarkMobiles: string[];
    tagGroups: TagGroupDto[];
    addedAt: string | null;
    addWay: number;
    addWayText: Bilingual;
  };
  /** How many other employees also follow this customer. */
  otherFollowerCount: number;
}

/**
 * Where a member's name comes from: this DTO ('api'), or the WeCom client (`<ww-open-data>`, 'open-data'):
 * third-party apps receive userids in place of employees' names, `name` then holds the userid as a fallback.
 */
export type NameSource = 'api' | 'open-data';

/** An employee as the group chat names them. */
export interface EmployeeRef {
  userId: string;
  name: string;
  nameSource: NameSource;
}

export interface GroupMemberDto {
  kind: 'employee' | 'customer';
  /** userid (employees) or external_userid (customers). */
  userId: string;
  name: string;
  nameSource: NameSource;
  groupNickname: string | null;
  joinedAt: string | null;
  joinScene: number;
  joinSceneText: Bilingual;
  invitedBy: EmployeeRef | null;
  isOwner: boolean;
  isAdmin: boolean;
  isMe: boolean;
}

export interface GroupChatDto {
  chatId: string;
  name: string;
  owner: EmployeeRef & { isMe: boolean };
  createdAt: string | null;
  notice: string | null;
  memberCount: number;
  employees: GroupMemberDto[];
  customers: GroupMemberDto[];
}

export interface CustomerSummary {
  externalUserId: string;
  name: string;
  avatar: string | null;
  type: CustomerType;
  corpName: string | null;
  gender: Gender;
  remark: string | null;
  description: string | null;
  addedAt: string | null;
  addWay: number;
  addWayText: Bilingual;
  tagIds: string[];
}

export interface CorpTagGroup {
  groupId: string;
  groupName: string;
  tags: { id: string; name: string }[];
}
