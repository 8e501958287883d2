/**
 * Temporary media (素材) and customer mass messages (企业群发), as documented:
 * media/upload + media/get (3-day media_id, per-type size caps, `errmsg:""` and a string `created_at`),
 * add_msg_template (a task per sender that the member must confirm in the client), get_groupmsg_list_v2,
 * get_groupmsg_task, get_groupmsg_send_result, remind_groupmsg_send, cancel_groupmsg_send.
 * Sources: wecom-crm.md §3.1–3.2, §3.6, §4.1–4.7.
 */
import type { Ctx } from './context';
import { json, ok, randomString, wecomError } from './http';
import type { SeedCustomer } from './seed';

export const MEDIA_TTL_MS = 3 * 86400_000;
/** After creation a mass message is being dispatched for a moment: its records answer 41063. */
export const DISPATCH_MS = 1000;

export interface MediaRecord {
  mediaId: string;
  type: 'image' | 'voice' | 'video' | 'file';
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  createdAt: number;
}

export type MassAttachment =
  | { msgtype: 'image'; image: { media_id?: string; pic_url?: string } }
  | { msgtype: 'link'; link: { title: string; picurl?: string; desc?: string; url: string } }
  | {
      msgtype: 'miniprogram';
      miniprogram: { title: string; pic_media_id: string; appid: string; page: string };
    }
  | { msgtype: 'video'; video: { media_id: string } }
  | { msgtype: 'file'; file: { media_id: string } };

export interface MassTarget {
  userid: string;
  externalUserId?: string;
  chatId?: string;
  /** 0 未发送, 1 已发送, 2 非好友, 3 已收到其他群发. */
  status: 0 | 1 | 2 | 3;
  sendTime?: number;
}

export interface MassMessage {
  msgid: string;
  chatType: 'single' | 'group';
  createdAt: number;
  sender?: string;
  text?: { content: string };
  attachments: MassAttachment[];
  /** userid → 0 未发送 / 2 已发送, with the send time once confirmed. */
  tasks: { userid: string; status: 0 | 2; sendTime?: number }[];
  targets: MassTarget[];
  cancelled: boolean;
  reminders: number[];
}

export interface MassState {
  media: Map<string, MediaRecord>;
  massMessages: MassMessage[];
}

export function createMassState(): MassState {
  return { media: new Map(), massMessages: [] };
}

const err = (ctx: Ctx, code: number, text?: string) => wecomError(code, ctx.ip, ctx.now, text);

// ---------------------------------------------------------------------------------------------------------
// Media

const MB = 1024 * 1024;
const MEDIA_RULES: Record<
  MediaRecord['type'],
  { max: number; tooBig: number; ext: RegExp; badType: number }
> = {
  image: { max: 10 * MB, tooBig: 40009, ext: /\.(jpe?g|png)$/i, badType: 40004 },
  voice: { max: 2 * MB, tooBig: 45001, ext: /\.amr$/i, badType: 40004 },
  video: { max: 10 * MB, tooBig: 40011, ext: /\.mp4$/i, badType: 40004 },
  file: { max: 20 * MB, tooBig: 45001, ext: /./, badType: 40004 },
};

/** A media_id that can be sent: known, and younger than three days. */
export function liveMedia(ctx: Ctx, mediaId: unknown): MediaRecord | null {
  if (typeof mediaId !== 'string') return null;
  const m = ctx.state.mass.media.get(mediaId);
  return m && ctx.now - m.createdAt < MEDIA_TTL_MS ? m : null;
}

/**
 * The `media` part of a multipart body. Parsed by hand because WeCom accepts the docs' own example
 * (`name="media";filename="wework.txt"; filelength=6`, no space after the first `;`), which strict parsers refuse.
 */
async function mediaPart(
  req: Request,
): Promise<{ filename: string; contentType: string; bytes: Uint8Array } | null> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers.get('content-type') ?? '');
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return null;
  const body = Buffer.from(await req.arrayBuffer());
  const delimiter = Buffer.from(`--${b}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      if (/name="media"/i.test(headers)) {
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
        return {
          filename: /filename="([^"]*)"/i.exec(headers)?.[1] ?? '',
          contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? '',
          bytes: new Uint8Array(content),
        };
      }
    }
    at = next;
  }
  return null;
}

export async function mediaUpload(ctx: Ctx): Promise<Response> {
  const type = ctx.url.searchParams.get('type');
  if (type !== 'image' && type !== 'voice' && type !== 'video' && type !== 'file') return err(ctx, 40005);
  const part = await mediaPart(ctx.req);
  if (!part) return err(ctx, 44001, 'empty media data');
  const { bytes } = part;
  if (bytes.length === 0) return err(ctx, 44001, 'empty media data');
  const rule = MEDIA_RULES[type];
  if (bytes.length <= 5) return err(ctx, 40006, 'invalid file size');
  if (bytes.length > rule.max) return err(ctx, rule.tooBig, 'media file size out of limit');
  const filename = part.filename || 'file';
  if (!rule.ext.test(filename)) return err(ctx, rule.badType, 'invalid media type');
  const mediaId = `3${randomString(43)}`;
  const record: MediaRecord = {
    mediaId,
    type,
    filename,
    contentType: part.contentType || 'application/octet-stream',
    bytes,
    createdAt: ctx.now,
  };
  ctx.state.mass.media.set(mediaId, record);
  return json(
    { errcode: 0, errmsg: '', type, media_id: mediaId, created_at: String(Math.floor(ctx.now / 1000)) },
    200,
    { 'error-code': '0' },
  );
}

export function mediaGet(ctx: Ctx): Response {
  const m = liveMedia(ctx, ctx.url.searchParams.get('media_id'));
  if (!m) return json({ errcode: 40007, errmsg: 'invalid media_id' }, 200, { 'error-code': '40007' });
  const ext = m.filename.match(/\.[A-Za-z0-9]+$/)?.[0] ?? '';
  return new Response(m.bytes.slice(), {
    headers: {
      'content-type': m.contentType,
      'content-disposition': `attachment; filename="${m.mediaId}${ext}"`,
      'content-length': String(m.bytes.length),
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Mass messages

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const isStr = (v: unknown): v is string => typeof v === 'string';

async function readBody(ctx: Ctx): Promise<Record<string, unknown> | Response> {
  try {
    const v: unknown = await ctx.req.json();
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  return err(ctx, 40058, "invalid param 'body'");
}

function parseAttachments(ctx: Ctx, raw: unknown): MassAttachment[] | Response {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return err(ctx, 40058, "invalid param 'attachments'");
  if (raw.length > 9) return err(ctx, 41064, 'attachments count out of limit');
  const out: MassAttachment[] = [];
  for (const a of raw as Record<string, unknown>[]) {
    const type = a?.msgtype;
    const payload = (type && typeof type === 'string' ? a[type] : undefined) as
      Record<string, unknown> | undefined;
    if (!payload || typeof payload !== 'object') return err(ctx, 41065, 'invalid attachment type');
    const media = (key: string) => {
      const id = payload[key];
      return liveMedia(ctx, id) ? (id as string) : null;
    };
    switch (type) {
      case 'image': {
        const id = payload.media_id;
        const pic = payload.pic_url;
        if (id !== undefined && id !== '') {
          if (!media('media_id')) return err(ctx, 40007, 'invalid media_id');
          out.push({ msgtype: 'image', image: { media_id: id as string } });
        } else if (isStr(pic) && /^https?:\/\//.test(pic)) {
          out.push({ msgtype: 'image', image: { pic_url: pic } });
        } else return err(ctx, 40058, "invalid param 'image'");
        break;
      }
      case 'link': {
        const { title, url, desc, picurl } = payload;
        if (!isStr(title) || !title || byteLength(title) > 128)
          return err(ctx, 40058, "invalid param 'title'");
        if (!isStr(url) || !url || byteLength(url) > 2048) return err(ctx, 40058, "invalid param 'url'");
        if (desc !== undefined && (!isStr(desc) || byteLength(desc) > 512))
          return err(ctx, 40058, "invalid param 'desc'");
        if (picurl !== undefined && (!isStr(picurl) || byteLength(picurl) > 2048))
          return err(ctx, 40058, "invalid param 'picurl'");
        out.push({ msgtype: 'link', link: { title, url, desc: desc as string, picurl: picurl as string } });
        break;
      }
      case 'miniprogram': {
        const { title, appid, page } = payload;
        if (!isStr(title) || !title || byteLength(title) > 64)
          return err(ctx, 40058, "invalid param 'title'");
        if (!isStr(appid) || !/^wx[0-9a-zA-Z]{16}$/.test(appid)) return err(ctx, 90207, 'invalid appid');
        if (!isStr(page) || !page) return err(ctx, 40058, "invalid param 'page'");
        if (!media('pic_media_id')) return err(ctx, 40007, 'invalid media_id');
        out.push({
          msgtype: 'miniprogram',
          miniprogram: { title, appid, page, pic_media_id: payload.pic_media_id as string },
        });
        break;
      }
      case 'video':
      case 'file': {
        if (!media('media_id')) return err(ctx, 40007, 'invalid media_id');
        const m = { media_id: payload.media_id as string };
        out.push(type === 'video' ? { msgtype: 'video', video: m } : { msgtype: 'file', file: m });
        break;
      }
      default:
        return err(ctx, 41065, 'invalid attachment type');
    }
  }
  return out;
}

/** The follower a single-chat target is routed to: the sender if given, else the one who added it last. */
function routeCustomer(c: SeedCustomer, sender: string | undefined): string | null {
  if (sender) return c.follow.some((f) => f.userid === sender) ? sender : null;
  const sorted = [...c.follow].sort((a, b) => a.daysAgo - b.daysAgo);
  return sorted[0]?.userid ?? null;
}

function customerTags(c: SeedCustomer, userid: string): string[] {
  return c.follow.find((f) => f.userid === userid)?.tagIds ?? [];
}

export async function addMsgTemplate(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  const chatType = body.chat_type ?? 'single';
  if (chatType !== 'single' && chatType !== 'group') return err(ctx, 40058, "invalid param 'chat_type'");
  const sender = body.sender;
  if (sender !== undefined && (!isStr(sender) || !ctx.state.employees.some((e) => e.userid === sender)))
    return err(ctx, 60111, 'userid not found');
  const text = body.text as { content?: unknown } | undefined;
  if (text !== undefined && (!text || !isStr(text.content) || byteLength(text.content) > 4000))
    return err(ctx, 40058, "invalid param 'text'");
  const attachments = parseAttachments(ctx, body.attachments);
  if (attachments instanceof Response) return attachments;
  if (!text?.content && attachments.length === 0) return err(ctx, 44004, 'empty content');

  const msg: MassMessage = {
    msgid: `msg${randomString(26)}`,
    chatType,
    createdAt: ctx.now,
    sender: sender as string | undefined,
    text: text?.content ? { content: text.content as string } : undefined,
    attachments,
    tasks: [],
    targets: [],
    cancelled: false,
    reminders: [],
  };
  const failList: string[] = [];
  if (chatType === 'group') {
    if (!isStr(sender)) return err(ctx, 40058, "invalid param 'sender'");
    const wanted = Array.isArray(body.chat_id_list) ? (body.chat_id_list as unknown[]).filter(isStr) : null;
    const groups = ctx.state.groupChats.filter(
      (g) => g.owner === sender && (!wanted || wanted.includes(g.chat_id)),
    );
    for (const g of groups) msg.targets.push({ userid: sender, chatId: g.chat_id, status: 0 });
    msg.tasks.push({ userid: sender, status: 0 });
  } else {
    const ids = Array.isArray(body.external_userid)
      ? (body.external_userid as unknown[]).filter(isStr)
      : null;
    if (ids && ids.length > 10000) return err(ctx, 40058, "invalid param 'external_userid'");
    const filter = (body.tag_filter as { group_list?: { tag_list?: string[] }[] } | undefined)?.group_list;
    if (!ids && !filter && !isStr(sender)) return err(ctx, 40058, "invalid param 'sender'");
    const candidates: SeedCustomer[] = ids
      ? ids.flatMap((id) => {
          const c = ctx.state.customers.find((x) => x.external_userid === id);
          if (!c) failList.push(id);
          return c ? [c] : [];
        })
      : ctx.state.customers;
    for (const c of candidates) {
      const userid = routeCustomer(c, sender as string | undefined);
      if (!userid) {
        if (ids) failList.push(c.external_userid);
        continue;
      }
      // 同组标签之间按或关系, 不同组标签按且关系; ignored when external_userid is given.
      if (!ids && filter) {
        const tags = customerTags(c, userid);
        const match = filter.every((g) => (g.tag_list ?? []).some((t) => tags.includes(t)));
        if (!match) continue;
      }
      msg.targets.push({ userid, externalUserId: c.external_userid, status: 0 });
      if (!msg.tasks.some((t) => t.userid === userid)) msg.tasks.push({ userid, status: 0 });
    }
    if (msg.targets.length === 0) return err(ctx, 41048, 'no valid customers');
  }
  ctx.state.mass.massMessages.push(msg);
  return ok({ fail_list: failList, msgid: msg.msgid });
}

function findMsg(ctx: Ctx, msgid: unknown): MassMessage | Response {
  if (!isStr(msgid) || !msgid) return err(ctx, 41046, 'missing msgid');
  const msg = ctx.state.mass.massMessages.find((m) => m.msgid === msgid);
  if (!msg) return err(ctx, 41047, 'invalid msgid');
  if (ctx.now - msg.createdAt < DISPATCH_MS) return err(ctx, 41063, 'msg is dispatching, try later');
  return msg;
}

function page<T>(items: T[], body: Record<string, unknown>, max: number, dflt: number) {
  const limit = typeof body.limit === 'number' && body.limit > 0 && body.limit <= max ? body.limit : dflt;
  const start = isStr(body.cursor) && /^\d+$/.test(body.cursor) ? Number(body.cursor) : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : '';
  return { slice, next };
}

function attachmentsOut(msg: MassMessage) {
  return msg.attachments.map((a) => structuredClone(a));
}

export async function getGroupmsgListV2(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  if (body.chat_type !== 'single' && body.chat_type !== 'group')
    return err(ctx, 40058, "invalid param 'chat_type'");
  const start = Number(body.start_time);
  const end = Number(body.end_time);
  if (!Number.isInteger(start) || !Number.isInteger(end) || end < start || end - start > 31 * 86400)
    return err(ctx, 40058, "invalid param 'end_time'");
  const all = ctx.state.mass.massMessages.filter((m) => {
    const t = Math.floor(m.createdAt / 1000);
    return m.chatType === body.chat_type && t >= start && t <= end;
  });
  if (all.some((m) => ctx.now - m.createdAt < DISPATCH_MS))
    return err(ctx, 41063, 'msg is dispatching, try later');
  const { slice, next } = page(all, body, 100, 50);
  return ok({
    next_cursor: next,
    group_msg_list: slice.map((m) => ({
      msgid: m.msgid,
      create_time: Math.floor(m.createdAt / 1000),
      create_type: 0,
      ...(m.text ? { text: m.text } : {}),
      attachments: attachmentsOut(m),
    })),
  });
}

export async function getGroupmsgTask(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  const msg = findMsg(ctx, body.msgid);
  if (msg instanceof Response) return msg;
  const { slice, next } = page(msg.tasks, body, 1000, 500);
  return ok({
    next_cursor: next,
    task_list: slice.map((t) => ({
      userid: t.userid,
      status: t.status,
      ...(t.sendTime ? { send_time: Math.floor(t.sendTime / 1000) } : {}),
    })),
  });
}

export async function getGroupmsgSendResult(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  const msg = findMsg(ctx, body.msgid);
  if (msg instanceof Response) return msg;
  if (!isStr(body.userid) || !body.userid) return err(ctx, 40058, "invalid param 'userid'");
  // Group sends list only what was sent: the owner had not picked the groups before.
  const rows = msg.targets.filter(
    (t) => t.userid === body.userid && (msg.chatType === 'single' || t.status !== 0),
  );
  const { slice, next } = page(rows, body, 1000, 500);
  return ok({
    next_cursor: next,
    send_list: slice.map((t) => ({
      ...(t.externalUserId ? { external_userid: t.externalUserId } : {}),
      ...(t.chatId ? { chat_id: t.chatId } : {}),
      userid: t.userid,
      status: t.status,
      ...(t.sendTime ? { send_time: Math.floor(t.sendTime / 1000) } : {}),
    })),
  });
}

export async function remindGroupmsgSend(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  const msg = findMsg(ctx, body.msgid);
  if (msg instanceof Response) return msg;
  if (msg.cancelled) return err(ctx, 41093, 'msg has been cancelled');
  msg.reminders = msg.reminders.filter((t) => ctx.now - t < 86400_000);
  if (msg.reminders.length >= 3) return err(ctx, 41094, 'remind freq out of limit');
  msg.reminders.push(ctx.now);
  return ok();
}

export async function cancelGroupmsgSend(ctx: Ctx): Promise<Response> {
  const body = await readBody(ctx);
  if (body instanceof Response) return body;
  const msg = findMsg(ctx, body.msgid);
  if (msg instanceof Response) return msg;
  msg.cancelled = true;
  return ok();
}

/** Months in which a customer/group already received a mass message count against "当月天数" per month. */
function receivedThisMonth(ctx: Ctx, target: MassTarget): number {
  const d = new Date(ctx.now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return ctx.state.mass.massMessages
    .flatMap((m) => m.targets)
    .filter(
      (t) =>
        t.status === 1 &&
        (t.sendTime ?? 0) >= monthStart &&
        ((target.externalUserId && t.externalUserId === target.externalUserId) ||
          (target.chatId && t.chatId === target.chatId)),
    ).length;
}

/**
 * The member taps 发送 in 群发助手: their task is sent; each target either receives it (and the message appears in
 * that chat), or fails because it is no longer a friend (2) or reached this month's cap (3).
 */
export function confirmMassMessage(
  ctx: Ctx,
  msgid: string,
  userid: string,
): { ok: true; sent: MassTarget[] } | { ok: false; error: string } {
  const msg = ctx.state.mass.massMessages.find((m) => m.msgid === msgid);
  if (!msg) return { ok: false, error: 'unknown msgid' };
  if (msg.cancelled) return { ok: false, error: 'cancelled' };
  const task = msg.tasks.find((t) => t.userid === userid);
  if (!task) return { ok: false, error: 'no task for this member' };
  if (task.status === 2) return { ok: false, error: 'already sent' };
  const d = new Date(ctx.now);
  const cap = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const sent: MassTarget[] = [];
  for (const t of msg.targets.filter((x) => x.userid === userid)) {
    if (t.externalUserId) {
      const c = ctx.state.customers.find((x) => x.external_userid === t.externalUserId);
      if (!c?.follow.some((f) => f.userid === userid)) {
        t.status = 2;
        continue;
      }
    }
    if (receivedThisMonth(ctx, t) >= cap) {
      t.status = 3;
      continue;
    }
    t.status = 1;
    t.sendTime = ctx.now;
    sent.push(t);
  }
  task.status = 2;
  task.sendTime = ctx.now;
  return { ok: true, sent };
}

/** Pending tasks of a member, for the simulated 群发助手. */
export function pendingFor(ctx: Ctx, userid: string) {
  return ctx.state.mass.massMessages
    .filter((m) => !m.cancelled && m.tasks.some((t) => t.userid === userid && t.status === 0))
    .map((m) => ({
      msgid: m.msgid,
      chatType: m.chatType,
      createdAt: m.createdAt,
      text: m.text ?? null,
      attachments: attachmentsOut(m),
      targets: m.targets.filter((t) => t.userid === userid).map((t) => t.externalUserId ?? t.chatId ?? ''),
    }));
}
