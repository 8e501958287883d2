import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { avatarName, avatarSvg } from './avatars';
import { avatarUrl, OPAQUE_ID_RE, type Ctx } from './context';
import { crmControl } from './crm-control';
import { bridgeCall, bridgeVerify } from './bridge';
import {
  AGENT_CONFIG_FAILURES,
  CONFIG_FORMATS,
  FLAVOURS,
  PERMISSION_FORMATS,
  type AgentConfigFailure,
  type ClientFlavour,
  type ReplyFormats,
} from './bridge-replies';
import { json, notFound } from './http';
import { confirmMassMessage, liveMedia, pendingFor } from './massmsg';
import { DOMAIN_VERIFY_CODE } from './seed';
import {
  visibleMembers,
  WHOLE_CORP,
  type ChatMessage,
  type ClientContext,
  type ClientEntry,
  type EmulatorState,
  type Fault,
} from './state';

const ENTRIES: ClientEntry[] = [
  'single_chat_tools',
  'group_chat_tools',
  'contact_profile',
  'chat_attachment',
  'normal',
];

function bad(message: string): Response {
  return json({ error: message }, 400);
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

export function publicState(ctx: Ctx) {
  const { counters, faults, switches, client } = ctx.state;
  return { counters, faults, switches, client, visibleRange: visibleRangeJson(ctx), now: ctx.now };
}

/** The visible range with the members it resolves to (`members`), and whether the client's user is inside. */
function visibleRangeJson(ctx: Ctx) {
  const members = visibleMembers(ctx.state);
  return { ...ctx.state.visibleRange, members, clientInRange: members.includes(ctx.state.client.userId) };
}

async function setVisibleRange(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const next = { ...ctx.state.visibleRange };
  if (b.reset === true) Object.assign(next, structuredClone(WHOLE_CORP));
  const ints = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isInteger(x));
  if (b.party !== undefined) {
    if (!ints(b.party)) return bad('party must be an array of department ids');
    next.party = b.party as number[];
  }
  if (b.tag !== undefined) {
    if (!ints(b.tag)) return bad('tag must be an array of tag ids');
    next.tag = b.tag as number[];
  }
  if (b.user !== undefined) {
    if (!Array.isArray(b.user) || !b.user.every((u) => typeof u === 'string')) {
      return bad('user must be an array of userids');
    }
    next.user = b.user as string[];
  }
  if (b.customerErrcode !== undefined) {
    if (b.customerErrcode !== 40096 && b.customerErrcode !== 60011)
      return bad('customerErrcode: 40096 or 60011');
    next.customerErrcode = b.customerErrcode;
  }
  if (b.memberErrcode !== undefined) {
    if (b.memberErrcode !== 60011 && b.memberErrcode !== 60111) return bad('memberErrcode: 60011 or 60111');
    next.memberErrcode = b.memberErrcode;
  }
  ctx.state.visibleRange = next;
  return json(visibleRangeJson(ctx));
}

/** The next in-client OAuth sign-in is by someone outside the corp (auth/getuserinfo answers openid). */
async function setOauthVisitor(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  if (b.visitor === null || b.visitor === false) {
    ctx.state.oauthVisitor = null;
    return json({ visitor: null });
  }
  const ext = b.externalUserId;
  if (ext !== undefined && ext !== null && (typeof ext !== 'string' || !OPAQUE_ID_RE.test(ext))) {
    return bad('externalUserId must be an external_userid or null');
  }
  ctx.state.oauthVisitor = { externalUserId: typeof ext === 'string' ? ext : null };
  return json({ visitor: ctx.state.oauthVisitor });
}

function employeeJson(ctx: Ctx, userid: string) {
  const e = ctx.state.employees.find((x) => x.userid === userid);
  if (!e) return null;
  return {
    userid: e.userid,
    name: e.name,
    position: e.position,
    role: e.role,
    department: e.department,
    avatar: avatarUrl(ctx, e.userid),
    externalContact: e.externalContact,
  };
}

function conversations(ctx: Ctx): Response {
  const userId = ctx.url.searchParams.get('userId') ?? ctx.state.client.userId;
  const employee = employeeJson(ctx, userId);
  if (!employee) return json({ error: `unknown userId ${userId}` }, 404);
  const singles = ctx.state.customers
    .filter((c) => c.follow.some((f) => f.userid === userId))
    .map((c) => {
      const f = c.follow.find((x) => x.userid === userId)!;
      return { c, f };
    })
    .sort((a, b) => a.f.daysAgo - b.f.daysAgo)
    .map(({ c, f }) => ({
      kind: 'single' as const,
      externalUserId: c.external_userid,
      name: c.name,
      remark: f.remark,
      avatar: avatarUrl(ctx, c.external_userid),
      type: c.type,
      corpName: c.corp_name ?? null,
    }));
  const groups = ctx.state.groupChats
    .filter((g) => g.members.some((m) => m.type === 1 && m.userid === userId))
    .map((g) => ({
      kind: 'group' as const,
      chatId: g.chat_id,
      name: g.name,
      memberCount: g.members.length,
      owner: g.owner,
      avatar: avatarUrl(ctx, g.chat_id),
    }));
  return json({ employee, conversations: [...groups, ...singles] });
}

async function setFault(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b || typeof b.api !== 'string' || !b.api) return bad('api (counter key or "*") is required');
  const fault: Fault = { api: b.api };
  for (const k of ['errcode', 'httpStatus', 'latencyMs', 'times'] as const) {
    const v = b[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) return bad(`${k} must be an integer`);
    fault[k] = v;
  }
  if (fault.httpStatus !== undefined && (fault.httpStatus < 200 || fault.httpStatus > 599)) {
    return bad('httpStatus must be 200-599');
  }
  if (fault.times !== undefined && fault.times < 1) return bad('times must be >= 1');
  if (b.drop !== undefined) fault.drop = b.drop === true;
  ctx.state.faults.push(fault);
  return json({ ok: true, faults: ctx.state.faults });
}

async function setSwitches(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const keys = ['externalContactForbidden', 'ipBlocked', 'invalidSecret'] as const;
  if (b.agentConfigFailure !== undefined) {
    const f = b.agentConfigFailure;
    if (f !== null && !AGENT_CONFIG_FAILURES.includes(f as AgentConfigFailure)) {
      return bad(`agentConfigFailure must be null or one of ${AGENT_CONFIG_FAILURES.join(', ')}`);
    }
    ctx.state.switches.agentConfigFailure = f as AgentConfigFailure | null;
  }
  for (const k of keys) {
    if (b[k] === undefined) continue;
    if (typeof b[k] !== 'boolean') return bad(`${k} must be a boolean`);
    ctx.state.switches[k] = b[k] as boolean;
  }
  return json({ ok: true, switches: ctx.state.switches });
}

const CLIENT_VERSION_RE = /^\d{1,2}\.\d{1,2}\.\d{1,3}$/;

async function setClient(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const next: ClientContext = { ...ctx.state.client };
  if (b.userId !== undefined) {
    if (typeof b.userId !== 'string' || !ctx.state.employees.some((e) => e.userid === b.userId)) {
      return bad('userId must be an employee userid');
    }
    next.userId = b.userId;
  }
  if (b.entry !== undefined) {
    if (!ENTRIES.includes(b.entry as ClientEntry)) return bad(`entry must be one of ${ENTRIES.join(', ')}`);
    next.entry = b.entry as ClientEntry;
  }
  if (b.externalUserId !== undefined) {
    if (
      b.externalUserId !== null &&
      (typeof b.externalUserId !== 'string' || !OPAQUE_ID_RE.test(b.externalUserId))
    ) {
      return bad('externalUserId must be an external_userid ([A-Za-z0-9_-]{1,128}) or null');
    }
    next.externalUserId = b.externalUserId as string | null;
  }
  if (b.chatId !== undefined) {
    if (b.chatId !== null && (typeof b.chatId !== 'string' || !OPAQUE_ID_RE.test(b.chatId))) {
      return bad('chatId must be a chat_id ([A-Za-z0-9_-]{1,128}) or null');
    }
    next.chatId = b.chatId as string | null;
  }
  if (b.flavour !== undefined) {
    if (b.flavour !== null && !FLAVOURS.includes(b.flavour as ClientFlavour)) {
      return bad(`flavour must be null or one of ${FLAVOURS.join(', ')}`);
    }
    next.flavour = b.flavour as ClientFlavour | null;
  }
  if (b.version !== undefined) {
    if (b.version !== null && (typeof b.version !== 'string' || !CLIENT_VERSION_RE.test(b.version))) {
      return bad('version must be null or a client version such as 4.1.26');
    }
    next.version = b.version as string | null;
  }
  if (b.formats !== undefined) {
    const formats = parseFormats(b.formats);
    if (typeof formats === 'string') return bad(formats);
    next.formats = formats;
  }
  ctx.state.client = next;
  return json(next);
}

/** `{signature?: 'hint', …, permission?: 'to-execute'}`; null or {} clears every override. */
function parseFormats(v: unknown): ReplyFormats | string {
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return 'formats must be an object';
  const out: ReplyFormats = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    if (key === 'permission') {
      if (!PERMISSION_FORMATS.includes(value as never)) {
        return `formats.permission must be one of ${PERMISSION_FORMATS.join(', ')}`;
      }
      out.permission = value as ReplyFormats['permission'];
    } else if (AGENT_CONFIG_FAILURES.includes(key as AgentConfigFailure)) {
      if (!CONFIG_FORMATS.includes(value as never)) {
        return `formats.${key} must be one of ${CONFIG_FORMATS.join(', ')}`;
      }
      out[key as AgentConfigFailure] = value as ReplyFormats['signature'];
    } else {
      return `unknown failure ${key}: one of ${[...AGENT_CONFIG_FAILURES, 'permission'].join(', ')}`;
    }
  }
  return out;
}

function appJson(app: EmulatorState['apps'][number]) {
  return {
    agentId: app.agentId,
    name: app.name,
    externalContact: app.externalContact,
  };
}

/** `POST apps {agentId, externalContact}`: whether the app is in 客户联系 → 可调用应用 (else 48002, and the client refuses). */
async function setApp(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const app = ctx.state.apps.find((a) => a.agentId === String(b.agentId ?? ''));
  if (!app) return bad("agentId must be one of the corp's apps");
  if (b.externalContact !== undefined) {
    if (typeof b.externalContact !== 'boolean') return bad('externalContact must be a boolean');
    app.externalContact = b.externalContact;
  }
  return json(appJson(app));
}

/** `POST employees {userId, externalContact}`: whether the member has the 客户联系 feature. */
async function setEmployee(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const e = ctx.state.employees.find((x) => x.userid === b.userId);
  if (!e) return bad('userId must be an employee userid');
  if (b.externalContact !== undefined) {
    if (typeof b.externalContact !== 'boolean') return bad('externalContact must be a boolean');
    e.externalContact = b.externalContact;
  }
  return json(employeeJson(ctx, e.userid));
}

async function postMessage(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b) return bad('JSON body expected');
  const target = (b.target ?? {}) as Record<string, unknown>;
  const externalUserId = typeof target.externalUserId === 'string' ? target.externalUserId : undefined;
  const chatId = typeof target.chatId === 'string' ? target.chatId : undefined;
  if (!externalUserId && !chatId) return bad('target.externalUserId or target.chatId is required');
  if (typeof b.fromUserId !== 'string' || !b.fromUserId) return bad('fromUserId is required');
  if (typeof b.msgtype !== 'string' || !b.msgtype) return bad('msgtype is required');
  const msg: ChatMessage = {
    id: randomUUID(),
    target: externalUserId ? { externalUserId } : { chatId },
    fromUserId: b.fromUserId,
    msgtype: b.msgtype,
    createdAt: ctx.now,
  };
  if (b.text && typeof b.text === 'object') msg.text = b.text as ChatMessage['text'];
  if (b.news && typeof b.news === 'object') msg.news = b.news as ChatMessage['news'];
  if (b.msgtype === 'image' || b.msgtype === 'video' || b.msgtype === 'file') {
    // The client sends temporary media by media_id (素材管理); unknown or expired ids are refused.
    const payload = b[b.msgtype] as { mediaid?: unknown } | undefined;
    const media = liveMedia(ctx, payload?.mediaid);
    if (!media) return json({ ok: false, errMsg: 'sendChatMessage:fail invalid mediaid' }, 400);
    msg[b.msgtype] = { mediaid: media.mediaId, filename: media.filename, type: media.type };
  }
  if (b.msgtype === 'miniprogram' && b.miniprogram && typeof b.miniprogram === 'object') {
    msg.miniprogram = b.miniprogram;
  }
  ctx.state.messages.push(msg);
  if (ctx.state.messages.length > 500) ctx.state.messages.shift();
  return json({ ok: true, message: msg });
}

/** The member confirms a mass message in the simulated 群发助手; what was sent appears in each chat. */
async function confirmMass(ctx: Ctx): Promise<Response> {
  const b = await body(ctx.req);
  if (!b || typeof b.msgid !== 'string') return bad('msgid is required');
  const userid = typeof b.userid === 'string' ? b.userid : ctx.state.client.userId;
  const result = confirmMassMessage(ctx, b.msgid, userid);
  if (!result.ok) return bad(result.error);
  const msg = ctx.state.mass.massMessages.find((m) => m.msgid === b.msgid)!;
  for (const t of result.sent) {
    const target = t.externalUserId ? { externalUserId: t.externalUserId } : { chatId: t.chatId };
    const parts: Record<string, unknown>[] = [];
    if (msg.text) parts.push({ msgtype: 'text', text: msg.text });
    for (const a of msg.attachments)
      parts.push(
        a.msgtype === 'link'
          ? {
              msgtype: 'news',
              news: { link: a.link.url, title: a.link.title, desc: a.link.desc, imgUrl: a.link.picurl },
            }
          : { ...a },
      );
    for (const p of parts) {
      ctx.state.messages.push({
        id: randomUUID(),
        target,
        fromUserId: userid,
        createdAt: ctx.now,
        ...p,
      } as ChatMessage);
    }
  }
  if (ctx.state.messages.length > 500) ctx.state.messages.splice(0, ctx.state.messages.length - 500);
  return json({ ok: true, sent: result.sent.length });
}

function listMessages(ctx: Ctx): Response {
  const ext = ctx.url.searchParams.get('externalUserId');
  const chat = ctx.url.searchParams.get('chatId');
  const messages = ctx.state.messages.filter(
    (m) => (!ext || m.target.externalUserId === ext) && (!chat || m.target.chatId === chat),
  );
  return json({ messages });
}

const scriptCache = new Map<string, string>();

/** A script of the emulated client (emulator/bridge/<file>); read at request time so edits show without a rebuild. */
export async function clientScript(file: 'client.js' | 'open-data.js'): Promise<string> {
  const cached = scriptCache.get(file);
  if (cached !== undefined && process.env.NODE_ENV === 'production') return cached;
  // Not traced into bundles: read from the checkout (or next to this module when run from source).
  const candidates = [path.join(/* turbopackIgnore: true */ process.cwd(), 'emulator', 'bridge', file)];
  try {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), 'bridge', file));
  } catch {
    // bundled: import.meta.url may not be a file URL
  }
  for (const candidate of candidates) {
    try {
      const text = await readFile(candidate, 'utf8');
      scriptCache.set(file, text);
      return text;
    } catch {
      // try the next location
    }
  }
  return `/* WeCom client emulator: ${file} not available in this build. */\n`;
}

export async function scriptResponse(file: 'client.js' | 'open-data.js', transform = (s: string) => s) {
  return new Response(transform(await clientScript(file)), {
    headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** `/wecom-emulator/<sub>` control API. Counters/faults for bridge/verify are applied by the router. */
export async function control(ctx: Ctx, sub: string, reset: () => void): Promise<Response> {
  const { state, req } = ctx;
  const m = req.method;
  const route = `${m === 'HEAD' ? 'GET' : m} ${sub}`;
  switch (route) {
    case 'GET health':
      return json({ ok: true });
    case 'GET state':
      return json(publicState(ctx));
    case 'POST reset':
      reset();
      return json({ ok: true });
    case 'POST counters/reset':
      state.counters = {};
      return json({ ok: true });
    case 'GET faults':
      return json({ faults: state.faults });
    case 'POST faults':
      return setFault(ctx);
    case 'DELETE faults':
      state.faults = [];
      return json({ ok: true });
    case 'GET switches':
      return json(state.switches);
    case 'POST switches':
      return setSwitches(ctx);
    case 'POST tokens/revoke':
      for (const record of state.tokens.values()) record.revoked = true;
      state.currentToken.clear();
      return json({ ok: true });
    case 'POST tickets/rotate':
      state.corpTicket = null;
      state.agentTickets.clear();
      return json({ ok: true });
    case 'GET clock':
      return json({ now: ctx.now });
    case 'POST clock': {
      const b = await body(req);
      const advance = b?.advanceMs;
      if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
        return bad('advanceMs must be a non-negative number');
      }
      state.clockOffsetMs += advance;
      return json({ ok: true, now: ctx.now + advance });
    }
    case 'GET visible-range':
      return json(visibleRangeJson(ctx));
    case 'POST visible-range':
      return setVisibleRange(ctx);
    case 'POST oauth/visitor':
      return setOauthVisitor(ctx);
    case 'GET client':
      return json(state.client);
    case 'POST client':
      return setClient(ctx);
    case 'GET conversations':
      return conversations(ctx);
    case 'GET employees':
      return json({
        employees: state.employees.map((e) => employeeJson(ctx, e.userid)),
        current: state.client.userId,
      });
    case 'GET bridge.js':
      // The client's flavour decides its user agent, which the SDK reads once when it loads.
      return scriptResponse('client.js', (s) =>
        s
          .replace(/\/\*FLAVOUR\*\/\s*null/, JSON.stringify(state.client.flavour))
          .replace(/\/\*VERSION\*\/\s*null/, JSON.stringify(state.client.version)),
      );
    case 'POST bridge/verify':
      return bridgeVerify(ctx);
    case 'POST bridge/call':
      return bridgeCall(ctx);
    case 'GET apps':
      return json({ apps: state.apps.map(appJson) });
    case 'POST apps':
      return setApp(ctx);
    case 'POST employees':
      return setEmployee(ctx);
    case 'GET bridge/messages':
      return listMessages(ctx);
    case 'POST bridge/messages':
      return postMessage(ctx);
    case 'DELETE bridge/messages':
      state.messages = [];
      return json({ ok: true });
    case 'GET mass-messages': {
      const userid = ctx.url.searchParams.get('userid') ?? state.client.userId;
      return json({ pending: pendingFor(ctx, userid) });
    }
    case 'POST mass-messages/confirm':
      return confirmMass(ctx);
    case 'POST trusted-domains': {
      // 应用管理 → 网页授权及JS-SDK → 可信域名: the admin adds a host (with port) the app's pages may be served from.
      const b = await body(req);
      const host = b?.host;
      if (
        typeof host !== 'string' ||
        !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(host)
      ) {
        return bad('host must be a host name with an optional port, e.g. 127.0.0.1:3000');
      }
      if (!ctx.trustedDomains.includes(host)) ctx.trustedDomains.push(host);
      return json({ ok: true, trustedDomains: ctx.trustedDomains });
    }
    case 'GET domain-verification':
      return json({ fileName: `WW_verify_${DOMAIN_VERIFY_CODE}.txt`, content: DOMAIN_VERIFY_CODE });
  }
  const crm = await crmControl(ctx, sub);
  if (crm) return crm;
  const avatar = /^avatars\/([^/]+)\.svg$/.exec(sub);
  if (avatar && m === 'GET') {
    const key = decodeURIComponent(avatar[1]!);
    const name = avatarName(state, key);
    if (!name) return notFound();
    return new Response(avatarSvg(key, name), {
      headers: { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' },
    });
  }
  // What a chat member sees of a sent image, video or file: the uploaded bytes (the simulator's chat pane).
  const sentMedia = /^media\/([A-Za-z0-9_-]{1,128})$/.exec(sub);
  if (sentMedia && m === 'GET') {
    const media = state.mass.media.get(sentMedia[1]!);
    if (!media) return notFound();
    return new Response(media.bytes.slice(), {
      headers: {
        'content-type': media.contentType || 'application/octet-stream',
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
    });
  }
  return notFound();
}
