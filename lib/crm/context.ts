import 'server-only';
import type { Db } from '../db';
import { forbidden, HttpError } from '../http';
import type { Store } from '../store/types';
import type { WecomClient } from '../wecom/client';
import { wecomErrcodeOf } from '../wecom/errors';
import type { Bilingual, FieldProblem } from './limits';
import type { NameSource } from './types';

/**
 * What every CRM function works with: one corp's WeCom client, the KV store (caches), the database, and the
 * member acting. The corp is always explicit, so one corp's data never reaches another's.
 */
export interface CrmDeps {
  corpId: string;
  wecom: Pick<WecomClient, 'call'>;
  store: Store;
  db: Db;
  /** Where employee names come from: the API (self-built) or ww-open-data in the page (third-party). */
  employeeNames: NameSource;
  now?: () => number;
}

export interface Viewer {
  userId: string;
  /** The member's name from the session, if known (third-party mode has none). */
  name?: string;
  isAdmin: boolean;
}

export const nowOf = (deps: CrmDeps) => (deps.now ?? Date.now)();

export function errcodeOf(err: unknown): number | undefined {
  return wecomErrcodeOf(err);
}

/** A 400 naming the field and its limit, raised before any WeCom call. */
export function invalidField(problem: FieldProblem): HttpError {
  return new HttpError(
    400,
    problem.code === 'too_long' ? 'field_too_long' : 'invalid_field',
    problem.message,
  );
}

export const conflict = (code: string, message: Bilingual) => new HttpError(409, code, message);

export const notFollower = () =>
  forbidden({
    zh: '你没有添加或跟进该客户，不能查看或修改其资料',
    en: 'You have not added or followed this customer, so you may not see or change their details',
  });

/** 84061 from WeCom: the customer deleted the member (or was deleted) meanwhile. */
export const noLongerYourCustomer = () =>
  new HttpError(409, 'not_your_customer', {
    zh: '该客户已不是你的客户（对方已删除你或已被删除），请刷新',
    en: 'This customer is no longer yours (they deleted you or were deleted); refresh the page',
  });

export const tagGone = (ids: string[]) =>
  conflict('tag_deleted', {
    zh: `标签已被删除或不存在（${ids.join(', ')}），标签库已刷新，请重新选择`,
    en: `The tag was deleted or does not exist (${ids.join(', ')}); the tag library was reloaded, pick again`,
  });
