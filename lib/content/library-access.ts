import 'server-only';
import { LRUCache } from 'lru-cache';
import { isAdmin } from '../auth';
import { publicError } from '../http';
import type { MemberReplyDeps, ReplyViewer } from '../quick-replies';
import type { SessionUser } from '../session';
import { getGroupChatForUser } from '../wecom/contacts';
import type { Corp } from '../wecom/tenant';

/** The signed-in member as the reply library sees them. */
export function replyViewer(user: SessionUser): ReplyViewer {
  return { userId: user.userId, isAdmin: isAdmin(user) };
}

/** How long an answer about group membership is reused in this process: yes for a minute, no for ten seconds. */
export const MEMBERSHIP_TTL_MS = { member: 60_000, notMember: 10_000 };

const memberships = new LRUCache<string, boolean>({ max: 10_000, ttl: MEMBERSHIP_TTL_MS.member });

/**
 * Group membership as WeCom says (externalcontact/groupchat/get: owner, group admin or employee member), the same
 * check as the group chat page; a chat WeCom refuses to show (4xx) is one the member is not in. Answers are reused
 * briefly, so a library listing many group-scoped replies asks WeCom about each group once, not on every open.
 */
export function memberReplyDeps(corp: Corp, user: SessionUser): MemberReplyDeps {
  return {
    corpId: corp.id,
    async isMemberOf(chatId) {
      const key = `${corp.id}\u0000${user.userId}\u0000${chatId}`;
      const known = memberships.get(key);
      if (known !== undefined) return known;
      let member: boolean;
      try {
        await getGroupChatForUser(user.userId, chatId, {
          client: corp.wecom,
          employeeNames: corp.employeeNames,
        });
        member = true;
      } catch (err) {
        const status = publicError(err).status;
        if (status < 400 || status >= 500) throw err;
        member = false;
      }
      memberships.set(key, member, { ttl: member ? MEMBERSHIP_TTL_MS.member : MEMBERSHIP_TTL_MS.notMember });
      return member;
    },
  };
}
