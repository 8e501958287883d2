import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { demoClient } from './fixtures/demo-client';
import { HttpError } from '@/lib/http';
import {
  addWayText,
  getCorpTags,
  getCustomerForUser,
  getGroupChatForUser,
  joinSceneText,
  listCustomerIds,
  listCustomersPage,
  toCustomerProfile,
  type ContactsDeps,
} from '@/lib/wecom/contacts';
import { DOC_IDS } from '@/emulator/seed';
import { WecomError } from '@/lib/wecom/errors';

const LIN = 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn';
const ZHOU = 'wokDF9uHmLV4kyUfpavObozgpuIEjrsW';
const ONLY_LINA = 'wmHCTkc7aJVnIAdlE5dk7OVevZOTK9rp';
const NO_FOLLOWERS = 'wm3Cakw91Um3jXNLdcoZy9B55pNyhLwH';
const VIP = 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM';
const CHANNEL = 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let deps: ContactsDeps;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  deps = { client: demoClient(emu.url) };
});
afterAll(async () => {
  await emu?.close();
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('customer profile', () => {
  it('shows the viewer’s own follow data, tags grouped, add_way in words, and counts other followers', async () => {
    const p = await getCustomerForUser('zhangwei', LIN, deps);
    expect(p).toMatchObject({
      externalUserId: LIN,
      name: '林晓梅',
      type: 'wechat',
      gender: 'female',
      corpName: null,
      position: null,
      otherFollowerCount: 2,
    });
    expect(p.avatar).toMatch(/^http/);
    expect(p.follow).toMatchObject({
      remark: '林晓梅-采购主管',
      description: '华南区经销商采购负责人，关注年度框架协议和交付周期',
      remarkCorpName: '南粤商贸',
      remarkMobiles: ['13812345678', '075586001234'],
      addWay: 1,
      addWayText: { zh: '扫描二维码', en: 'Scanned a QR code' },
    });
    expect(p.follow.addedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(p.follow.tagGroups.map((g) => [g.groupName, g.tags.map((t) => t.name)])).toEqual([
      ['客户等级', ['重要客户']],
      ['意向产品', ['企业版']],
      ['跟进阶段', ['方案报价']],
      ['个人标签', ['爱喝茶']],
    ]);
    expect(p.follow.tagGroups.at(-1)?.tags[0]?.kind).toBe('personal');

    // Nothing of the other followers (lina, wangfang) leaves the server.
    const json = JSON.stringify(p);
    for (const secret of ['林姐', '合同与发票对接', '林晓梅（南粤）', 'lina', 'wangfang', 'expo-2025']) {
      expect(json).not.toContain(secret);
    }
  });

  it('another follower sees their own remark instead', async () => {
    const p = await getCustomerForUser('lina', LIN, deps);
    expect(p.follow.remark).toBe('林姐');
    expect(p.follow.addWayText.zh).toBe('内部成员共享');
    expect(p.otherFollowerCount).toBe(2);
    expect(JSON.stringify(p)).not.toContain('采购主管');
  });

  it('a 企业微信 customer carries corp name and position', async () => {
    const p = await getCustomerForUser('zhangwei', ZHOU, deps);
    expect(p).toMatchObject({
      type: 'wecom',
      gender: 'male',
      corpName: '华信科技',
      corpFullName: '上海华信科技有限公司',
      position: '采购总监',
      otherFollowerCount: 0,
    });
    expect(p.follow.addWayText.zh).toBe('搜索手机号');
  });

  it('a customer the viewer does not follow is 403 with nothing of the record', async () => {
    const err = await rejection(getCustomerForUser('zhangwei', ONLY_LINA, deps));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect((err as HttpError).message).not.toContain('陈思远');
    expect((await getCustomerForUser('lina', ONLY_LINA, deps)).name).toBe('陈思远');
  });

  it('shows the 企业微信 customer’s external_profile attributes and personal tags; ignores unknown fields', async () => {
    const p = await getCustomerForUser('zhangwei', DOC_IDS.getCustomer, deps);
    expect(p.externalProfile).toEqual([
      { kind: 'text', name: '文本名称', text: '文本' },
      { kind: 'web', name: '网页名称', url: 'http://www.test.com', title: '标题' },
      { kind: 'miniprogram', name: '测试app', title: 'my miniprogram' },
    ]);
    expect(p.follow.tagGroups).toEqual([
      { groupName: '客户等级', tags: [{ id: DOC_IDS.tag, name: '战略客户', kind: 'corp' }] },
      { groupName: '个人标签', tags: [{ id: null, name: '标签名称', kind: 'personal' }] },
    ]);
    expect(p.follow.addWayText.zh).toBe('视频号添加');
    const wechat = await getCustomerForUser('zhangwei', DOC_IDS.listWechatCustomer, deps);
    expect(wechat.externalProfile).toEqual([]);
    // Fields and attribute types WeCom may add later are ignored, not shown and not fatal.
    const wire = {
      external_contact: {
        external_userid: 'wo1',
        name: 'x',
        type: 2,
        brand_new_field: { a: 1 },
        external_profile: {
          external_attr: [
            { type: 9, name: '未来类型', future: {} },
            { type: 1, name: '脚本', web: { url: 'javascript:alert(1)', title: 'x' } },
            { type: 0, name: '地址', text: { value: '深圳' } },
          ],
          external_corp_name: '简称',
        },
      },
      follow_user: [
        { userid: 'zhangwei', add_way: 99, tags: [{ tag_name: 'n', type: 7, extra: 1 }], novel: true },
      ],
    };
    const mapped = toCustomerProfile(wire as never, 'zhangwei');
    expect(mapped.externalProfile).toEqual([{ kind: 'text', name: '地址', text: '深圳' }]);
    expect(JSON.stringify(mapped)).not.toMatch(/brand_new_field|novel|future|javascript/);
  });

  it('a customer without followers (84061) is a 410 "no longer available" WecomError', async () => {
    const err = await rejection(getCustomerForUser('zhangwei', NO_FOLLOWERS, deps));
    expect(err).toBeInstanceOf(WecomError);
    expect((err as WecomError).errcode).toBe(84061);
    expect((err as WecomError).toPublic().status).toBe(410);
  });
});

describe('group chat', () => {
  it('owner sees name, notice and members split into employees and customers', async () => {
    const g = await getGroupChatForUser('zhangwei', VIP, deps);
    expect(g.name).toBe('VIP客户服务群');
    expect(g.owner).toEqual({ userId: 'zhangwei', name: '张伟', nameSource: 'api', isMe: true });
    expect(g.notice).toContain('VIP');
    expect(g.memberCount).toBe(g.employees.length + g.customers.length);
    expect(g.employees.length).toBeGreaterThan(1);
    expect(g.customers.length).toBeGreaterThan(1);
    const me = g.employees.find((m) => m.isMe);
    expect(me).toMatchObject({ name: '张伟', isOwner: true, kind: 'employee' });
    expect(g.employees.some((m) => m.isAdmin)).toBe(true);
    for (const m of [...g.employees, ...g.customers]) {
      expect(m.joinedAt).toMatch(/^\d{4}-/);
      expect([1, 2, 3]).toContain(m.joinScene);
      expect(m.joinSceneText.zh).toMatch(/入群$/);
      expect(m.name).not.toMatch(/^w[mo]/);
    }
    expect(g.customers.some((m) => m.invitedBy?.name === '张伟')).toBe(true);
  });

  it('a non-member gets 403; a member who is not the owner gets the chat', async () => {
    const err = await rejection(getGroupChatForUser('zhangwei', CHANNEL, deps));
    expect((err as HttpError).status).toBe(403);
    const g = await getGroupChatForUser('lina', CHANNEL, deps);
    expect(g.owner.isMe).toBe(true);
    const asMember = await getGroupChatForUser('liuyang', VIP, deps);
    expect(asMember.owner).toEqual({ userId: 'zhangwei', name: '张伟', nameSource: 'api', isMe: false });
    expect(((await rejection(getGroupChatForUser('zhaolei', VIP, deps))) as HttpError).status).toBe(403);
  });
  it('third-party mode: employees are named by the client (ww-open-data), customers keep their names', async () => {
    const g = await getGroupChatForUser('zhangwei', VIP, { ...deps, employeeNames: 'open-data' });
    expect(g.owner).toEqual({ userId: 'zhangwei', name: 'zhangwei', nameSource: 'open-data', isMe: true });
    for (const m of g.employees) expect(m).toMatchObject({ name: m.userId, nameSource: 'open-data' });
    for (const m of g.customers) {
      expect(m.nameSource).toBe('api');
      expect(m.name).not.toBe(m.userId);
    }
    const invited = g.customers.find((m) => m.invitedBy?.userId === 'zhangwei');
    expect(invited?.invitedBy).toEqual({ userId: 'zhangwei', name: 'zhangwei', nameSource: 'open-data' });
  });
});

describe('lists and tags', () => {
  it('lists customer ids; a member without 客户联系 has none', async () => {
    const ids = await listCustomerIds('zhangwei', deps);
    expect(ids).toContain(LIN);
    expect(ids).not.toContain(ONLY_LINA);
    expect(await listCustomerIds('zhaolei', deps)).toEqual([]);
  });

  it('pages customers with a cursor', async () => {
    const first = await listCustomersPage('zhangwei', { limit: 5 }, deps);
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toBeTruthy();
    const second = await listCustomersPage('zhangwei', { cursor: first.nextCursor, limit: 5 }, deps);
    expect(second.items[0]?.externalUserId).not.toBe(first.items[0]?.externalUserId);
    const lin = [...first.items, ...second.items].find((c) => c.externalUserId === LIN);
    if (lin) expect(lin.remark).toBe('林晓梅-采购主管');
    for (const c of first.items) expect(c.addWayText.zh).toBeTruthy();
  });

  it('reads the corp tag library in WeCom order', async () => {
    const groups = await getCorpTags(deps);
    expect(groups.map((g) => g.groupName)).toEqual(['客户等级', '客户来源', '意向产品', '跟进阶段']);
    expect(groups[0]?.tags.map((t) => t.name)).toEqual(['战略客户', '重要客户', '普通客户', '潜在客户']);
  });

  it('words for add_way and join_scene', () => {
    expect(addWayText(0).zh).toBe('未知来源');
    expect(addWayText(10).zh).toBe('视频号添加');
    expect(addWayText(16).zh).toBe('通过获客链接添加');
    expect(addWayText(24).zh).toBe('通过接受微信账号收到的好友申请添加');
    expect(addWayText(202).zh).toBe('管理员/负责人分配');
    expect(addWayText(99).zh).toBe('未知来源（99）');
    expect(joinSceneText(1).zh).toBe('直接邀请入群');
    expect(joinSceneText(2).zh).toBe('通过邀请链接入群');
    expect(joinSceneText(3).zh).toBe('通过扫描群二维码入群');
  });
});
