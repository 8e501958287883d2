/**
 * The server side of the emulated client bridge (emulator/bridge/client.js): the checks a real WeCom client makes
 * before it answers the page — signatures and trusted domains for config/agentConfig, then the app's and the
 * member's permissions and the app's visible range for each API — and the raw reply it gives (bridge-replies.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  configFailureReply,
  configFormatFor,
  configOkReply,
  failureCode,
  FLAVOURS,
  isDesktop,
  permissionFormatFor,
  permissionReply,
  type AgentConfigFailure,
  type ClientFlavour,
  type RawReply,
} from './bridge-replies';
import type { Ctx } from './context';
import { json } from './http';
import { liveMedia } from './massmsg';
import { inVisibleRange, type ChatMessage, type EmulatorState } from './state';

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function sha1(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

async function body(req: Request): Promise<Record<string, unknown> | null> {
  try {
    const text = await req.text();
    if (!text.trim()) return {};
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function bad(message: string): Response {
  return json({ error: message }, 400);
}

function flavourOf(v: unknown): ClientFlavour {
  return FLAVOURS.includes(v as ClientFlavour) ? (v as ClientFlavour) : 'windows';
}

/**
 * Why the client refuses the member's APIs that need 客户联系 (getCurExternalContact, getCurExternalChat,
 * sendChatMessage): outside the app's visible range, the app not in 客户联系 → 可调用应用, or the member without
 * the 客户联系 feature (wecom-crm.md §6.2 permission table, §7 JS-SDK row).
 */
export type Refusal = 'visible-range' | 'app-not-in-contact' | 'member-without-contact';

export function refusalFor(state: EmulatorState, agentId: string, userId: string): Refusal | null {
  const app = state.apps.find((a) => a.agentId === agentId);
  if (!app || !inVisibleRange(state, userId, agentId)) return 'visible-range';
  if (!app.externalContact) return 'app-not-in-contact';
  const member = state.employees.find((e) => e.userid === userId);
  if (!member?.externalContact) return 'member-without-contact';
  return null;
}

/** Checks a config / agentConfig signature as the WeCom client does before answering the page. */
export async function bridgeVerify(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const kind = b.kind === 'agentConfig' ? 'agentConfig' : b.kind === 'config' ? 'config' : null;
  if (!kind) return bad("kind must be 'config' or 'agentConfig'");
  const { state } = ctx;
  const flavour = flavourOf(b.flavour);
  const fail = (failure: AgentConfigFailure) => {
    const reply = configFailureReply(
      kind,
      failure,
      configFormatFor(failure, flavour, state.client.formats),
      ctx.now,
    );
    return json({
      ok: false,
      failure,
      errcode: failureCode(failure),
      errMsg: `${kind}:fail ${failure}`,
      reply,
    });
  };
  if (state.switches.agentConfigFailure) return fail(state.switches.agentConfigFailure);
  const pageUrl = str(b.url).split('#')[0]!;
  if (str(b.corpId) !== state.corp.corpId) return fail('corpid');
  let host = '';
  try {
    host = new URL(pageUrl).host;
  } catch {
    return fail('domain');
  }
  if (!ctx.trustedDomains.includes(host)) return fail('domain');
  const agentId = str(b.agentId);
  if (kind === 'agentConfig' && !state.apps.some((a) => a.agentId === agentId)) return fail('agentid');
  const live = (t: { ticket: string; expiresAt: number } | null | undefined) =>
    t && t.expiresAt > ctx.now ? t.ticket : undefined;
  const corpTicket = live(state.corpTicket);
  const appTicket = live(state.agentTickets.get(agentId));
  const signed = (ticket: string | undefined) =>
    !!ticket &&
    sha1(
      `jsapi_ticket=${ticket}&noncestr=${str(b.nonceStr)}&timestamp=${str(b.timestamp)}&url=${pageUrl}`,
    ) === str(b.signature).toLowerCase();
  const [right, wrong] = kind === 'config' ? [corpTicket, appTicket] : [appTicket, corpTicket];
  if (!signed(right)) return fail(signed(wrong) ? 'ticket' : 'signature');
  // Some clients accept agentConfig for a member they will refuse, and say so only beside an `ok` errMsg.
  const format = permissionFormatFor(flavour, state.client.formats);
  const refused = kind === 'agentConfig' && refusalFor(state, agentId, state.client.userId) !== null;
  return json({
    ok: true,
    errMsg: `${kind}:ok`,
    reply: configOkReply(kind, refused ? format : undefined),
  });
}

const SINGLE = new Set(['single_chat_tools', 'contact_profile', 'single_kf_tools']);

/** The client version the emulated clients report by default (their user agents say wxwork/4.1.22). */
export const DEFAULT_CLIENT_VERSION = '4.1.22';
/** Mac clients send mini-program cards from 4.1.26 (wecom-crm.md §6.2: "mac端从4.1.26版本开始支持"). */
export const MAC_MINIPROGRAM_VERSION = '4.1.26';

export function versionBelow(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

interface Answer {
  reply: RawReply;
  message?: ChatMessage;
  refusal?: Refusal;
}

const fail = (text: string): Answer => ({ reply: { err_msg: `sendChatMessage:fail ${text}` } });

/** The chat the page was opened in: the customer or group of the toolbar, or any chat of the attachment bar. */
function chatTarget(ctx: Ctx): ChatMessage['target'] | null {
  const { client } = ctx.state;
  switch (client.entry) {
    case 'group_chat_tools':
      return client.chatId ? { chatId: client.chatId } : null;
    case 'single_chat_tools':
      return client.externalUserId ? { externalUserId: client.externalUserId } : null;
    case 'chat_attachment':
      return client.chatId
        ? { chatId: client.chatId }
        : client.externalUserId
          ? { externalUserId: client.externalUserId }
          : null;
    default:
      return null;
  }
}

const MEDIA_TYPES = new Set(['image', 'video', 'file']);
const MINIPROGRAM_APPID_RE = /^wx[0-9a-zA-Z]{16}$/;

/**
 * `sendChatMessage` as the client checks it (wecom-crm.md §6.2): the entry must carry a chat; text, image / video /
 * file by a live temporary `mediaid` of that type (素材管理, three days), news (PC clients refuse an empty cover, every
 * client a cover without http(s)), miniprogram (appid, title, an http(s) imgUrl; Mac clients only from 4.1.26).
 * The attachment bar's sending is not available on Mac clients ("mac 端暂不支持").
 */
function sendChatMessage(
  ctx: Ctx,
  args: Record<string, unknown>,
  flavour: ClientFlavour,
  version: string,
): Answer {
  const { client } = ctx.state;
  if (client.entry === 'chat_attachment' && flavour === 'mac') return fail('not support');
  const target = chatTarget(ctx);
  if (!target) return fail('without context of external contact');
  const msgtype = typeof args.msgtype === 'string' && args.msgtype ? args.msgtype : 'text';
  const message: ChatMessage = {
    id: randomUUID(),
    target,
    fromUserId: client.userId,
    msgtype,
    createdAt: ctx.now,
  };
  const payload = args[msgtype];
  const fields = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  if (msgtype === 'text') {
    if (!fields || typeof fields.content !== 'string' || !fields.content) return fail('invalid arguments');
    message.text = { content: fields.content };
  } else if (msgtype === 'news') {
    const news = fields ?? {};
    const imgUrl = typeof news.imgUrl === 'string' ? news.imgUrl : '';
    // PC clients refuse a link card without a cover; mobile clients send it (wecom-crm.md §6.2, news.imgUrl row).
    if (!imgUrl && isDesktop(flavour)) return { reply: { err_msg: 'sendChatMessage:fail, invalid param' } };
    // "必须带http或者https协议头,否则报错 $apiName$:fail invalid imgUrl" (DOC 96935).
    if (imgUrl && !/^https?:\/\//i.test(imgUrl)) return fail('invalid imgUrl');
    message.news = { link: str(news.link), title: str(news.title), desc: str(news.desc), imgUrl };
  } else if (MEDIA_TYPES.has(msgtype)) {
    // Temporary media by media_id (素材管理): unknown, expired or of another type is refused.
    const media = liveMedia(ctx, fields?.mediaid);
    if (!media || media.type !== msgtype) return fail('invalid mediaid');
    message[msgtype] = { mediaid: media.mediaId, filename: media.filename, type: media.type };
  } else if (msgtype === 'miniprogram') {
    if (flavour === 'mac' && versionBelow(version, MAC_MINIPROGRAM_VERSION))
      return fail('not support msgtype');
    const mp = fields ?? {};
    if (!MINIPROGRAM_APPID_RE.test(str(mp.appid)) || !str(mp.title) || !str(mp.page)) {
      return fail('invalid arguments');
    }
    if (!/^https?:\/\//i.test(str(mp.imgUrl))) return fail('invalid imgUrl');
    message.miniprogram = {
      appid: str(mp.appid),
      title: str(mp.title),
      imgUrl: str(mp.imgUrl),
      page: str(mp.page),
    };
  } else {
    // msgmenu and channels_shop_product belong to 微信客服 chats; anything else is no message type at all.
    return fail('invalid msgtype');
  }
  ctx.state.messages.push(message);
  if (ctx.state.messages.length > 500) ctx.state.messages.shift();
  return { reply: { err_msg: 'sendChatMessage:ok' }, message };
}

function answer(
  ctx: Ctx,
  name: string,
  agentId: string,
  args: Record<string, unknown>,
  flavour: ClientFlavour,
  version: string,
): Answer {
  const { state } = ctx;
  const { client } = state;
  const refusal = refusalFor(state, agentId, client.userId);
  const refuse = (r: Refusal): Answer => ({
    reply: permissionReply(name, permissionFormatFor(flavour, client.formats)),
    refusal: r,
  });
  if (name === 'getContext') {
    if (refusal === 'visible-range') return refuse(refusal);
    return { reply: { err_msg: 'getContext:ok', entry: client.entry } };
  }
  if (name !== 'getCurExternalContact' && name !== 'getCurExternalChat' && name !== 'sendChatMessage') {
    return { reply: { err_msg: `${name}:function not exist` } };
  }
  // Sending from the attachment bar is open to every app and member (wecom-crm.md §6.2 matrix: 所有).
  const attachment = name === 'sendChatMessage' && client.entry === 'chat_attachment';
  if (refusal && !(attachment && refusal !== 'visible-range')) return refuse(refusal);
  const noContext = { reply: { err_msg: `${name}:fail without context of external contact` } };
  if (name === 'getCurExternalContact') {
    return SINGLE.has(client.entry) && client.externalUserId
      ? { reply: { err_msg: 'getCurExternalContact:ok', userId: client.externalUserId } }
      : noContext;
  }
  if (name === 'getCurExternalChat') {
    return client.entry === 'group_chat_tools' && client.chatId
      ? { reply: { err_msg: 'getCurExternalChat:ok', chatId: client.chatId } }
      : noContext;
  }
  return sendChatMessage(ctx, args, flavour, version);
}

/**
 * `POST bridge/call {name, corpId, agentId, flavour, version, args}` — one API call of a page whose agentConfig the client
 * accepted; answers `{reply, message?, refusal?}`.
 */
export async function bridgeCall(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const name = str(b.name);
  if (!name) return bad('name is required');
  const args =
    b.args && typeof b.args === 'object' && !Array.isArray(b.args) ? (b.args as Record<string, unknown>) : {};
  const version = /^\d+(\.\d+)*$/.test(str(b.version)) ? str(b.version) : DEFAULT_CLIENT_VERSION;
  return json(answer(ctx, name, str(b.agentId), args, flavourOf(b.flavour), version));
}
