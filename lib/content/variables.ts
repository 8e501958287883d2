/**
 * Variables in reply texts and link-card titles, resolved for one chat just before sending:
 *
 * - `{客户称呼}`: how the member addresses the customer — their remark for the customer, else the customer's name;
 * - `{客户名}`: the customer's own name;
 * - `{我的名字}`: the sending member's name;
 * - `{公司}`: the customer's company — the company the member recorded for them, else the company of a 企业微信
 *   customer.
 *
 * A group chat has no single customer: the customer variables stay as written and are flagged, never guessed.
 * An unknown name such as `{生日}` also stays visible and is flagged, as is a known variable with no value for this
 * customer (a WeChat customer has no company). Plain function, no I/O: the sidebar previews with it, and a scheduler
 * can resolve a message at fire time with the same rules.
 */

export const VARIABLES = ['客户称呼', '客户名', '我的名字', '公司'] as const;
export type VariableName = (typeof VARIABLES)[number];

const CUSTOMER_VARIABLES: ReadonlySet<string> = new Set(['客户称呼', '客户名', '公司']);

export interface VariableContext {
  /**
   * The chat the message goes to: a group chat has no single customer; from the attachment bar the page does not
   * know who the chat is with.
   */
  chat: 'single' | 'group' | 'unknown';
  customer?: {
    name?: string | null;
    /** The member's remark for the customer. */
    remark?: string | null;
    /** The company the member recorded for the customer. */
    remarkCorpName?: string | null;
    /** The company of a 企业微信 customer. */
    corpName?: string | null;
  } | null;
  member?: { name?: string | null } | null;
}

/** Why a variable was left as written. */
export type VariableProblem =
  /** Not one of VARIABLES. */
  | 'unknown'
  /** A customer variable in a group chat (no single customer). */
  | 'group'
  /** A customer variable where the page does not know the customer (opened from the attachment bar). */
  | 'no-customer'
  /** Known, but this chat has no value for it. */
  | 'missing';

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string; raw: string; value: string }
  | { kind: 'flagged'; name: string; raw: string; problem: VariableProblem };

export interface Resolved {
  /** The text to send: resolved variables replaced, flagged ones kept as written. */
  text: string;
  segments: Segment[];
  /** Whether the template had any variable (resolved or not). */
  hasVariables: boolean;
  /** The flagged variables, in order of first appearance, once each. */
  flagged: { name: string; problem: VariableProblem }[];
}

/** `{name}` with ASCII or full-width braces; names are 1–20 characters without braces or line breaks. */
const VARIABLE_RE = /[{｛]([^{}｛｝\r\n]{1,20})[}｝]/g;

const clean = (v: string | null | undefined): string => (typeof v === 'string' ? v.trim() : '');

function valueOf(name: string, ctx: VariableContext): string | VariableProblem {
  if (!(VARIABLES as readonly string[]).includes(name)) return 'unknown';
  if (CUSTOMER_VARIABLES.has(name) && ctx.chat === 'group') return 'group';
  if (CUSTOMER_VARIABLES.has(name) && ctx.chat === 'unknown') return 'no-customer';
  const c = ctx.customer ?? {};
  let value = '';
  switch (name as VariableName) {
    case '客户称呼':
      value = clean(c.remark) || clean(c.name);
      break;
    case '客户名':
      value = clean(c.name);
      break;
    case '我的名字':
      value = clean(ctx.member?.name);
      break;
    case '公司':
      value = clean(c.remarkCorpName) || clean(c.corpName);
      break;
  }
  return value || 'missing';
}

const PROBLEMS: ReadonlySet<string> = new Set(['unknown', 'group', 'no-customer', 'missing']);

export function resolveVariables(template: string, ctx: VariableContext): Resolved {
  const segments: Segment[] = [];
  const flagged: Resolved['flagged'] = [];
  let text = '';
  let at = 0;
  let hasVariables = false;
  for (const m of template.matchAll(VARIABLE_RE)) {
    const raw = m[0];
    const name = m[1]!.trim();
    if (!name) continue;
    const start = m.index ?? 0;
    if (start > at) segments.push({ kind: 'text', text: template.slice(at, start) });
    text += template.slice(at, start);
    at = start + raw.length;
    hasVariables = true;
    const value = valueOf(name, ctx);
    if (PROBLEMS.has(value)) {
      const problem = value as VariableProblem;
      segments.push({ kind: 'flagged', name, raw, problem });
      if (!flagged.some((f) => f.name === name)) flagged.push({ name, problem });
      text += raw;
    } else {
      segments.push({ kind: 'variable', name, raw, value });
      text += value;
    }
  }
  if (at < template.length) segments.push({ kind: 'text', text: template.slice(at) });
  text += template.slice(at);
  return { text, segments, hasVariables, flagged };
}

/** Whether a template mentions any variable (known or not): such replies are previewed before sending. */
export function hasVariables(template: string): boolean {
  return resolveVariables(template, { chat: 'group' }).hasVariables;
}
