import 'server-only';
import { isAdmin } from '../auth';
import { getDb } from '../db';
import { HttpError } from '../http';
import { memberReplies, usableReplyBody, type ReplyContext } from '../quick-replies';
import type { SessionUser } from '../session';
import { getCustomerForUser, getGroupChatForUser } from '../wecom/contacts';
import type { Corp } from '../wecom/tenant';
import { checkAudience } from './audience';
import { memberReplyDeps } from './library-access';
import type { ScheduleDeps, Viewer } from './scheduled';

/**
 * Who may schedule to what, checked against WeCom: a customer the member follows (sent by that member), a group
 * chat the member belongs to (WeCom asks its owner to send it), or an audience of a member's customers.
 */
export function scheduleDeps(corp: Corp, db: ScheduleDeps['db']): ScheduleDeps {
  return {
    db,
    async authorizeTarget(viewer, target) {
      if ('externalUserId' in target) {
        // 403 unless the member follows the customer.
        await getCustomerForUser(viewer.userId, target.externalUserId, { client: corp.wecom });
        return { sender: viewer.userId };
      }
      if ('chatId' in target) {
        // 403 unless the member is in the group (owner, group admin or member).
        const chat = await getGroupChatForUser(viewer.userId, target.chatId, {
          client: corp.wecom,
          employeeNames: corp.employeeNames,
        });
        return { sender: chat.owner.userId };
      }
      const audience = { userId: target.audience.userId ?? viewer.userId, tagIds: target.audience.tagIds };
      // 403 unless WeCom pushes mass messages to that member; 400 for a tag not in the library.
      await checkAudience(corp.wecom, audience);
      return { sender: audience.userId };
    },
    async resolveReply(viewer, replyId, target) {
      // A reply the member may use in that chat (a corp reply or their own): its scope must include the target —
      // group replies only in their groups, an audience is one-to-one chats.
      const context: ReplyContext =
        'chatId' in target ? { entry: 'group', chatId: target.chatId } : { entry: 'single' };
      const replyDeps = { ...memberReplyDeps(corp, viewer), db };
      const { items } = await memberReplies(viewer, { context }, replyDeps);
      if (!items.some((r) => r.id === replyId))
        throw new HttpError(404, 'quick_reply_not_found', {
          zh: '快捷回复不存在或不能用于该聊天',
          en: 'Quick reply not found, or not for this chat',
        });
      return usableReplyBody(viewer, replyId, replyDeps);
    },
  };
}

export function viewerOf(user: SessionUser): Viewer {
  return { corpId: user.corpId, userId: user.userId, isAdmin: isAdmin(user) };
}

export async function scheduleDepsFor(corp: Corp): Promise<ScheduleDeps> {
  return scheduleDeps(corp, await getDb());
}
