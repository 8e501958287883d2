import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { demoClient } from './fixtures/demo-client';
import { CUSTOMERS, DOC_IDS, GROUP_CHATS } from '@/emulator/seed';
import { CORP_B } from '@/emulator/suite/seed';
import { ChatIdSchema, ExternalUserIdSchema, isId, MALFORMED_ID, TagIdSchema, UserIdSchema } from '@/lib/ids';
import {
  getCustomerForUser,
  getGroupChatForUser,
  listCustomerIds,
  type ContactsDeps,
} from '@/lib/wecom/contacts';

// The IDs printed in WeCom's documentation, verbatim (externalcontact/list, externalcontact/get, groupchat/get,
// groupchat/list): 28 to 32 characters long.
const DOC_LIST_WO = 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAA';
const DOC_LIST_WM = 'wmqfasd1e1927831291723123109rAAA';
const DOC_GET = 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA';
const DOC_CHAT = 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA';
const DOC_LIST_CHAT = 'wrOgQhDgAAcwMTB7YmDkbeBsAAAA';
const DOC_TAG = 'etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA';

describe('ID definitions', () => {
  it('accept the docs’ example ids of every length', () => {
    expect([
      DOC_LIST_WO.length,
      DOC_LIST_WM.length,
      DOC_GET.length,
      DOC_CHAT.length,
      DOC_LIST_CHAT.length,
    ]).toEqual([31, 32, 32, 30, 28]);
    for (const id of [DOC_LIST_WO, DOC_LIST_WM, DOC_GET]) expect(isId('externalUserId', id)).toBe(true);
    for (const id of [DOC_CHAT, DOC_LIST_CHAT]) expect(isId('chatId', id)).toBe(true);
    expect(isId('tagId', DOC_TAG)).toBe(true);
    expect(isId('tagId', 'stAJ2GCAAAXtWyujaWJHDDGi0mACHAAA')).toBe(true);
  });

  it('accept URL-safe base64 ids of any length up to the bound, and are case-sensitive data', () => {
    for (const n of [1, 28, 29, 33, 40, 64, 128]) expect(isId('externalUserId', 'w'.repeat(n))).toBe(true);
    expect(isId('externalUserId', 'wmef8IUPwldXPk676YcWXY2e3VqWXVs766J82-34')).toBe(true);
    expect(isId('chatId', 'wr_-AbCdEf')).toBe(true);
    expect(ExternalUserIdSchema.parse(DOC_LIST_WO)).toBe(DOC_LIST_WO);
  });

  it('reject what WeCom never issues', () => {
    for (const bad of ['', 'w'.repeat(129), 'wm a', 'wm/../x', 'wm%2F', 'wm+x', 'wm=', 'wm.x', '中文']) {
      expect(isId('externalUserId', bad), bad).toBe(false);
      expect(isId('chatId', bad), bad).toBe(false);
      expect(isId('tagId', bad), bad).toBe(false);
    }
    expect(isId('externalUserId', 42)).toBe(false);
    expect(ChatIdSchema.safeParse('not a chat id').success).toBe(false);
    expect(TagIdSchema.safeParse('').success).toBe(false);
  });

  it('userid: 1–64 bytes of [A-Za-z0-9_@.-], plaintext starting with a letter or digit; CorpId/userid form', () => {
    for (const ok of [
      'zhangsan',
      'ZhuShengBen',
      'a',
      'li.na@corp',
      'x-1_2',
      'u'.repeat(64),
      'wwabc123/lisi',
    ]) {
      expect(isId('userId', ok), ok).toBe(true);
    }
    for (const bad of ['', 'u'.repeat(65), 'zhang san', '.dot', '@at', 'a/b/c', '张三']) {
      expect(isId('userId', bad), bad).toBe(false);
    }
    expect(UserIdSchema.safeParse('zhangwei').success).toBe(true);
  });

  it('have a bilingual message per kind, Chinese first', () => {
    for (const m of Object.values(MALFORMED_ID)) {
      expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en).toMatch(/^[A-Z]/);
    }
  });
});

describe('the emulator seed', () => {
  it('mixes 32-character ids with others of 28–40 characters, wm and wo customers', () => {
    const lengths = CUSTOMERS.map((c) => c.external_userid.length);
    expect(lengths.filter((n) => n === 32).length).toBeGreaterThan(lengths.length / 2);
    expect(Math.min(...lengths)).toBe(28);
    expect(Math.max(...lengths)).toBe(40);
    expect(new Set(lengths).size).toBeGreaterThan(8);
    expect(CUSTOMERS.some((c) => c.external_userid.startsWith('wm') && c.type === 1)).toBe(true);
    expect(CUSTOMERS.some((c) => c.external_userid.startsWith('wo') && c.type === 2)).toBe(true);
    expect(new Set(GROUP_CHATS.map((g) => g.chat_id.length)).size).toBeGreaterThan(2);
    expect(new Set(CORP_B.customers.map((c) => c.external_userid.length)).size).toBeGreaterThan(2);
    for (const c of [...CUSTOMERS, ...CORP_B.customers])
      expect(isId('externalUserId', c.external_userid)).toBe(true);
  });

  it('carries the docs’ example ids verbatim', () => {
    expect(DOC_IDS).toMatchObject({
      listWecomCustomer: DOC_LIST_WO,
      listWechatCustomer: DOC_LIST_WM,
      getCustomer: DOC_GET,
      chat: DOC_CHAT,
      listChat: DOC_LIST_CHAT,
      tag: DOC_TAG,
    });
  });
});

describe('the docs’ example ids through the app’s WeCom client and the emulator over HTTP', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let deps: ContactsDeps;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    deps = { client: demoClient(emu.url) };
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('zhangwei’s customer list holds the 31- and 32-character doc customers', async () => {
    const ids = await listCustomerIds('zhangwei', deps);
    expect(ids).toContain(DOC_LIST_WO);
    expect(ids).toContain(DOC_LIST_WM);
    expect(ids).toContain(DOC_GET);
  });

  it('the 31-character customer’s profile loads', async () => {
    const p = await getCustomerForUser('zhangwei', DOC_LIST_WO, deps);
    expect(p).toMatchObject({ externalUserId: DOC_LIST_WO, type: 'wecom', corpName: '北辰软件' });
  });

  it('the 30-character group chat loads, with the non-friend WeChat member of the docs’ example', async () => {
    const g = await getGroupChatForUser('zhangwei', DOC_CHAT, deps);
    expect(g).toMatchObject({ chatId: DOC_CHAT, name: '销售客服群', notice: '文明沟通，拒绝脏话' });
    expect(g.customers.map((c) => c.userId)).toContain('wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA');
    expect(g.customers.find((c) => c.userId === DOC_LIST_WM)?.groupNickname).toBe('店长小王');
  });

  it('the 28-character group chat of groupchat/list loads for its owner', async () => {
    const g = await getGroupChatForUser('lina', DOC_LIST_CHAT, deps);
    expect(g.chatId).toBe(DOC_LIST_CHAT);
  });
});
