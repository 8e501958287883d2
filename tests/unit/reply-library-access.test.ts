import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { memberReplyDeps } from '@/lib/content/library-access';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { HttpError } from '@/lib/http';
import { createQuickReply, memberReplies } from '@/lib/quick-replies';
import type { Corp } from '@/lib/wecom/tenant';
import { createTestDatabase, type TestDatabase } from './fixtures/db';
import { demoClient } from './fixtures/demo-client';

// The emulator's demo corp: zhangwei is in the VIP group chat, not in the channel group chat.
const VIP = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
const CHANNEL = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';
const GROUPCHAT_GET = 'externalcontact/groupchat/get';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let t: TestDatabase;
let corp: Corp;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  t = await createTestDatabase('sqlite');
  corp = { id: DEMO_CREDENTIALS.corpId, wecom: demoClient(emu.url), employeeNames: 'api' };
});
afterAll(async () => {
  await emu?.close();
  await t?.drop();
});

describe('group-scoped replies against WeCom', () => {
  it('asks WeCom whether the member is in the group, once per group for a while', async () => {
    const deps = memberReplyDeps(corp, { corpId: corp.id, userId: 'zhangwei' });
    const before = emu.state.counters[GROUPCHAT_GET] ?? 0;
    expect(await deps.isMemberOf(VIP)).toBe(true);
    expect(await deps.isMemberOf(CHANNEL)).toBe(false);
    expect(emu.state.counters[GROUPCHAT_GET]).toBe(before + 2);
    expect(await deps.isMemberOf(VIP)).toBe(true);
    expect(await deps.isMemberOf(CHANNEL)).toBe(false);
    expect(emu.state.counters[GROUPCHAT_GET]).toBe(before + 2);
    // Another member is asked about on their own.
    await memberReplyDeps(corp, { corpId: corp.id, userId: 'lina' }).isMemberOf(VIP);
    expect(emu.state.counters[GROUPCHAT_GET]).toBe(before + 3);
  });

  it('serves a group’s replies to its member and refuses another group with 403', async () => {
    const library = { db: t.db, corpId: corp.id, seed: false };
    const vip = await createQuickReply(
      { kind: 'text', title: 'VIP', text: 'VIP 专属', scope: { type: 'groups', chatIds: [VIP] } },
      library,
    );
    await createQuickReply(
      { kind: 'text', title: '渠道', text: '渠道政策', scope: { type: 'groups', chatIds: [CHANNEL] } },
      library,
    );
    const deps = { ...memberReplyDeps(corp, { corpId: corp.id, userId: 'zhangwei' }), db: t.db, seed: false };
    const viewer = { userId: 'zhangwei', isAdmin: false };
    const inVip = await memberReplies(viewer, { context: { entry: 'group', chatId: VIP } }, deps);
    expect(inVip.items.map((r) => r.id)).toEqual([vip.id]);
    const refused = await memberReplies(viewer, { context: { entry: 'group', chatId: CHANNEL } }, deps).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
    expect((refused as HttpError).userMessage.zh).toContain('不在该客户群');
    expect((await memberReplies(viewer, {}, deps)).items.map((r) => r.id)).toEqual([vip.id]);
  });
});
