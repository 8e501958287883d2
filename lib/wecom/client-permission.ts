import 'server-only';
import type { WecomClient } from './client';
import { wecomErrcodeOf } from './errors';

/**
 * Why the WeCom client answers "no permission" to getCurExternalContact / getCurExternalChat / sendChatMessage for
 * this member. The client's reply does not say; the server API does (wecom-crm.md §7, §6.2):
 * - `user/get` of the member answers 60011 / 60111 / 60021 / 60030 when the member is outside the app's visible range;
 * - `externalcontact/get_follow_user_list` answers 48002 when the app is not in 客户联系 → 可调用应用, and otherwise
 *   lists the members (inside the range) who have the 客户联系 feature.
 */
export type ClientPermissionCause =
  'visible-range' | 'app-not-in-contact' | 'member-without-contact' | 'unknown';

const OUT_OF_RANGE = new Set([60011, 60111, 60021, 60030, 50002]);

export async function clientPermissionCause(
  client: WecomClient,
  userId: string,
): Promise<ClientPermissionCause> {
  try {
    await client.call('user/get', { method: 'GET', query: { userid: userId } });
  } catch (err) {
    const code = wecomErrcodeOf(err);
    if (code !== undefined && OUT_OF_RANGE.has(code)) return 'visible-range';
    if (code === undefined) throw err;
  }
  try {
    const res = await client.call<{ follow_user?: string[] }>('externalcontact/get_follow_user_list', {
      method: 'GET',
    });
    return (res.follow_user ?? []).includes(userId) ? 'unknown' : 'member-without-contact';
  } catch (err) {
    const code = wecomErrcodeOf(err);
    if (code === 48002) return 'app-not-in-contact';
    if (code === undefined) throw err;
    return 'unknown';
  }
}
