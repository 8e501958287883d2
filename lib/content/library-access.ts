import 'server-only';
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

/**
 * Group membership as WeCom says (externalcontact/groupchat/get: owner, group admin or employee member), the same
 * check as the group chat page; a chat WeCom refuses to show (4xx) is one the member is not in.
 */
export function memberReplyDeps(corp: Corp, user: SessionUser): MemberReplyDeps {
  return {
    corpId: corp.id,
    async isMemberOf(chatId) {
      try {
        await getGroupChatForUser(user.userId, chatId, {
          client: corp.wecom,
          employeeNames: corp.employeeNames,
        });
        return true;
      } catch (err) {
        const status = publicError(err).status;
        if (status >= 400 && status < 500) return false;
        throw err;
      }
    },
  };
}
