import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { TAG, WELL_KNOWN } from '@/emulator/seed';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { saveMedia } from '@/lib/content/media';
import {
  cancelSchedule,
  createSchedule,
  updateSchedule,
  type ScheduleDeps,
  type Viewer,
} from '@/lib/content/scheduled';
import { checkAudience, countAudience } from '@/lib/content/audience';
import { scheduleDeps } from '@/lib/content/targets';
import { createPersonalReply, createQuickReply } from '@/lib/quick-replies';
import type { Corp } from '@/lib/wecom/tenant';
import { schedulerTick, startScheduler, type SchedulerDeps } from '@/lib/content/scheduler';
import { openDb, type Db } from '@/lib/db/connect';
import { HttpError } from '@/lib/http';
import { createStore } from '@/lib/store';
import type { Store } from '@/lib/store/types';
import { corpSecretCredentials, createWecomClient, type WecomClient } from '@/lib/wecom/client';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';
import { emulatorControl } from '@/emulator/control-client';

const START = Date.UTC(2026, 5, 1, 1, 0, 0);
let clock = START;
const now = () => clock;
let emu: RunningEmulator;
const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;
const LIN = WELL_KNOWN.linXiaomei;
const zhangwei: Viewer = { corpId, userId: 'zhangwei', isAdmin: true };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

function client(store: Store): WecomClient {
  return createWecomClient({
    apiBase: emu.url,
    corpId,
    agentId,
    credentials: corpSecretCredentials(corpId, agentSecret),
    store,
    now,
    sleep: async () => {},
    log: () => {},
  });
}

/** One app instance: its own database connection, KV store and WeCom client. */
function instance(db: Db, store: Store): SchedulerDeps {
  const c = client(store);
  return { db, store, clientFor: async () => c, now, dataDir: dataDir() };
}

let dir = '';
const dataDir = () => dir;

const kinds = await databaseKinds();

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now });
});
afterAll(() => emu.close());

describe.each(kinds)('scheduled messages on %s', (kind) => {
  let t: TestDatabase;
  let store: Store;
  let deps: ScheduleDeps;
  const control = () => emulatorControl(emu.url);
  const count = async (api: string) => (await control().counters())[api] ?? 0;

  beforeEach(async () => {
    clock = START;
    await control().reset();
    t = await createTestDatabase(kind);
    dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/media-`);
    store = createStore('memory:');
    deps = {
      db: t.db,
      now,
      dataDir: dir,
      // Tests of the rules below use a fixed answer; the route's real check is tested with the routes.
      authorizeTarget: async (viewer, target) => {
        if (
          'externalUserId' in target &&
          !([LIN, WELL_KNOWN.onlyLina] as string[]).includes(target.externalUserId)
        )
          throw new HttpError(403, 'forbidden', { zh: '无权', en: 'Forbidden' });
        if ('audience' in target) {
          const audience = {
            userId: target.audience.userId ?? viewer.userId,
            tagIds: target.audience.tagIds,
          };
          await checkAudience(client(store), audience);
          return { sender: audience.userId };
        }
        return { sender: viewer.userId };
      },
    };
  });
  afterEach(async () => {
    await t.drop();
  });

  const schedule = (at = START + 60_000, content: unknown = { kind: 'text', text: '周五的报价单已更新' }) =>
    createSchedule(zhangwei, { target: { externalUserId: LIN }, at, content }, deps);

  it('refuses a time in the past and a customer the member does not follow', async () => {
    await expect(schedule(START - 1)).rejects.toMatchObject({ status: 400, code: 'schedule_in_past' });
    await expect(
      createSchedule(
        zhangwei,
        {
          target: { externalUserId: WELL_KNOWN.noFollowers },
          at: START + 1000,
          content: { kind: 'text', text: 'x' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('a retried create with the same id creates one schedule', async () => {
    const input = {
      id: 'client-id-0001',
      target: { externalUserId: LIN },
      at: START + 60_000,
      content: { kind: 'text', text: 'hi' },
    };
    const [a, b] = await Promise.all([
      createSchedule(zhangwei, input, deps),
      createSchedule(zhangwei, input, deps),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const rows = await t.db.selectFrom('scheduled_messages').select('id').execute();
    expect(rows).toHaveLength(1);
  });

  it('is submitted exactly once when due, with two instances polling together', async () => {
    const { schedule: s } = await schedule();
    const other = openDb(t.url);
    try {
      const a = instance(t.db, store);
      const b = instance(other, createStore('memory:'));
      expect((await Promise.all([schedulerTick(a), schedulerTick(b)])).map((r) => r.submitted)).toEqual([
        0, 0,
      ]);
      clock = START + 61_000;
      const results = await Promise.all([
        schedulerTick(a),
        schedulerTick(b),
        schedulerTick(a),
        schedulerTick(b),
      ]);
      expect(results.reduce((n, r) => n + r.submitted, 0)).toBe(1);
      expect(await count('externalcontact/add_msg_template')).toBe(1);
      const row = await t.db
        .selectFrom('scheduled_messages')
        .selectAll()
        .where('id', '=', s.id)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe('submitted');
      expect(row.msgid).toMatch(/^msg/);
    } finally {
      await other.destroy();
    }
  });

  it('after the member confirms in WeCom, the result check marks it sent', async () => {
    const { schedule: s } = await schedule();
    const inst = instance(t.db, store);
    clock = START + 61_000;
    await schedulerTick(inst);
    const row = await t.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    const res = await fetch(`${emu.url}/wecom-emulator/mass-messages/confirm`, {
      method: 'POST',
      body: JSON.stringify({ msgid: row.msgid, userid: 'zhangwei' }),
    });
    expect(res.status).toBe(200);
    clock += 61_000;
    await schedulerTick(inst);
    const after = await t.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(after.state).toBe('sent');
    expect(JSON.parse(after.result!)).toEqual({ sent: 1, failed: 0, pending: 0 });
  });

  it('one missed while every instance was down goes out if less than an hour late, else is marked missed', async () => {
    const { schedule: soon } = await schedule(START + 60_000);
    const { schedule: late } = await schedule(START + 120_000);
    clock = START + 120_000 + 30 * 60_000; // 30 minutes after the later one
    await schedulerTick(instance(t.db, store));
    const states = async () =>
      Object.fromEntries(
        (await t.db.selectFrom('scheduled_messages').select(['id', 'state']).execute()).map((r) => [
          r.id,
          r.state,
        ]),
      );
    expect(await states()).toEqual({ [soon.id]: 'submitted', [late.id]: 'submitted' });

    const { schedule: old } = await schedule(clock + 60_000);
    clock += 60_000 + 3600_000 + 1;
    await schedulerTick(instance(t.db, store));
    expect((await states())[old.id]).toBe('missed');
  });

  it('a cancelled schedule never fires; a fired one can no longer be edited or cancelled', async () => {
    const { schedule: a } = await schedule();
    const { schedule: b } = await schedule();
    await cancelSchedule(zhangwei, a.id, deps);
    clock = START + 61_000;
    await schedulerTick(instance(t.db, store));
    expect(await count('externalcontact/add_msg_template')).toBe(1);
    await expect(updateSchedule(zhangwei, b.id, { at: clock + 60_000 }, deps)).rejects.toMatchObject({
      status: 409,
    });
    await expect(cancelSchedule(zhangwei, b.id, deps)).rejects.toMatchObject({ status: 409 });
    await expect(
      cancelSchedule({ ...zhangwei, userId: 'lina', isAdmin: false }, b.id, deps),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('an image uploads to WeCom once across sends, and again once when WeCom says the media_id is invalid', async () => {
    const media = await saveMedia(
      corpId,
      'zhangwei',
      { filename: 'price.png', bytes: PNG },
      { db: t.db, dataDir: dir, now },
    );
    const content = {
      kind: 'sequence',
      parts: [
        { kind: 'text', text: '价格表' },
        { kind: 'image', mediaId: media.id },
      ],
    };
    await schedule(START + 60_000, content);
    await schedule(START + 60_000, content);
    clock = START + 61_000;
    const inst = instance(t.db, store);
    await schedulerTick(inst);
    expect(await count('externalcontact/add_msg_template')).toBe(2);
    expect(await count('media/upload')).toBe(1);

    await control().fault({ api: 'externalcontact/add_msg_template', errcode: 40007, times: 1 });
    await schedule(clock + 60_000, content);
    clock += 61_000;
    await schedulerTick(inst);
    expect(await count('media/upload')).toBe(2);
    const states = (await t.db.selectFrom('scheduled_messages').select('state').execute()).map(
      (r) => r.state,
    );
    expect(states).toEqual(['submitted', 'submitted', 'submitted']);
  });

  it('an instance that died after creating the task is not repeated: the next one adopts the msgid', async () => {
    const { schedule: s } = await schedule();
    clock = START + 61_000;
    // The first instance claimed it and created the task, then died before recording it.
    await t.db
      .updateTable('scheduled_messages')
      .set({ state: 'submitting', attempts: 1, claimed_until: clock + 120_000, updated_at: clock })
      .execute();
    const created = await client(store).call<{ msgid: string }>('externalcontact/add_msg_template', {
      body: {
        chat_type: 'single',
        external_userid: [LIN],
        sender: 'zhangwei',
        text: { content: '周五的报价单已更新' },
        attachments: [],
      },
    });
    clock += 121_000;
    await schedulerTick(instance(t.db, store));
    expect(await count('externalcontact/add_msg_template')).toBe(1);
    const row = await t.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'submitted', msgid: created.msgid });
  });

  const rowOf = (id: string) =>
    t.db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  // WeCom answers 41063 while a task is still being dispatched: read the records a little later.
  const massMessages = async () => {
    clock += 10_000;
    return (
      (
        await client(store).call<{ group_msg_list?: { msgid: string; text?: { content?: string } }[] }>(
          'externalcontact/get_groupmsg_list_v2',
          {
            body: {
              chat_type: 'single',
              start_time: Math.floor(START / 1000) - 60,
              end_time: Math.floor(clock / 1000) + 60,
              limit: 100,
            },
          },
        )
      ).group_msg_list ?? []
    );
  };

  it('an edit before it fires takes effect: the new time and text are what WeCom gets', async () => {
    const { schedule: s } = await schedule(START + 60_000, { kind: 'text', text: '旧内容' });
    await updateSchedule(
      zhangwei,
      s.id,
      { at: START + 180_000, content: { kind: 'text', text: '新内容：周五见' } },
      deps,
    );
    const inst = instance(t.db, store);
    clock = START + 61_000;
    expect((await schedulerTick(inst)).submitted).toBe(0);
    expect((await rowOf(s.id)).state).toBe('scheduled');
    clock = START + 180_000;
    expect((await schedulerTick(inst)).submitted).toBe(1);
    expect((await massMessages()).map((m) => m.text?.content)).toEqual(['新内容：周五见']);
  });

  it('the missed threshold is configurable', async () => {
    const { schedule: s } = await schedule(START + 60_000);
    clock = START + 60_000 + 11 * 60_000;
    await schedulerTick({ ...instance(t.db, store), missedAfterMs: 10 * 60_000 });
    expect((await rowOf(s.id)).state).toBe('missed');
    expect(await count('externalcontact/add_msg_template')).toBe(0);
  });

  it('running schedulers on three instances submit each of many due messages exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push((await schedule(START + 60_000 + i, { kind: 'text', text: `第${i}条` })).schedule.id);
    const connections = [openDb(t.url), openDb(t.url)];
    clock = START + 61_000;
    const running = [t.db, ...connections].map((db) =>
      startScheduler(instance(db, createStore('memory:')), 20),
    );
    try {
      await expect
        .poll(
          async () =>
            (await t.db.selectFrom('scheduled_messages').select('state').execute()).filter(
              (r) => r.state === 'submitted',
            ).length,
          { timeout: 20_000, interval: 100 },
        )
        .toBe(ids.length);
    } finally {
      await Promise.all(running.map((r) => r.stop()));
      await Promise.all(connections.map((c) => c.destroy()));
    }
    expect(await count('externalcontact/add_msg_template')).toBe(ids.length);
    expect(new Set((await massMessages()).map((m) => m.text?.content)).size).toBe(ids.length);
  });

  it('after a restart nothing already submitted is submitted again', async () => {
    const { schedule: s } = await schedule();
    clock = START + 61_000;
    await schedulerTick(instance(t.db, store));
    // A new process: its own connection, store and client.
    const other = openDb(t.url);
    try {
      clock += 30 * 60_000;
      await schedulerTick(instance(other, createStore('memory:')));
    } finally {
      await other.destroy();
    }
    expect(await count('externalcontact/add_msg_template')).toBe(1);
    expect((await rowOf(s.id)).state).toBe('submitted');
  });

  it('an audience goes to the member’s customers with any of the tags, as many as the dry-run count', async () => {
    const audience = { userId: 'zhangwei', tagIds: [TAG.important, TAG.potential] };
    const dry = await countAudience(client(store), audience);
    expect(dry.complete).toBe(true);
    expect(dry.matched).toBeGreaterThan(0);
    expect(dry.matched).toBeLessThan(dry.total);
    const { schedule: s } = await createSchedule(
      zhangwei,
      { target: { audience }, at: START + 60_000, content: { kind: 'text', text: '新品上市' } },
      deps,
    );
    clock = START + 61_000;
    await schedulerTick(instance(t.db, store));
    const row = await rowOf(s.id);
    expect(row.state).toBe('submitted');
    clock += 10_000;
    const sent = await client(store).call<{ send_list?: { external_userid: string }[] }>(
      'externalcontact/get_groupmsg_send_result',
      { body: { msgid: row.msgid, userid: 'zhangwei', limit: 1000 } },
    );
    expect(sent.send_list).toHaveLength(dry.matched);
    expect(sent.send_list!.map((x) => x.external_userid)).toContain(LIN);
  });

  it('an audience of a member outside the range or an unknown tag is refused; only admins pick another member', async () => {
    const at = START + 60_000;
    const content = { kind: 'text', text: 'x' };
    await expect(
      createSchedule(
        zhangwei,
        { target: { audience: { userId: 'nobody-here', tagIds: [TAG.important] } }, at, content },
        deps,
      ),
    ).rejects.toMatchObject({ status: 403, code: 'audience_member_unavailable' });
    await expect(
      createSchedule(
        zhangwei,
        {
          target: { audience: { userId: 'zhangwei', tagIds: ['etNoSuchTag00000000000000000000'] } },
          at,
          content,
        },
        deps,
      ),
    ).rejects.toMatchObject({ status: 400, code: 'audience_tag_unknown' });
    await expect(
      createSchedule(
        { ...zhangwei, userId: 'lina', isAdmin: false },
        { target: { audience: { userId: 'zhangwei', tagIds: [TAG.important] } }, at, content },
        deps,
      ),
    ).rejects.toMatchObject({ status: 403, code: 'audience_admin_only' });
  });

  describe('variables', () => {
    const lina: Viewer = { corpId, userId: 'lina', isAdmin: false };

    it('to one customer, every variable takes that customer’s and member’s values when it is due', async () => {
      const { schedule: s } = await schedule(START + 60_000, {
        kind: 'text',
        text: '{客户称呼}您好，我是{我的名字}。{公司}的报价已更新（{客户名}）',
      });
      // Stored as written: values are those of the moment it goes out.
      expect(s.content).toEqual({
        kind: 'text',
        text: '{客户称呼}您好，我是{我的名字}。{公司}的报价已更新（{客户名}）',
      });
      clock = START + 61_000;
      await schedulerTick(instance(t.db, store));
      expect((await rowOf(s.id)).state).toBe('submitted');
      expect((await massMessages()).map((m) => m.text?.content)).toEqual([
        '林晓梅-采购主管您好，我是张伟。南粤商贸的报价已更新（林晓梅）',
      ]);
    });

    it('to many (an audience or a group chat) customer variables are refused; {我的名字} is filled in', async () => {
      const audience = { userId: 'zhangwei', tagIds: [TAG.important] };
      for (const text of ['{客户称呼}您好', '{客户名}', '{公司}的朋友'])
        await expect(
          createSchedule(
            zhangwei,
            { target: { audience }, at: START + 60_000, content: { kind: 'text', text } },
            deps,
          ),
        ).rejects.toMatchObject({ status: 400, code: 'schedule_variable_per_customer' });
      const { schedule: s } = await createSchedule(
        zhangwei,
        {
          target: { audience },
          at: START + 60_000,
          content: { kind: 'text', text: '我是{我的名字}，新品上市' },
        },
        deps,
      );
      // An edit is held to the same rule.
      await expect(
        updateSchedule(zhangwei, s.id, { content: { kind: 'text', text: '{客户称呼}，新品上市' } }, deps),
      ).rejects.toMatchObject({ status: 400, code: 'schedule_variable_per_customer' });
      clock = START + 61_000;
      await schedulerTick(instance(t.db, store));
      expect((await massMessages()).map((m) => m.text?.content)).toEqual(['我是张伟，新品上市']);
    });

    it('an unknown variable is refused when scheduled, not sent as written', async () => {
      await expect(schedule(START + 60_000, { kind: 'text', text: '{生日}快乐' })).rejects.toMatchObject({
        status: 400,
        code: 'schedule_variable_unknown',
      });
    });

    it('a variable without a value when due fails the message instead of sending the braces', async () => {
      // 陈思远 is a WeChat customer: no company.
      const { schedule: s } = await createSchedule(
        lina,
        {
          target: { externalUserId: WELL_KNOWN.onlyLina },
          at: START + 60_000,
          content: { kind: 'text', text: '{公司}的合同已寄出' },
        },
        deps,
      );
      clock = START + 61_000;
      await schedulerTick(instance(t.db, store));
      const row = await rowOf(s.id);
      expect(row.state).toBe('failed');
      expect(JSON.parse(row.error!).zh).toContain('{公司}');
      expect(await count('externalcontact/add_msg_template')).toBe(0);
    });
  });

  it('a library reply of any kind is scheduled by id, within its scope, personal ones only for their owner', async () => {
    const media = await saveMedia(
      corpId,
      'zhangwei',
      { filename: 'catalog.png', bytes: PNG },
      { db: t.db, dataDir: dir, now },
    );
    const replyDeps = { db: t.db, corpId, seed: false, now };
    const image = await createQuickReply(
      { kind: 'image', mediaId: media.id, title: '产品目录', scope: { type: 'all' } },
      replyDeps,
    );
    const groupOnly = await createQuickReply(
      {
        kind: 'text',
        text: '群公告',
        title: '群公告',
        scope: { type: 'groups', chatIds: [WELL_KNOWN.vipChat] },
      },
      replyDeps,
    );
    const personal = await createPersonalReply(
      { userId: 'lina', isAdmin: false },
      { kind: 'text', text: '李娜的话术', title: '李娜' },
      replyDeps,
    );
    const real = scheduleDeps({ id: corpId, wecom: client(store), employeeNames: 'api' } as Corp, t.db);
    const live = { ...real, now, dataDir: dir };
    const to = (content: unknown, viewer = zhangwei) =>
      createSchedule(viewer, { target: { externalUserId: LIN }, at: START + 60_000, content }, live);

    const { schedule: s } = await to({ replyId: image.id });
    expect(s.content).toEqual({ kind: 'image', mediaId: media.id });
    await expect(to({ replyId: groupOnly.id })).rejects.toMatchObject({ status: 404 });
    await expect(to({ replyId: personal.id })).rejects.toMatchObject({ status: 404 });
    clock = START + 61_000;
    await schedulerTick(instance(t.db, store));
    expect((await rowOf(s.id)).state).toBe('submitted');
    expect(await count('media/upload')).toBe(1);
  });
});
