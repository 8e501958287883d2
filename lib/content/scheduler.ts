import 'server-only';
import type { Db } from '../db';
import type { ScheduledMessagesTable } from '../db/tables/content';
import type { HttpError } from '../http';
import { isWecomError, userMessageFor } from '../wecom/errors';
import { readJson } from '../json';
import type { Store } from '../store/types';
import type { WecomClient } from '../wecom/client';
import { partsOf, ReplyBodySchema, type ReplyBody } from './body';
import { wecomMediaId } from './media';
import { fillVariables, hasScheduleVariables, variableContext } from './schedule-variables';

/**
 * The scheduler: every instance polls for due messages and claims each with one conditional UPDATE
 * (`state = 'scheduled'` → `submitting`), so exactly one instance submits it, on SQLite and PostgreSQL alike. The
 * job's state is the schedule row itself, so a claim, a cancel and an edit can never disagree. A claim carries a
 * lease: if its instance dies before recording the outcome, another instance takes over once the lease ends and
 * first looks in WeCom's mass-message records for a task it may already have created, so nothing is sent twice.
 */

export interface SchedulerDeps {
  db: Db;
  store: Store;
  /** The WeCom client of a corp. */
  clientFor(corpId: string): Promise<Pick<WecomClient, 'call' | 'corpId'>>;
  now?: () => number;
  /** A message found more than this late (every instance was down) is marked missed instead (default 1 h). */
  missedAfterMs?: number;
  /** How long a claim holds before another instance may take over (default 2 min). */
  leaseMs?: number;
  dataDir?: string;
  log?: (line: string) => void;
  /** Told each time a message reaches a state (metrics). */
  count?: (state: 'claimed' | 'submitted' | 'sent' | 'failed' | 'missed') => void;
}

export interface TickResult {
  /** Due rows seen; a full batch means more may be waiting. */
  due: number;
  submitted: number;
  missed: number;
  failed: number;
  checked: number;
}

const DEFAULT_MISSED_AFTER_MS = 3600_000;
/** Rows one pass claims at most; a full batch starts the next pass at once. */
const BATCH = 50;
const RESULT_CHECK_EVERY_MS = 60_000;
/** Submitted messages are watched for a week; after that the result is what it is. */
const RESULT_WATCH_MS = 7 * 86400_000;

/** The add_msg_template body for a schedule (media uploaded to WeCom first, once per corp and file). */
async function templateBody(
  row: ScheduledMessagesTable,
  content: ReplyBody,
  deps: SchedulerDeps,
  client: Pick<WecomClient, 'call' | 'corpId'>,
  stale: Set<string>,
): Promise<Record<string, unknown>> {
  const mediaDeps = { db: deps.db, store: deps.store, client, now: deps.now, dataDir: deps.dataDir };
  const media = async (id: string) => {
    const current = await wecomMediaId(row.corp_id, id, mediaDeps);
    // 40007 on the first try: upload again once.
    return stale.has(id) ? wecomMediaId(row.corp_id, id, mediaDeps, current) : current;
  };
  const texts: string[] = [];
  const attachments: Record<string, unknown>[] = [];
  for (const part of partsOf(content)) {
    switch (part.kind) {
      case 'text':
        texts.push(part.text);
        break;
      case 'news':
        attachments.push({
          msgtype: 'link',
          link: {
            title: part.news.title,
            url: part.news.link,
            ...(part.news.desc ? { desc: part.news.desc } : {}),
            ...(part.news.imgUrl ? { picurl: part.news.imgUrl } : {}),
          },
        });
        break;
      case 'image':
      case 'video':
      case 'file':
        attachments.push({ msgtype: part.kind, [part.kind]: { media_id: await media(part.mediaId) } });
        break;
      case 'miniprogram':
        attachments.push({
          msgtype: 'miniprogram',
          miniprogram: {
            title: part.miniprogram.title,
            appid: part.miniprogram.appid,
            page: part.miniprogram.page,
            pic_media_id: await media(part.miniprogram.coverMediaId),
          },
        });
        break;
    }
  }
  const body: Record<string, unknown> = { sender: row.sender, attachments };
  if (texts.length > 0) body.text = { content: texts.join('\n\n') };
  if (row.target_kind === 'customer') {
    body.chat_type = 'single';
    body.external_userid = [row.external_user_id];
  } else if (row.target_kind === 'group') {
    body.chat_type = 'group';
    body.chat_id_list = [row.chat_id];
  } else {
    const audience = readJson<{ tagIds: string[] }>(row.audience);
    body.chat_type = 'single';
    body.tag_filter = { group_list: [{ tag_list: audience?.tagIds ?? [] }] };
  }
  return body;
}

function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const text = (x: Record<string, unknown>) => (x.text as { content?: string } | undefined)?.content ?? '';
  const kinds = (x: Record<string, unknown>) =>
    ((x.attachments as { msgtype: string }[] | undefined) ?? []).map((a) => a.msgtype).join(',');
  return text(a) === text(b) && kinds(a) === kinds(b);
}

/**
 * A claim whose lease ran out: its instance may have created the task before dying. WeCom's records of the
 * minutes around the claim tell; a task with the same content and target adopts its msgid.
 */
async function findEarlierSubmission(
  row: ScheduledMessagesTable,
  body: Record<string, unknown>,
  client: Pick<WecomClient, 'call'>,
  now: number,
): Promise<string | null> {
  const since = Math.floor((row.updated_at - 60_000) / 1000);
  const res = await client.call<{ group_msg_list?: Record<string, unknown>[] }>(
    'externalcontact/get_groupmsg_list_v2',
    {
      method: 'POST',
      body: {
        chat_type: body.chat_type,
        start_time: since,
        end_time: Math.floor(now / 1000),
        filter_type: 0,
        limit: 100,
      },
      idempotent: true,
    },
  );
  for (const m of res.group_msg_list ?? []) {
    if (!sameContent(m, body) || typeof m.msgid !== 'string') continue;
    const targets = await client.call<{ send_list?: { external_userid?: string; chat_id?: string }[] }>(
      'externalcontact/get_groupmsg_send_result',
      { method: 'POST', body: { msgid: m.msgid, userid: row.sender, limit: 1000 }, idempotent: true },
    );
    const list = targets.send_list ?? [];
    const match =
      row.target_kind === 'audience' ||
      list.some((t) => t.external_userid === row.external_user_id || t.chat_id === row.chat_id);
    if (match || (row.target_kind === 'group' && list.length === 0)) return m.msgid;
  }
  return null;
}

function failure(err: unknown): string {
  if (isWecomError(err)) {
    const msg = userMessageFor(err.errcode, err.errmsg);
    return JSON.stringify({ zh: msg.zh, en: msg.en, errcode: err.errcode });
  }
  // Our own refusals (no longer the customer's follower, a variable without a value) say why.
  const own = (err as Partial<HttpError> | null)?.userMessage;
  if (own && typeof own.zh === 'string' && typeof own.en === 'string')
    return JSON.stringify({ zh: own.zh, en: own.en });
  return JSON.stringify({ zh: '提交失败', en: 'Submission failed' });
}

async function submitOne(
  row: ScheduledMessagesTable,
  deps: SchedulerDeps,
  now: number,
): Promise<'submitted' | 'failed'> {
  let content = readJson(row.content, ReplyBodySchema);
  const db = deps.db;
  const finish = (set: Partial<ScheduledMessagesTable>) =>
    db
      .updateTable('scheduled_messages')
      .set({ ...set, claimed_until: null, updated_at: (deps.now ?? Date.now)() })
      .where('corp_id', '=', row.corp_id)
      .where('id', '=', row.id)
      .where('state', '=', 'submitting')
      .execute();
  if (!content) {
    await finish({
      state: 'failed',
      error: JSON.stringify({ zh: '内容无法读取', en: 'Unreadable content' }),
    });
    return 'failed';
  }
  try {
    const client = await deps.clientFor(row.corp_id);
    // Variables take the values of the moment it goes out.
    if (hasScheduleVariables(content)) {
      const ctx = await variableContext(client, {
        kind: row.target_kind,
        sender: row.sender,
        externalUserId: row.external_user_id,
      });
      content = fillVariables(content, ctx);
    }
    const stale = new Set<string>();
    let body = await templateBody(row, content, deps, client, stale);
    if (row.attempts > 1) {
      const earlier = await findEarlierSubmission(row, body, client, now);
      if (earlier) {
        await finish({ state: 'submitted', msgid: earlier, submitted_at: now });
        return 'submitted';
      }
    }
    let res: { msgid?: string; fail_list?: string[] };
    try {
      res = await client.call('externalcontact/add_msg_template', { method: 'POST', body });
    } catch (err) {
      if (!isWecomError(err, 40007)) throw err;
      // An expired media_id: upload the files again, once.
      for (const id of partsOf(content).flatMap((p) =>
        'mediaId' in p ? [p.mediaId] : p.kind === 'miniprogram' ? [p.miniprogram.coverMediaId] : [],
      ))
        stale.add(id);
      body = await templateBody(row, content, deps, client, stale);
      res = await client.call('externalcontact/add_msg_template', { method: 'POST', body });
    }
    const failedAll =
      row.target_kind === 'customer' && (res.fail_list ?? []).includes(row.external_user_id ?? '');
    await finish({
      state: failedAll ? 'failed' : 'submitted',
      msgid: res.msgid ?? null,
      submitted_at: now,
      error: failedAll
        ? JSON.stringify({
            zh: '客户已不是该成员的好友，无法群发',
            en: 'The customer is no longer the member’s contact',
          })
        : null,
    });
    return failedAll ? 'failed' : 'submitted';
  } catch (err) {
    deps.log?.(`[scheduler] ${row.id}: ${err instanceof Error ? err.message : String(err)}`);
    await finish({ state: 'failed', error: failure(err) });
    return 'failed';
  }
}

/** Claims one due row for this instance; false when another instance got it first. */
async function claim(row: ScheduledMessagesTable, deps: SchedulerDeps, now: number): Promise<boolean> {
  const lease = deps.leaseMs ?? 120_000;
  const res = await deps.db
    .updateTable('scheduled_messages')
    .set({ state: 'submitting', claimed_until: now + lease, attempts: row.attempts + 1, updated_at: now })
    .where('corp_id', '=', row.corp_id)
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** WeCom's result of submitted messages: sent once the member confirmed and it reached someone. */
async function checkResults(deps: SchedulerDeps, now: number): Promise<number> {
  const rows = await deps.db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where('state', '=', 'submitted')
    .where('msgid', 'is not', null)
    .where('submitted_at', '>', now - RESULT_WATCH_MS)
    // WeCom is still dispatching a task for a few seconds after it was created (41063).
    .where('submitted_at', '<', now - 5000)
    .where((eb) => eb.or([eb('checked_at', 'is', null), eb('checked_at', '<', now - RESULT_CHECK_EVERY_MS)]))
    .orderBy('submitted_at')
    .limit(20)
    .execute();
  let checked = 0;
  for (const row of rows) {
    // One instance checks a row per period.
    const took = await deps.db
      .updateTable('scheduled_messages')
      .set({ checked_at: now })
      .where('corp_id', '=', row.corp_id)
      .where('id', '=', row.id)
      .where('state', '=', 'submitted')
      .where((eb) =>
        row.checked_at === null ? eb('checked_at', 'is', null) : eb('checked_at', '=', row.checked_at),
      )
      .executeTakeFirst();
    if (Number(took.numUpdatedRows) !== 1) continue;
    checked++;
    try {
      const client = await deps.clientFor(row.corp_id);
      const res = await client.call<{ send_list?: { status: number }[] }>(
        'externalcontact/get_groupmsg_send_result',
        {
          method: 'POST',
          body: { msgid: row.msgid, userid: row.sender, limit: 1000 },
          idempotent: true,
        },
      );
      const list = res.send_list ?? [];
      const sent = list.filter((t) => t.status === 1).length;
      const failed = list.filter((t) => t.status === 2 || t.status === 3).length;
      const pending = list.filter((t) => t.status === 0).length;
      const state = sent > 0 ? 'sent' : failed > 0 && pending === 0 ? 'failed' : 'submitted';
      await deps.db
        .updateTable('scheduled_messages')
        .set({
          state,
          result: JSON.stringify({ sent, failed, pending }),
          ...(state === 'failed'
            ? {
                error: JSON.stringify({
                  zh: '客户已不是好友或本月已收满群发',
                  en: 'Not delivered: no longer a contact, or this month’s mass-message limit was reached',
                }),
              }
            : {}),
          updated_at: now,
        })
        .where('corp_id', '=', row.corp_id)
        .where('id', '=', row.id)
        .where('state', '=', 'submitted')
        .execute();
      if (state !== 'submitted') deps.count?.(state);
    } catch (err) {
      // 41063 (still being dispatched) and outages: the next period tries again.
      deps.log?.(`[scheduler] result of ${row.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return checked;
}

/** One pass: claim and submit what is due, mark what is too late as missed, check results. */
export async function schedulerTick(deps: SchedulerDeps): Promise<TickResult> {
  const now = (deps.now ?? Date.now)();
  const missedAfter = deps.missedAfterMs ?? DEFAULT_MISSED_AFTER_MS;
  const due = await deps.db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'scheduled'), eb('due_at', '<=', now)]),
        eb.and([eb('state', '=', 'submitting'), eb('claimed_until', '<', now)]),
      ]),
    )
    .orderBy('due_at')
    .limit(BATCH)
    .execute();
  const result: TickResult = { due: due.length, submitted: 0, missed: 0, failed: 0, checked: 0 };
  await Promise.all(
    due.map(async (row) => {
      if (row.state === 'scheduled' && now - row.due_at > missedAfter) {
        const res = await deps.db
          .updateTable('scheduled_messages')
          .set({
            state: 'missed',
            error: JSON.stringify({
              zh: '服务停机期间错过了发送时间，未发送',
              en: 'Not sent: the send time passed while the service was down',
            }),
            updated_at: now,
          })
          .where('corp_id', '=', row.corp_id)
          .where('id', '=', row.id)
          .where('state', '=', 'scheduled')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) {
          result.missed++;
          deps.count?.('missed');
        }
        return;
      }
      if (!(await claim(row, deps, now))) return;
      deps.count?.('claimed');
      const outcome = await submitOne({ ...row, attempts: row.attempts + 1 }, deps, now);
      deps.count?.(outcome);
      result[outcome === 'submitted' ? 'submitted' : 'failed']++;
    }),
  );
  result.checked = await checkResults(deps, now);
  return result;
}

export interface RunningScheduler {
  /** Stops claiming; resolves when the pass in progress has finished. */
  stop(): Promise<void>;
}

/** Runs passes every `intervalMs` (default 2 s, so a message goes out within a few seconds of its time). */
export function startScheduler(deps: SchedulerDeps, intervalMs = 2000): RunningScheduler {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    current = schedulerTick(deps)
      .then((r) => r.due >= BATCH)
      .catch((err: unknown) => {
        deps.log?.(`[scheduler] ${err instanceof Error ? err.message : String(err)}`);
        return false;
      })
      .then((more) => {
        if (stopped) return;
        timer = setTimeout(loop, more ? 0 : intervalMs);
        timer.unref?.();
      });
  };
  timer = setTimeout(loop, Math.random() * intervalMs);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
