import 'server-only';
import { z } from 'zod';
import { isAdmin } from '../auth';
import { getDb } from '../db';
import type { SessionUser } from '../session';
import { getStore } from '../store';
import { xmlText, type XmlObject } from '../wecom/callback-crypto';
import { corpFor, isServedCorp, type Corp } from '../wecom/tenant';
import type { CrmDeps, Viewer } from './context';
import { handleCrmEvent, type EventFields } from './events';

/** The CRM's dependencies for a signed-in member's corp (routes and server components). */
export async function crmDeps(corp: Corp): Promise<CrmDeps> {
  return {
    corpId: corp.id,
    wecom: corp.wecom,
    store: getStore(),
    db: await getDb(),
    employeeNames: corp.employeeNames,
  };
}

export function viewerOf(user: SessionUser): Viewer {
  return { userId: user.userId, name: user.name, isAdmin: isAdmin(user) };
}

/** Strings are bounded here only against abuse; the real limits (and their messages) are lib/crm/limits.ts. */
export const Text = z.string().max(10_000);
export const TagIds = z.array(z.string().min(1).max(128)).max(1000);
export const NoteId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 个字母、数字、- 或 _ / 8-64 letters, digits, - or _');
export const FollowUpAt = z.iso.datetime({ offset: true }).nullable().optional();

/**
 * A WeCom change event of `corpId` for the CRM (self-built callback URL, or the suite's instruction URL with the
 * corp in AuthCorpId): customer, group and tag changes of a corp this app serves. Anything else is ignored.
 */
export async function crmCallbackEvent(corpId: string, message: XmlObject): Promise<void> {
  const event = xmlText(message, 'Event') || xmlText(message, 'InfoType');
  if (!event.startsWith('change_external_')) return;
  if (!corpId || !(await isServedCorp(corpId))) return;
  await handleCrmEvent(await crmDeps(await corpFor(corpId)), message as EventFields);
}
