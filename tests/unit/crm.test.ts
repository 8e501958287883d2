import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { TAG, WELL_KNOWN } from '@/emulator/seed';
import { DEMO_CREDENTIALS } from '@/lib/config';
import type { CrmDeps, Viewer } from '@/lib/crm/context';
import { handleCrmEvent } from '@/lib/crm/events';
import { customerFollowers } from '@/lib/crm/followers';
import { customerGroups, ownedGroups } from '@/lib/crm/groups';
import { addNote, deleteNote, dueFollowUps, editNote } from '@/lib/crm/notes';
import { crmPanel } from '@/lib/crm/panel';
import { getPipeline, savePipeline, setStage } from '@/lib/crm/pipeline';
import { updateRemark } from '@/lib/crm/remark';
import { createTags, deleteTags, markTags, tagLibrary } from '@/lib/crm/tags';
import { timelinePage } from '@/lib/crm/timeline';
import { HttpError } from '@/lib/http';
import { createStore } from '@/lib/store';
import { corpSecretCredentials, createWecomClient } from '@/lib/wecom/client';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';
import { emulatorControl } from '@/emulator/control-client';

const LIN = WELL_KNOWN.linXiaomei;
const ZHANG: Viewer = { userId: 'zhangwei', name: '张伟', isAdmin: true };
const LINA: Viewer = { userId: 'lina', name: '李娜', isAdmin: false };
const CHEN: Viewer = { userId: 'chenjing', name: '陈静', isAdmin: false };

let emu: RunningEmulator;
let clock = Date.UTC(2026, 5, 1, 8, 0, 0);

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu?.close();
});

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    const pub = (err as { toPublic?: () => HttpError }).toPublic?.();
    if (pub) return pub;
    throw err;
  }
  throw new Error('expected a rejection');
}

async function counters(): Promise<Record<string, number>> {
  return emulatorControl(emu.url).counters();
}

async function customerState(id: string): Promise<{
  follow: {
    userId: string;
    remark: string;
    description: string;
    remarkMobiles: string[];
    tags: { tagId: string }[];
  }[];
}> {
  return (await (await fetch(`${emu.url}/wecom-emulator/crm/customer?externalUserId=${id}`)).json()) as never;
}

const kinds = await databaseKinds();

const findName = (library: Awaited<ReturnType<typeof tagLibrary>>, id: string) =>
  library.flatMap((g) => g.tags).find((t) => t.id === id)?.name;

describe.each(kinds)('CRM on %s', (kind) => {
  let tdb: TestDatabase;
  let deps: CrmDeps;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(async () => {
    await emulatorControl(emu.url).reset();
    for (const t of [
      'crm_timeline',
      'crm_notes',
      'crm_stages',
      'crm_pipelines',
      'crm_group_members',
      'crm_group_chats',
      'crm_group_syncs',
    ] as const) {
      await tdb.db.deleteFrom(t).execute();
    }
    const store = createStore('memory:');
    const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;
    deps = {
      corpId,
      wecom: createWecomClient({
        apiBase: emu.url,
        corpId,
        agentId,
        credentials: corpSecretCredentials(corpId, agentSecret),
        store,
        sleep: async () => {},
        log: () => {},
      }),
      store,
      db: tdb.db,
      employeeNames: 'api',
      now: () => clock,
    };
  });

  describe('tags', () => {
    it('adds and removes corp tags as the member with one WeCom call when warm; the timeline says what changed', async () => {
      await crmPanel(deps, ZHANG, LIN); // warms the caches (followers, library) and the token
      const before = await counters();
      const r = await markTags(deps, ZHANG, LIN, { add: [TAG.won], remove: [TAG.important] });
      const after = await counters();
      expect(r.tagIds).toContain(TAG.won);
      expect(r.tagIds).not.toContain(TAG.important);
      const calls = Object.entries(after)
        .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
        .filter(([, n]) => n > 0);
      expect(calls).toEqual([['externalcontact/mark_tag', 1]]);
      const state = await customerState(LIN);
      const mine = state.follow.find((f) => f.userId === 'zhangwei')!.tags.map((t) => t.tagId);
      expect(mine).toContain(TAG.won);
      expect(mine).not.toContain(TAG.important);
      const page = await timelinePage(deps, ZHANG, LIN, null);
      expect(page.items[0]).toMatchObject({
        kind: 'tags',
        source: 'app',
        actor: { userId: 'zhangwei', name: '张伟' },
      });
      expect(page.items[0]!.summary.zh).toContain('已成交');
    });

    it('a non-follower gets 403 and WeCom is not written', async () => {
      const before = await counters();
      const err = await rejection(markTags(deps, CHEN, LIN, { add: [TAG.won], remove: [] }));
      expect(err.status).toBe(403);
      expect((await counters())['externalcontact/mark_tag'] ?? 0).toBe(
        before['externalcontact/mark_tag'] ?? 0,
      );
    });

    it('an unknown tag is a 409 before WeCom; a tag deleted meanwhile (40068) is a 409 and the library reloads', async () => {
      const unknown = await rejection(
        markTags(deps, ZHANG, LIN, { add: ['etNoSuchTag0000000000000000000001'], remove: [] }),
      );
      expect(unknown.status).toBe(409);
      expect(unknown.code).toBe('tag_deleted');
      expect((await counters())['externalcontact/mark_tag'] ?? 0).toBe(0);
      // Cached library, then an admin deletes the tag in the console.
      await tagLibrary(deps);
      await fetch(`${emu.url}/wecom-emulator/crm/admin-delete-tag`, {
        method: 'POST',
        body: JSON.stringify({ id: TAG.pro }),
      });
      const gone = await rejection(markTags(deps, ZHANG, LIN, { add: [TAG.pro], remove: [] }));
      expect(gone.status).toBe(409);
      expect((await tagLibrary(deps)).some((g) => g.tags.some((t) => t.id === TAG.pro))).toBe(false);
      expect((await timelinePage(deps, ZHANG, LIN, null)).items).toHaveLength(0);
    });

    it('84061 (the customer deleted the member meanwhile) is a 409 not_your_customer and nothing is recorded', async () => {
      await customerFollowers(deps, LIN); // cached: lina follows
      await fetch(`${emu.url}/wecom-emulator/crm/customer-deletes-member`, {
        method: 'POST',
        body: JSON.stringify({ externalUserId: LIN, userId: 'lina' }),
      });
      const err = await rejection(markTags(deps, LINA, LIN, { add: [TAG.won], remove: [] }));
      expect(err.status).toBe(409);
      expect(err.code).toBe('not_your_customer');
      expect((await timelinePage(deps, ZHANG, LIN, null)).items).toHaveLength(0);
      // The follower cache was dropped: the next try is a plain 403.
      expect((await rejection(markTags(deps, LINA, LIN, { add: [TAG.won], remove: [] }))).status).toBe(403);
    });
  });

  describe('remark', () => {
    it('edits remark, description and mobiles; clearing mobiles sends [""]; the timeline names the fields only', async () => {
      await crmPanel(deps, ZHANG, LIN);
      const before = await counters();
      const { profile } = await updateRemark(deps, ZHANG, LIN, {
        remark: '林总',
        description: '年框续签',
        remarkMobiles: [],
      });
      // One WeCom call, and the updated profile comes back without a second one.
      expect((await counters())['externalcontact/get']).toBe(before['externalcontact/get']);
      expect(profile.follow).toMatchObject({ remark: '林总', description: '年框续签', remarkMobiles: [] });
      const f = (await customerState(LIN)).follow.find((x) => x.userId === 'zhangwei')!;
      expect(f).toMatchObject({ remark: '林总', description: '年框续签', remarkMobiles: [] });
      const [entry] = (await timelinePage(deps, LINA, LIN, null)).items;
      expect(entry!.kind).toBe('remark');
      expect(JSON.stringify(entry)).not.toContain('林总');
      expect(entry!.summary.en).toContain('remark, description, remark mobiles');
    });

    it('an over-long field is a 400 naming the field and its limit, before any WeCom call', async () => {
      const before = await counters();
      for (const [input, field, limit] of [
        [{ remark: '一'.repeat(21) }, 'remark', 20],
        [{ description: 'x'.repeat(151) }, 'description', 150],
        [{ remarkCompany: '一'.repeat(21) }, 'remarkCompany', 20],
      ] as const) {
        const err = await rejection(updateRemark(deps, ZHANG, LIN, input));
        expect(err.status).toBe(400);
        expect(err.userMessage.zh).toContain(field);
        expect(err.userMessage.en).toContain(String(limit));
      }
      const after = await counters();
      expect(after['externalcontact/remark'] ?? 0).toBe(before['externalcontact/remark'] ?? 0);
      expect(after['externalcontact/get'] ?? 0).toBe(before['externalcontact/get'] ?? 0);
      // 20 characters exactly is fine.
      await updateRemark(deps, ZHANG, LIN, { remark: '一'.repeat(20) });
    });

    it('remark company is for WeChat customers only (400 for a WeCom customer)', async () => {
      const err = await rejection(
        updateRemark(deps, ZHANG, WELL_KNOWN.zhouJianguo, { remarkCompany: '某公司' }),
      );
      expect(err.status).toBe(400);
      expect(err.userMessage.en).toContain('remarkCompany');
    });

    it('a non-follower gets 403 and the remark is not written', async () => {
      expect((await rejection(updateRemark(deps, CHEN, LIN, { remark: 'x' }))).status).toBe(403);
      expect((await counters())['externalcontact/remark'] ?? 0).toBe(0);
    });

    it('a WeCom failure leaves no timeline entry', async () => {
      await emulatorControl(emu.url).fault({ api: 'externalcontact/remark', errcode: -1, times: 1 });
      await rejection(updateRemark(deps, ZHANG, LIN, { remark: 'x' }));
      expect((await timelinePage(deps, ZHANG, LIN, null)).items).toHaveLength(0);
    });
  });

  describe('pipeline and stage', () => {
    it('admins define stages kept as one corp tag group; a customer carries at most one stage tag', async () => {
      const p = await savePipeline(deps, [
        { name: '新线索', color: '#64748b' },
        { name: '意向', color: '#2563eb' },
        { name: '报价' },
        { name: '成交' },
        { name: '流失' },
      ]);
      expect(p.stages.map((s) => s.name)).toEqual(['新线索', '意向', '报价', '成交', '流失']);
      const library = await tagLibrary(deps, { fresh: true });
      const group = library.find((g) => g.groupId === p.groupId)!;
      expect(group.groupName).toBe('客户阶段');
      expect(group.tags.map((t) => t.name)).toEqual(['新线索', '意向', '报价', '成交', '流失']);
      await setStage(deps, ZHANG, LIN, p.stages[1]!.id);
      const moved = await setStage(deps, ZHANG, LIN, p.stages[2]!.id);
      expect(moved.stageId).toBe(p.stages[2]!.id);
      const tags = (await customerState(LIN)).follow
        .find((f) => f.userId === 'zhangwei')!
        .tags.map((t) => t.tagId);
      expect(tags.filter((id) => p.stages.some((s) => s.id === id))).toEqual([p.stages[2]!.id]);
      const [entry] = (await timelinePage(deps, ZHANG, LIN, null)).items;
      expect(entry).toMatchObject({ kind: 'stage' });
      expect(entry!.summary.zh).toContain('从 意向 改为 报价');
      await setStage(deps, ZHANG, LIN, null);
      const cleared = (await customerState(LIN)).follow
        .find((f) => f.userId === 'zhangwei')!
        .tags.map((t) => t.tagId);
      expect(cleared.some((id) => p.stages.some((s) => s.id === id))).toBe(false);
      // Rename, reorder and drop a stage.
      const next = await savePipeline(deps, [
        { id: p.stages[1]!.id, name: '有意向' },
        { id: p.stages[0]!.id, name: '新线索' },
        { name: '复购' },
      ]);
      expect(next.stages.map((s) => s.name)).toEqual(['有意向', '新线索', '复购']);
      const lib2 = (await tagLibrary(deps, { fresh: true })).find((g) => g.groupId === next.groupId)!;
      expect(lib2.tags.map((t) => t.name)).toEqual(['有意向', '新线索', '复购']);
      expect((await getPipeline(deps)).stages).toHaveLength(3);
      // An unknown stage is a 409 before WeCom.
      expect((await rejection(setStage(deps, ZHANG, LIN, 'etNoSuchStage000000000000000001'))).status).toBe(
        409,
      );
    });
  });

  describe('notes', () => {
    it('a retried submit (same id) writes one note; followers and admins read them; only the author edits or deletes', async () => {
      const id = randomUUID();
      const first = await addNote(deps, LINA, LIN, {
        id,
        text: '约了下周二上门演示',
        followUpAt: new Date(clock + 3600_000).toISOString(),
      });
      const again = await addNote(deps, LINA, LIN, { id, text: '约了下周二上门演示' });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      const page = await timelinePage(deps, ZHANG, LIN, null);
      expect(page.items.filter((i) => i.kind === 'note')).toHaveLength(1);
      expect(page.items[0]!.note).toMatchObject({
        text: '约了下周二上门演示',
        mine: false,
        author: { userId: 'lina' },
      });
      expect((await rejection(editNote(deps, ZHANG, LIN, id, { text: 'x' }))).status).toBe(403);
      expect((await rejection(deleteNote(deps, ZHANG, LIN, id))).status).toBe(403);
      const edited = await editNote(deps, LINA, LIN, id, { text: '改到周三' });
      expect(edited.text).toBe('改到周三');
      // Not a follower: neither reads nor writes.
      expect((await rejection(addNote(deps, CHEN, LIN, { id: randomUUID(), text: 'x' }))).status).toBe(403);
      await deleteNote(deps, LINA, LIN, id);
      expect((await timelinePage(deps, ZHANG, LIN, null)).items).toHaveLength(0);
    });

    it('a note over 2,000 characters is a 400 naming the limit', async () => {
      const err = await rejection(addNote(deps, ZHANG, LIN, { id: randomUUID(), text: '字'.repeat(2001) }));
      expect(err.status).toBe(400);
      expect(err.userMessage.zh).toContain('2000');
      await addNote(deps, ZHANG, LIN, { id: randomUUID(), text: '字'.repeat(2000) });
    });

    it('follow-ups due: the member’s own notes whose time has come, oldest first', async () => {
      await addNote(deps, ZHANG, LIN, {
        id: randomUUID(),
        text: 'later',
        followUpAt: new Date(clock + 7200_000).toISOString(),
      });
      await addNote(deps, ZHANG, LIN, {
        id: randomUUID(),
        text: 'second',
        followUpAt: new Date(clock - 60_000).toISOString(),
      });
      await addNote(deps, ZHANG, WELL_KNOWN.zhouJianguo, {
        id: randomUUID(),
        text: 'first',
        followUpAt: new Date(clock - 3600_000).toISOString(),
      });
      await addNote(deps, LINA, LIN, {
        id: randomUUID(),
        text: 'not mine',
        followUpAt: new Date(clock - 60_000).toISOString(),
      });
      const due = await dueFollowUps(deps, ZHANG);
      expect(due.map((d) => d.text)).toEqual(['first', 'second']);
      expect(due[1]!.customerName).toBe('林晓梅');
    });
  });

  describe('timeline', () => {
    it('pages newest first by cursor', async () => {
      for (let i = 0; i < 45; i++) {
        clock += 1000;
        await addNote(deps, ZHANG, LIN, { id: randomUUID(), text: `n${i}` });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof timelinePage>> = await timelinePage(deps, ZHANG, LIN, cursor);
        seen.push(...page.items.map((i) => i.note!.text));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(45);
      expect(seen[0]).toBe('n44');
      expect(seen[44]).toBe('n0');
      expect((await rejection(timelinePage(deps, ZHANG, LIN, 'bad!'))).status).toBe(400);
    });

    it('WeCom events land once even when replayed; group joins re-read the chat', async () => {
      const fields = {
        ToUserName: DEMO_CREDENTIALS.corpId,
        FromUserName: 'sys',
        CreateTime: String(Math.floor(clock / 1000)),
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'del_follow_user',
        UserID: 'lina',
        ExternalUserID: LIN,
      };
      await handleCrmEvent(deps, fields);
      await handleCrmEvent(deps, { ...fields });
      // The third-party form of the same kind of event (instruction URL).
      await handleCrmEvent(deps, {
        SuiteId: 'wwsuite',
        AuthCorpId: DEMO_CREDENTIALS.corpId,
        InfoType: 'change_external_contact',
        TimeStamp: String(Math.floor(clock / 1000) + 1),
        ChangeType: 'add_external_contact',
        UserID: 'wangfang',
        ExternalUserID: LIN,
      });
      // The same change in the third-party form (one app installed both ways) lands once too.
      await handleCrmEvent(deps, {
        SuiteId: 'wwsuite',
        AuthCorpId: DEMO_CREDENTIALS.corpId,
        InfoType: 'change_external_contact',
        TimeStamp: fields.CreateTime,
        ChangeType: 'del_follow_user',
        UserID: 'lina',
        ExternalUserID: LIN,
      });
      const items = (await timelinePage(deps, ZHANG, LIN, null)).items;
      expect(items.map((i) => i.kind)).toEqual(['customer_added', 'member_deleted']);
      expect(items[1]).toMatchObject({ source: 'wecom', actor: { userId: 'lina', name: '李娜' } });

      const groupsBefore = await customerGroups(deps, LIN);
      const chat = WELL_KNOWN.channelChat;
      expect(groupsBefore.some((g) => g.chatId === chat)).toBe(false);
      const res = (await (
        await fetch(`${emu.url}/wecom-emulator/crm/customer-joins-group`, {
          method: 'POST',
          body: JSON.stringify({ chatId: chat, externalUserId: LIN }),
        })
      ).json()) as { event: Record<string, unknown> };
      const e = res.event as {
        chatId: string;
        memChangeList: string[];
        lastMemVer: string;
        curMemVer: string;
      };
      const event = {
        ToUserName: DEMO_CREDENTIALS.corpId,
        FromUserName: 'sys',
        CreateTime: String(Math.floor(clock / 1000) + 5),
        MsgType: 'event',
        Event: 'change_external_chat',
        ChatId: e.chatId,
        ChangeType: 'update',
        UpdateDetail: 'add_member',
        JoinScene: '0',
        QuitScene: '0',
        MemChangeCnt: '1',
        MemChangeList: { Item: e.memChangeList[0] },
        LastMemVer: e.lastMemVer,
        CurMemVer: e.curMemVer,
      };
      await handleCrmEvent(deps, event);
      await handleCrmEvent(deps, event);
      const after = await timelinePage(deps, ZHANG, LIN, null);
      expect(after.items.filter((i) => i.kind === 'group_joined')).toHaveLength(1);
      expect(after.items[0]!.summary.zh).toContain('华东渠道交流群');
      expect((await customerGroups(deps, LIN)).some((g) => g.chatId === chat)).toBe(true);
    });
  });

  describe('tag library cache', () => {
    it('is cached, and a change_external_tag event (an admin edits a tag in WeCom) refreshes it', async () => {
      expect(findName(await tagLibrary(deps), TAG.pro)).toBe('专业版');
      const before = (await counters())['externalcontact/get_corp_tag_list'] ?? 0;
      await tagLibrary(deps);
      expect((await counters())['externalcontact/get_corp_tag_list'] ?? 0).toBe(before);
      await fetch(`${emu.url}/wecom-emulator/crm/admin-edit-tag`, {
        method: 'POST',
        body: JSON.stringify({ id: TAG.pro, name: '专业版 Plus' }),
      });
      expect(findName(await tagLibrary(deps), TAG.pro)).toBe('专业版'); // still cached
      await handleCrmEvent(deps, {
        ToUserName: DEMO_CREDENTIALS.corpId,
        FromUserName: 'sys',
        CreateTime: String(Math.floor(clock / 1000)),
        MsgType: 'event',
        Event: 'change_external_tag',
        Id: TAG.pro,
        TagType: 'tag',
        ChangeType: 'update',
      });
      expect(findName(await tagLibrary(deps), TAG.pro)).toBe('专业版 Plus');
    });
  });

  describe('groups and followers', () => {
    it('lists the customer’s groups, the groups a member owns, and the other followers without their remarks', async () => {
      const groups = await customerGroups(deps, LIN);
      expect(groups.map((g) => g.chatId)).toContain(WELL_KNOWN.vipChat);
      expect(groups.find((g) => g.chatId === WELL_KNOWN.vipChat)!.owner).toMatchObject({
        userId: 'zhangwei',
        name: '张伟',
      });
      const owned = await ownedGroups(deps, 'lina');
      expect(owned.map((g) => g.chatId)).toContain(WELL_KNOWN.channelChat);
      expect(owned.every((g) => g.owner.userId === 'lina')).toBe(true);
      const panel = await crmPanel(deps, ZHANG, LIN);
      const lina = panel.followers.find((f) => f.userId === 'lina')!;
      expect(lina).toMatchObject({ name: '李娜', isMe: false });
      expect(lina.addedAt).toMatch(/^\d{4}-/);
      expect(JSON.stringify(panel)).not.toContain('林姐'); // lina's remark
      expect(JSON.stringify(panel)).not.toContain('13812345678'); // anyone's remark mobiles
      expect(panel.tagIds).toContain(TAG.important);
      // Admins read customers they do not follow; others do not.
      expect((await crmPanel(deps, { ...ZHANG }, WELL_KNOWN.onlyLina)).externalUserId).toBe(
        WELL_KNOWN.onlyLina,
      );
      expect((await rejection(crmPanel(deps, CHEN, WELL_KNOWN.onlyLina))).status).toBe(403);
    });
  });

  describe('admin tag library', () => {
    it('creates, deletes and refuses to touch tags made in the console (409)', async () => {
      const created = await createTags(deps, { groupName: '活动', names: ['双十一', '年会'] });
      expect(created.tagIds).toHaveLength(2);
      expect((await tagLibrary(deps)).some((g) => g.groupId === created.groupId)).toBe(true);
      const err = await rejection(deleteTags(deps, { tagIds: [TAG.won] }));
      expect(err.status).toBe(409);
      expect(err.code).toBe('tag_not_editable');
      const long = await rejection(createTags(deps, { groupName: '活动', names: ['x'.repeat(31)] }));
      expect(long.status).toBe(400);
      await deleteTags(deps, { groupIds: [created.groupId] });
      expect((await tagLibrary(deps)).some((g) => g.groupId === created.groupId)).toBe(false);
    });
  });
});
