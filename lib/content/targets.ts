import 'server-only';
import { isAdmin } from '../auth';
import { getDb } from '../db';
import { HttpError } from '../http';
import { listQuickReplies } from '../quick-replies';
import type { SessionUser } from '../session';
import { getCustomerForUser, getGroupChatForUser } from '../wecom/contacts';
import type { Corp } from '../wecom/tenant';
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
      return { sender: target.audience.userId ?? viewer.userId };
    },
    async resolveReply(viewer, replyId) {
      const reply = (await listQuickReplies({ corpId: viewer.corpId })).find((r) => r.id === replyId);
      if (reply?.kind === 'text' && reply.text) return { kind: 'text', text: reply.text };
      if (reply?.kind === 'news' && reply.news) return { kind: 'news', news: reply.news };
      throw new HttpError(404, 'quick_reply_not_found', {
        zh: '快捷回复不存在',
        en: 'Quick reply not found',
      });
    },
  };
}

export function viewerOf(user: SessionUser): Viewer {
  return { corpId: user.corpId, userId: user.userId, isAdmin: isAdmin(user) };
}

export async function scheduleDepsFor(corp: Corp): Promise<ScheduleDeps> {
  return scheduleDeps(corp, await getDb());
}
