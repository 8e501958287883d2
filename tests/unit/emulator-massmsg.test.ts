import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { CORP_ID, DEMO_AGENT_SECRET, WELL_KNOWN } from '@/emulator/seed';

const START = Date.UTC(2026, 0, 15, 2, 0, 0);
let clock = START;
let emu: RunningEmulator;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function token(): Promise<string> {
  const r = (await (
    await fetch(`${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${DEMO_AGENT_SECRET}`)
  ).json()) as Json;
  return r.access_token as string;
}

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(`${emu.url}/cgi-bin/${path}?access_token=${encodeURIComponent(await token())}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** multipart exactly as the docs' example: field `media`, filename and filelength in the disposition. */
async function upload(
  type: string,
  filename: string,
  bytes: Uint8Array,
  contentType = 'application/octet-stream',
) {
  const boundary = '-------------------------acebdf13572468';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="media";filename="${filename}"; filelength=${bytes.length}\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const res = await fetch(`${emu.url}/cgi-bin/media/upload?access_token=${await token()}&type=${type}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([head, Buffer.from(bytes), tail]),
  });
  return (await res.json()) as Json;
}

async function control(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test'], now: () => clock });
});
afterAll(() => emu.close());
beforeEach(async () => {
  clock = START;
  await control('reset', {});
});

describe('media/upload', () => {
  it('answers as the docs show: errmsg "", a string created_at, a media_id that media/get serves for 3 days', async () => {
    const r = await upload('file', 'wework.txt', Buffer.from('mytext'));
    expect(r).toEqual({
      errcode: 0,
      errmsg: '',
      type: 'file',
      media_id: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      created_at: String(Math.floor(START / 1000)),
    });
    const got = await fetch(
      `${emu.url}/cgi-bin/media/get?access_token=${await token()}&media_id=${r.media_id}`,
    );
    expect(await got.text()).toBe('mytext');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${r.media_id}.txt"`);
    clock = START + 3 * 86400_000;
    const expired = await fetch(
      `${emu.url}/cgi-bin/media/get?access_token=${await token()}&media_id=${r.media_id}`,
    );
    expect(await expired.json()).toEqual({ errcode: 40007, errmsg: 'invalid media_id' });
  });

  it('refuses wrong types, empty and tiny files, and sizes over each limit', async () => {
    expect((await upload('sticker', 'a.png', PNG)).errcode).toBe(40005);
    expect((await upload('image', 'a.gif', PNG)).errcode).toBe(40004);
    expect((await upload('file', 'a.txt', new Uint8Array(3))).errcode).toBe(40006);
    expect((await upload('image', 'big.png', new Uint8Array(10 * 1024 * 1024 + 1))).errcode).toBe(40009);
    expect((await upload('video', 'big.mp4', new Uint8Array(10 * 1024 * 1024 + 1))).errcode).toBe(40011);
    expect((await upload('image', 'ok.png', PNG, 'image/png')).errcode).toBe(0);
  });
});

describe('mass messages (企业群发)', () => {
  it('creates a task for the sender that the member confirms; results follow the documented statuses', async () => {
    const img = await upload('image', 'cover.png', PNG, 'image/png');
    const created = await post('externalcontact/add_msg_template', {
      chat_type: 'single',
      external_userid: [WELL_KNOWN.linXiaomei, 'wmqfasd1e1927831123109rBAAAA'],
      sender: 'zhangwei',
      text: { content: '新品到货' },
      attachments: [{ msgtype: 'image', image: { media_id: img.media_id } }],
    });
    expect(created).toMatchObject({ errcode: 0, errmsg: 'ok', fail_list: ['wmqfasd1e1927831123109rBAAAA'] });
    expect(created.msgid).toMatch(/^msg/);

    // Right after creation the message is being dispatched (41063).
    expect((await post('externalcontact/get_groupmsg_task', { msgid: created.msgid })).errcode).toBe(41063);
    clock += 2000;
    const task = await post('externalcontact/get_groupmsg_task', { msgid: created.msgid });
    expect(task.task_list).toEqual([{ userid: 'zhangwei', status: 0 }]);
    const unsent = await post('externalcontact/get_groupmsg_send_result', {
      msgid: created.msgid,
      userid: 'zhangwei',
    });
    expect(unsent.send_list).toEqual([
      { external_userid: WELL_KNOWN.linXiaomei, userid: 'zhangwei', status: 0 },
    ]);

    const pending = await control('mass-messages?userid=zhangwei');
    expect(pending.body.pending).toHaveLength(1);
    expect(
      (await control('mass-messages/confirm', { msgid: created.msgid, userid: 'zhangwei' })).status,
    ).toBe(200);

    const done = await post('externalcontact/get_groupmsg_send_result', {
      msgid: created.msgid,
      userid: 'zhangwei',
    });
    expect(done.send_list).toEqual([
      {
        external_userid: WELL_KNOWN.linXiaomei,
        userid: 'zhangwei',
        status: 1,
        send_time: Math.floor(clock / 1000),
      },
    ]);
    const chat = await control(`bridge/messages?externalUserId=${WELL_KNOWN.linXiaomei}`);
    expect(chat.body.messages.map((m: Json) => m.msgtype)).toEqual(['text', 'image']);
  });

  it('refuses more than 9 attachments, unknown kinds and expired media', async () => {
    const link = { msgtype: 'link', link: { title: 't', url: 'https://example.com' } };
    const base = { chat_type: 'single', external_userid: [WELL_KNOWN.linXiaomei], sender: 'zhangwei' };
    expect(
      (await post('externalcontact/add_msg_template', { ...base, attachments: Array(10).fill(link) }))
        .errcode,
    ).toBe(41064);
    expect(
      (
        await post('externalcontact/add_msg_template', {
          ...base,
          attachments: [{ msgtype: 'voice', voice: {} }],
        })
      ).errcode,
    ).toBe(41065);
    const img = await upload('image', 'cover.png', PNG);
    clock += 3 * 86400_000;
    expect(
      (
        await post('externalcontact/add_msg_template', {
          ...base,
          attachments: [{ msgtype: 'image', image: { media_id: img.media_id } }],
        })
      ).errcode,
    ).toBe(40007);
  });

  it('lists records in a window of at most a month and lets a task be reminded 3 times a day and cancelled', async () => {
    const created = await post('externalcontact/add_msg_template', {
      external_userid: [WELL_KNOWN.linXiaomei],
      sender: 'zhangwei',
      text: { content: '提醒' },
    });
    clock += 2000;
    const t = Math.floor(START / 1000);
    const list = await post('externalcontact/get_groupmsg_list_v2', {
      chat_type: 'single',
      start_time: t - 10,
      end_time: t + 10,
    });
    expect(list.group_msg_list).toEqual([
      { msgid: created.msgid, create_time: t, create_type: 0, text: { content: '提醒' }, attachments: [] },
    ]);
    for (let i = 0; i < 3; i++)
      expect((await post('externalcontact/remind_groupmsg_send', { msgid: created.msgid })).errcode).toBe(0);
    expect((await post('externalcontact/remind_groupmsg_send', { msgid: created.msgid })).errcode).toBe(
      41094,
    );
    expect((await post('externalcontact/cancel_groupmsg_send', { msgid: created.msgid })).errcode).toBe(0);
    expect(
      (await control('mass-messages/confirm', { msgid: created.msgid, userid: 'zhangwei' })).status,
    ).toBe(400);
  });
});
