import 'server-only';
import { HttpError } from '../http';
import type { WecomClient } from '../wecom/client';
import { getCustomerForUser } from '../wecom/contacts';
import { partsOf, type ReplyBody, type SinglePart } from './body';
import { resolveVariables, VARIABLES, type VariableContext } from './variables';

/**
 * Variables in scheduled messages. Nobody previews a scheduled message when it goes out, so the rules are checked
 * when it is scheduled and the values filled in when it is due (the customer's remark or company may change in
 * between):
 * - to one customer: every variable, resolved at fire time for that customer and the sending member;
 * - to a group chat or an audience: WeCom's mass message (add_msg_template) sends one text to everybody, so the
 *   customer variables ({客户称呼} {客户名} {公司}) are refused with a 400; {我的名字} (the sender) is resolved;
 * - an unknown variable such as {生日} is refused with a 400 (it would reach the customer as written);
 * - a variable with no value at fire time (a WeChat customer has no company) fails the message rather than send
 *   the braces to the customer.
 */

const CUSTOMER_VARIABLES = new Set<string>(['客户称呼', '客户名', '公司']);

export type TargetKind = 'customer' | 'group' | 'audience';

/** The texts of a body that may carry variables: text parts and link-card titles. */
function templatesOf(part: SinglePart): string[] {
  return part.kind === 'text' ? [part.text] : part.kind === 'news' ? [part.news.title] : [];
}

function variableNames(body: ReplyBody): string[] {
  const names = new Set<string>();
  for (const part of partsOf(body))
    for (const t of templatesOf(part))
      for (const s of resolveVariables(t, { chat: 'single' }).segments)
        if (s.kind !== 'text') names.add(s.name);
  return [...names];
}

/** Throws 400 for variables a schedule to this kind of target cannot fill in. */
export function checkScheduleVariables(kind: TargetKind, body: ReplyBody): void {
  const names = variableNames(body);
  const unknown = names.filter((n) => !(VARIABLES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new HttpError(400, 'schedule_variable_unknown', {
      zh: `未知变量：${unknown.map((n) => `{${n}}`).join('')}。可用变量：${VARIABLES.map((v) => `{${v}}`).join('')}`,
      en: `Unknown variable: ${unknown.map((n) => `{${n}}`).join('')}. Available: ${VARIABLES.map((v) => `{${v}}`).join('')}`,
    });
  const perCustomer = names.filter((n) => CUSTOMER_VARIABLES.has(n));
  if (kind !== 'customer' && perCustomer.length > 0)
    throw new HttpError(400, 'schedule_variable_per_customer', {
      zh: `群发给客户群或多位客户时，所有人收到同一条消息，不能使用客户变量 ${perCustomer.map((n) => `{${n}}`).join('')}；可以使用 {我的名字}`,
      en: `A message to a group chat or to many customers is one text for everyone, so customer variables (${perCustomer.map((n) => `{${n}}`).join('')}) cannot be used; {我的名字} can`,
    });
}

export function hasScheduleVariables(body: ReplyBody): boolean {
  return variableNames(body).length > 0;
}

/** Who the message is for, read from WeCom when it is due. */
export async function variableContext(
  client: Pick<WecomClient, 'call'>,
  target: { kind: TargetKind; sender: string; externalUserId: string | null },
): Promise<VariableContext> {
  const member = await client
    .call<{ name?: string }>('user/get', { method: 'GET', query: { userid: target.sender } })
    .then((r) => ({ name: r.name ?? null }))
    // A member outside the range, or a third-party app (no names from the API): {我的名字} has no value.
    .catch(() => ({ name: null }));
  if (target.kind !== 'customer' || !target.externalUserId) return { chat: 'group', member };
  // 403 when the member no longer follows the customer: the message fails with that reason.
  const profile = await getCustomerForUser(target.sender, target.externalUserId, { client });
  return {
    chat: 'single',
    member,
    customer: {
      name: profile.name,
      remark: profile.follow.remark,
      remarkCorpName: profile.follow.remarkCorpName,
      corpName: profile.corpName,
    },
  };
}

/** The body with its variables filled in; throws 400 (the message fails) when one has no value. */
export function fillVariables(body: ReplyBody, ctx: VariableContext): ReplyBody {
  const missing = new Set<string>();
  const fill = (t: string) => {
    const r = resolveVariables(t, ctx);
    for (const f of r.flagged) missing.add(f.name);
    return r.text;
  };
  const part = (p: SinglePart): SinglePart =>
    p.kind === 'text'
      ? { ...p, text: fill(p.text) }
      : p.kind === 'news'
        ? { ...p, news: { ...p.news, title: fill(p.news.title) } }
        : p;
  const filled: ReplyBody = body.kind === 'sequence' ? { ...body, parts: body.parts.map(part) } : part(body);
  if (missing.size > 0) {
    const list = [...missing].map((n) => `{${n}}`).join('');
    throw new HttpError(400, 'schedule_variable_missing', {
      zh: `变量没有值，未发送：${list}（例如微信客户没有公司，或无法读取成员姓名）`,
      en: `Not sent: no value for ${list} (e.g. a WeChat customer has no company, or the member's name is unavailable)`,
    });
  }
  return filled;
}
