/**
 * What the customer and group-chat routes answer (camelCase, only what the pages show). Types only, so client
 * components can use them without importing anything of lib/wecom.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export type CustomerType = 'wechat' | 'wecom';
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

export interface CustomerProfile {
  externalUserId: string;
  name: string;
  avatar: string | null;
  type: CustomerType;
  /** Only for 企业微信 customers (type wecom). */
  corpName: string | null;
  corpFullName: string | null;
  position: string | null;
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

export interface GroupMemberDto {
  kind: 'employee' | 'customer';
  name: string;
  groupNickname: string | null;
  joinedAt: string | null;
  joinScene: number;
  joinSceneText: Bilingual;
  invitedBy: string | null;
  isOwner: boolean;
  isAdmin: boolean;
  isMe: boolean;
}

export interface GroupChatDto {
  chatId: string;
  name: string;
  owner: { name: string; isMe: boolean };
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
