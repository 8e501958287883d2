import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import {
  configFailureReply,
  permissionReply,
  type AgentConfigFailure,
  type ConfigFormat,
} from '@/emulator/bridge-replies';
import { CORP_ID, DEMO_AGENT_SECRET, WELL_KNOWN } from '@/emulator/seed';

// The emulated client's server-side checks (POST /wecom-emulator/bridge/verify and bridge/call), over HTTP.

const START = Date.UTC(2026, 4, 22, 5, 57, 7);
const APP = 'http://app.example.test:3000';
const PAGE = `${APP}/sidebar`;
let emu: RunningEmulator;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function control(path: string, body?: unknown, method = 'POST'): Promise<Json> {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return (await res.json()) as Json;
}

async function status(path: string, body: unknown): Promise<number> {
  const res = await fetch(`${emu.url}/wecom-emulator/${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  await res.body?.cancel();
  return res.status;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const ts = Math.floor(START / 1000);

async function tickets(): Promise<{ corp: string; agent: string }> {
  const tok = (await (
    await fetch(`${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${DEMO_AGENT_SECRET}`)
  ).json()) as Json;
  const t = tok.access_token as string;
  const corp = (await (await fetch(`${emu.url}/cgi-bin/get_jsapi_ticket?access_token=${t}`)).json()) as Json;
  const agent = (await (
    await fetch(`${emu.url}/cgi-bin/ticket/get?access_token=${t}&type=agent_config`)
  ).json()) as Json;
  return { corp: corp.ticket as string, agent: agent.ticket as string };
}

async function agentConfig(overrides: Json = {}, flavour = 'windows'): Promise<Json> {
  const { agent } = await tickets();
  return control('bridge/verify', {
    kind: 'agentConfig',
    url: PAGE,
    corpId: CORP_ID,
    agentId: '1000002',
    nonceStr: 'n0nce',
    timestamp: ts,
    signature: sha1(`jsapi_ticket=${agent}&noncestr=n0nce&timestamp=${ts}&url=${PAGE}`),
    flavour,
    ...overrides,
  });
}

const call = (name: string, args: Json = {}, flavour = 'windows') =>
  control('bridge/call', { name, corpId: CORP_ID, agentId: '1000002', flavour, args });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, trustedDomains: ['app.example.test:3000'], now: () => START });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control('reset');
});

describe('agentConfig failures in every format (wecom-crm.md §6.8)', () => {
  const hint =
    /^Hint: '\d{10}:[A-Za-z0-9]{22}:(-?\d+)'\. More info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=(-?\d+)$/;

  it('words a signature failure as each format does', () => {
    const r = (format: ConfigFormat) => configFailureReply('agentConfig', 'signature', format, START);
    expect(r('legacy')).toEqual({ err_msg: 'agentConfig:fail_invalid signature' });
    expect(r('spaced')).toEqual({ err_msg: 'agentConfig:fail invalid signature' });
    expect(r('code')).toEqual({ err_code: 40093, err_msg: 'agentConfig:fail_invalid signature' });
    const h = r('hint');
    expect(h).toMatchObject({ err_Info: 'fail', errMsg: 'agentConfig:fail' });
    expect(hint.exec(h.hint as string)?.slice(1)).toEqual(['40093', '40093']);
    // Beijing time of START (05:57:07Z → 13:57:07 on 05-22), as in the observed hint.
    expect(h.hint).toMatch(/^Hint: '0522135707:/);
    const msg =
      'wx.config:invalid signature more info at https://open.work.weixin.qq.com/devtool/query?e=40093';
    expect(r('wx-config')).toEqual({ errMsg: msg, err_msg: msg });
  });

  it('words a domain failure without an api name (…e=80001)', () => {
    expect(configFailureReply('agentConfig', 'domain', 'unprefixed', START)).toEqual({
      err_msg:
        'not match any reliable domain, more info at https://open.work.weixin.qq.com/devtool/query?e=80001',
    });
  });

  it('answers each failure the server detects, in the flavour’s default format', async () => {
    const { corp } = await tickets();
    // Signed with the corp ticket: 42012 (ticket of the wrong kind); Windows words it the legacy way.
    const crossed = await agentConfig({
      signature: sha1(`jsapi_ticket=${corp}&noncestr=n0nce&timestamp=${ts}&url=${PAGE}`),
    });
    expect(crossed).toMatchObject({ ok: false, failure: 'ticket', errcode: 42012 });
    expect(crossed.reply).toEqual({ err_msg: 'agentConfig:fail_invalid jsapi_ticket' });
    // Another corp's id: 40013; iOS puts the code in a hint only.
    const foreign = await agentConfig({ corpId: 'ww0000000000000001' }, 'ios');
    expect(foreign).toMatchObject({ ok: false, failure: 'corpid', errcode: 40013 });
    expect(hint.exec(foreign.reply.hint as string)?.[1]).toBe('40013');
    expect(foreign.reply.errMsg).toBe('agentConfig:fail');
    // An untrusted page: Android sends the unprefixed form.
    const url = 'https://evil.example/sidebar';
    const domain = await agentConfig({ url }, 'android');
    expect(domain).toMatchObject({ ok: false, failure: 'domain', errcode: 80001 });
    expect(domain.reply.err_msg).toMatch(/^not match any reliable domain, .*e=80001$/);
    // A bad signature: Mac's wx.config form.
    const bad = await agentConfig({ signature: '0'.repeat(40) }, 'mac');
    expect(bad.reply.errMsg).toBe(
      'wx.config:invalid signature more info at https://open.work.weixin.qq.com/devtool/query?e=40093',
    );
  });

  it('a format chosen per failure wins over the flavour; the switch forces any failure', async () => {
    await control('client', { formats: { signature: 'hint', domain: 'legacy' } });
    const bad = await agentConfig({ signature: '0'.repeat(40) }, 'mac');
    expect(bad.reply).toMatchObject({ err_Info: 'fail', errMsg: 'agentConfig:fail' });
    for (const failure of [
      'signature',
      'ticket',
      'corpid',
      'domain',
      'client-error',
    ] as AgentConfigFailure[]) {
      await control('switches', { agentConfigFailure: failure });
      const forced = await agentConfig();
      expect(forced).toMatchObject({ ok: false, failure });
    }
    await control('switches', { agentConfigFailure: 'client-error' });
    const observed = await agentConfig();
    expect(observed.reply.hint).toMatch(/:-30001'\. More info at .*e=-30001$/);
    await control('switches', { agentConfigFailure: null });
    expect((await agentConfig()).ok).toBe(true);
  });

  it('rejects unknown flavours, failures and formats with a 400', async () => {
    expect(await status('client', { flavour: 'linux' })).toBe(400);
    expect(await status('client', { formats: { signature: 'shouting' } })).toBe(400);
    expect(await status('client', { formats: { nonsense: 'legacy' } })).toBe(400);
    expect(await status('switches', { agentConfigFailure: 'bogus' })).toBe(400);
    expect(await status('apps', { agentId: '9999999', externalContact: false })).toBe(400);
    expect(await status('employees', { userId: 'nobody', externalContact: false })).toBe(400);
  });
});

describe('permission where WeCom checks it (app, member, visible range)', () => {
  it('answers the context when everything is granted', async () => {
    expect((await call('getContext')).reply).toEqual({
      err_msg: 'getContext:ok',
      entry: 'single_chat_tools',
    });
    expect((await call('getCurExternalContact')).reply).toEqual({
      err_msg: 'getCurExternalContact:ok',
      userId: WELL_KNOWN.linXiaomei,
    });
  });

  it('the app outside 客户联系 → 可调用应用 is refused; getContext still answers', async () => {
    await control('apps', { agentId: '1000002', externalContact: false });
    const r = await call('getCurExternalContact');
    expect(r).toMatchObject({ refusal: 'app-not-in-contact' });
    expect(r.reply).toEqual({ err_msg: 'getCurExternalContact:fail no permission' });
    expect((await call('getContext')).reply.err_msg).toBe('getContext:ok');
    await control('client', { entry: 'group_chat_tools', chatId: WELL_KNOWN.vipChat });
    expect((await call('getCurExternalChat', {}, 'ios')).reply).toEqual({
      err_code: 2,
      err_msg: 'getCurExternalChat:fail_no permission to execute',
    });
    expect((await call('sendChatMessage', { msgtype: 'text', text: { content: 'x' } }, 'mac')).reply).toEqual(
      {
        err_msg: 'sendChatMessage:permission denied',
      },
    );
    expect(await control('bridge/messages', undefined, 'GET')).toEqual({ messages: [] });
  });

  it('a member without 客户联系 is refused separately from the app', async () => {
    await control('employees', { userId: 'zhangwei', externalContact: false });
    const r = await call('getCurExternalContact', {}, 'android');
    expect(r).toMatchObject({ refusal: 'member-without-contact' });
    expect(r.reply).toEqual({ err_msg: 'getCurExternalContact:fail_nopermission' });
    // Another member of the same app is not affected.
    await control('employees', { userId: 'zhangwei', externalContact: true });
    await control('client', { userId: 'lina' });
    expect((await call('getCurExternalContact')).refusal).toBeUndefined();
  });

  it('a member outside the visible range is refused everything, in each permission wording', async () => {
    await control('visible-range', { party: [3], user: ['lina'] });
    for (const [permission, reply] of [
      ['fail-space', { err_msg: 'getCurExternalContact:fail no permission' }],
      ['fail-underscore', { err_msg: 'getCurExternalContact:fail_no permission' }],
      ['nopermission', { err_msg: 'getCurExternalContact:fail_nopermission' }],
      ['unprefixed', { err_msg: 'no permission' }],
      ['denied', { err_msg: 'getCurExternalContact:permission denied' }],
      ['to-execute', { err_code: 2, err_msg: 'getCurExternalContact:fail_no permission to execute' }],
    ] as const) {
      await control('client', { formats: { permission } });
      const r = await call('getCurExternalContact');
      expect(r.refusal).toBe('visible-range');
      expect(r.reply).toEqual(reply);
      expect(permissionReply('getCurExternalContact', permission)).toEqual(reply);
    }
    expect((await call('getContext')).refusal).toBe('visible-range');
    // The misleading form: agentConfig says ok and carries the refusal in errmsg.
    await control('client', { formats: { permission: 'misleading-ok' } });
    expect((await agentConfig()).reply).toEqual({
      errmsg: 'fail_permission denied',
      errMsg: 'agentConfig:ok',
      checkResult: {},
    });
    // Members of a listed department (liuyang is in 客户服务部, id 3) and listed members are inside.
    await control('client', { userId: 'liuyang', formats: null });
    expect((await call('getContext')).refusal).toBeUndefined();
    await control('client', { userId: 'lina' });
    expect((await call('getCurExternalContact')).refusal).toBeUndefined();
    await control('visible-range', { reset: true });
    await control('client', { userId: 'zhangwei' });
    expect((await agentConfig()).reply).toEqual({ err_msg: 'agentConfig:ok', checkResult: {} });
  });
});

describe('sendChatMessage link cards', () => {
  const news = (imgUrl?: string) => ({
    msgtype: 'news',
    news: { link: `${APP}/share`, title: '报价单', desc: '', ...(imgUrl === undefined ? {} : { imgUrl }) },
  });

  it('PC clients refuse an empty or missing imgUrl; mobile clients send it', async () => {
    for (const flavour of ['windows', 'mac']) {
      expect((await call('sendChatMessage', news(''), flavour)).reply).toEqual({
        err_msg: 'sendChatMessage:fail, invalid param',
      });
      expect((await call('sendChatMessage', news(), flavour)).reply.err_msg).toBe(
        'sendChatMessage:fail, invalid param',
      );
    }
    expect((await call('sendChatMessage', news(''), 'android')).reply).toEqual({
      err_msg: 'sendChatMessage:ok',
    });
    expect((await call('sendChatMessage', news(''), 'ios')).reply).toEqual({ err_msg: 'sendChatMessage:ok' });
  });

  it('refuses a non-http imgUrl everywhere and stores an accepted card', async () => {
    for (const flavour of ['windows', 'android']) {
      expect((await call('sendChatMessage', news('/share-cover.png'), flavour)).reply).toEqual({
        err_msg: 'sendChatMessage:fail invalid imgUrl',
      });
    }
    const sent = await call('sendChatMessage', news(`${APP}/share-cover.png`));
    expect(sent.reply).toEqual({ err_msg: 'sendChatMessage:ok' });
    expect(sent.message).toMatchObject({
      target: { externalUserId: WELL_KNOWN.linXiaomei },
      msgtype: 'news',
      news: { imgUrl: `${APP}/share-cover.png`, title: '报价单' },
    });
    expect((await control('bridge/messages', undefined, 'GET')).messages).toHaveLength(1);
  });
});

describe('sendChatMessage of every msgtype', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
  const MP4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]);

  /** media/upload as the app does it: a temporary media_id valid for three days. */
  async function upload(
    type: 'image' | 'video' | 'file',
    filename: string,
    bytes: Uint8Array,
  ): Promise<string> {
    const tok = (await (
      await fetch(`${emu.url}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${DEMO_AGENT_SECRET}`)
    ).json()) as Json;
    const form = new FormData();
    form.append('media', new Blob([bytes.slice()]), filename);
    const res = (await (
      await fetch(`${emu.url}/cgi-bin/media/upload?access_token=${tok.access_token}&type=${type}`, {
        method: 'POST',
        body: form,
      })
    ).json()) as Json;
    expect(res.errcode).toBe(0);
    return res.media_id as string;
  }

  it('sends image, video and file by a live mediaid of that type, and refuses anything else', async () => {
    const image = await upload('image', '报价.png', PNG);
    const video = await upload('video', 'demo.mp4', MP4);
    const file = await upload('file', '价目表.pdf', new TextEncoder().encode('%PDF-1.4 price list'));
    for (const [msgtype, mediaid, filename] of [
      ['image', image, '报价.png'],
      ['video', video, 'demo.mp4'],
      ['file', file, '价目表.pdf'],
    ] as const) {
      const sent = await call('sendChatMessage', { msgtype, [msgtype]: { mediaid } });
      expect(sent.reply).toEqual({ err_msg: 'sendChatMessage:ok' });
      expect(sent.message).toMatchObject({ msgtype, [msgtype]: { mediaid, filename } });
    }
    const refused = { err_msg: 'sendChatMessage:fail invalid mediaid' };
    expect((await call('sendChatMessage', { msgtype: 'image', image: { mediaid: 'nope' } })).reply).toEqual(
      refused,
    );
    expect((await call('sendChatMessage', { msgtype: 'image', image: {} })).reply).toEqual(refused);
    // Another type's media_id, and the image URL instead of a media_id (the JS API takes media_ids only).
    expect((await call('sendChatMessage', { msgtype: 'file', file: { mediaid: image } })).reply).toEqual(
      refused,
    );
    expect(
      (await call('sendChatMessage', { msgtype: 'image', image: { imgUrl: `${APP}/a.png` } })).reply,
    ).toEqual(refused);
    expect((await control('bridge/messages', undefined, 'GET')).messages).toHaveLength(3);
    // The chat shows what was sent: the uploaded bytes, by media_id.
    const shown = await fetch(`${emu.url}/wecom-emulator/media/${image}`);
    expect(shown.status).toBe(200);
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(PNG);
    expect((await fetch(`${emu.url}/wecom-emulator/media/unknown`)).status).toBe(404);
  });

  it('refuses a media_id older than three days', async () => {
    const image = await upload('image', 'a.png', PNG);
    await control('clock', { advanceMs: 3 * 86400_000 + 1000 });
    expect((await call('sendChatMessage', { msgtype: 'image', image: { mediaid: image } })).reply).toEqual({
      err_msg: 'sendChatMessage:fail invalid mediaid',
    });
  });

  const miniprogram = (over: Json = {}) => ({
    msgtype: 'miniprogram',
    miniprogram: {
      appid: 'wx8bd80126147df384',
      title: '预约试驾',
      imgUrl: `${APP}/cover.png`,
      page: '/pages/index.html',
      ...over,
    },
  });

  it('sends mini-program cards, but not from Mac clients before 4.1.26', async () => {
    for (const flavour of ['windows', 'ios', 'android']) {
      expect(
        (
          await control('bridge/call', {
            name: 'sendChatMessage',
            agentId: '1000002',
            flavour,
            version: '3.1.0',
            args: miniprogram(),
          })
        ).reply,
      ).toEqual({ err_msg: 'sendChatMessage:ok' });
    }
    const mac = (version: string) =>
      control('bridge/call', {
        name: 'sendChatMessage',
        agentId: '1000002',
        flavour: 'mac',
        version,
        args: miniprogram(),
      });
    expect((await mac('4.1.25')).reply).toEqual({ err_msg: 'sendChatMessage:fail not support msgtype' });
    expect((await mac('4.1.22')).reply.err_msg).toBe('sendChatMessage:fail not support msgtype');
    const ok = await mac('4.1.26');
    expect(ok.reply).toEqual({ err_msg: 'sendChatMessage:ok' });
    expect(ok.message.miniprogram).toEqual(miniprogram().miniprogram);
    expect((await call('sendChatMessage', miniprogram({ imgUrl: '/cover.png' }))).reply).toEqual({
      err_msg: 'sendChatMessage:fail invalid imgUrl',
    });
    expect((await call('sendChatMessage', miniprogram({ appid: 'wx123' }))).reply).toEqual({
      err_msg: 'sendChatMessage:fail invalid arguments',
    });
    expect((await call('sendChatMessage', { msgtype: 'voice', voice: {} })).reply).toEqual({
      err_msg: 'sendChatMessage:fail invalid msgtype',
    });
  });

  it('sends from the attachment bar into any chat, without 客户联系, but not on Mac', async () => {
    await control('client', {
      entry: 'chat_attachment',
      chatId: null,
      externalUserId: WELL_KNOWN.linXiaomei,
    });
    const text = { msgtype: 'text', text: { content: '你好' } };
    expect((await call('getContext')).reply).toEqual({ err_msg: 'getContext:ok', entry: 'chat_attachment' });
    expect((await call('getCurExternalContact')).reply.err_msg).toBe(
      'getCurExternalContact:fail without context of external contact',
    );
    await control('employees', { userId: 'zhangwei', externalContact: false });
    const sent = await call('sendChatMessage', text);
    expect(sent.reply).toEqual({ err_msg: 'sendChatMessage:ok' });
    expect(sent.message.target).toEqual({ externalUserId: WELL_KNOWN.linXiaomei });
    expect((await call('sendChatMessage', text, 'mac')).reply).toEqual({
      err_msg: 'sendChatMessage:fail not support',
    });
    // From the toolbar the same member needs 客户联系.
    await control('client', { entry: 'single_chat_tools' });
    expect((await call('sendChatMessage', text)).refusal).toBe('member-without-contact');
  });
});

describe('scripts of the emulated client', () => {
  it('serves the bridge with the chosen flavour and the open-data SDK at WeCom’s path', async () => {
    await control('client', { flavour: 'mac' });
    const bridge = await (await fetch(`${emu.url}/wecom-emulator/bridge.js`)).text();
    expect(bridge).toContain('var CONFIGURED_FLAVOUR = "mac";');
    await control('client', { version: '4.1.26' });
    expect(await (await fetch(`${emu.url}/wecom-emulator/bridge.js`)).text()).toContain(
      'var CONFIGURED_VERSION = "4.1.26";',
    );
    expect(
      (await fetch(`${emu.url}/wecom-emulator/client`, { method: 'POST', body: '{"version":"4.x"}' })).status,
    ).toBe(400);
    const res = await fetch(`${emu.url}/wwopen/js/jwxwork-1.0.0.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const sdk = await res.text();
    expect(sdk).toContain('win.WWOpenData = {');
    expect(sdk).toContain("attachShadow({ mode: 'closed' })");
  });
});
