/**
 * Input rules of the CRM edits, shared by the browser (checked before sending) and the server (checked before any
 * WeCom call), so both say the same thing. Lengths are counted in characters, as WeCom counts them.
 */

import type { Bilingual } from '../bilingual';

export type { Bilingual };

export const LIMITS = {
  /** externalcontact/remark: remark ≤ 20 characters. */
  remark: 20,
  description: 150,
  /** remark_company ≤ 20, WeChat customers only. */
  remarkCompany: 20,
  /** Mobiles in one remark (WeCom does not document a count; a sane bound). */
  remarkMobiles: 5,
  mobile: 32,
  note: 2000,
  /** Corp tag and tag group names. */
  tagName: 30,
  /** Tag ids in one tag edit. */
  tagIds: 100,
  stages: 20,
} as const;

export const MOBILE_RE = /^[0-9+\-() ]{1,32}$/;

export const charCount = (s: string) => [...s].length;

export interface FieldProblem {
  field: string;
  code: 'too_long' | 'invalid' | 'not_allowed' | 'empty';
  limit?: number;
  message: Bilingual;
}

const FIELD_NAMES: Record<string, Bilingual> = {
  remark: { zh: '备注', en: 'remark' },
  description: { zh: '描述', en: 'description' },
  remarkCompany: { zh: '备注企业名称', en: 'remark company' },
  remarkMobiles: { zh: '备注手机号', en: 'remark mobiles' },
  text: { zh: '跟进记录', en: 'note text' },
  name: { zh: '名称', en: 'name' },
};

export function tooLong(field: string, limit: number): FieldProblem {
  const n = FIELD_NAMES[field] ?? { zh: field, en: field };
  return {
    field,
    code: 'too_long',
    limit,
    message: {
      zh: `${n.zh}（${field}）最多 ${limit} 个字符`,
      en: `The ${n.en} (${field}) is at most ${limit} characters`,
    },
  };
}

export interface RemarkInput {
  remark?: string;
  description?: string;
  remarkCompany?: string;
  remarkMobiles?: string[];
}

/** The first problem of a remark edit, or null. `customerType` 'wecom' refuses remarkCompany (WeChat only). */
export function checkRemark(input: RemarkInput, customerType?: 'wechat' | 'wecom'): FieldProblem | null {
  if (input.remark !== undefined && charCount(input.remark) > LIMITS.remark)
    return tooLong('remark', LIMITS.remark);
  if (input.description !== undefined && charCount(input.description) > LIMITS.description) {
    return tooLong('description', LIMITS.description);
  }
  if (input.remarkCompany !== undefined) {
    if (charCount(input.remarkCompany) > LIMITS.remarkCompany)
      return tooLong('remarkCompany', LIMITS.remarkCompany);
    if (customerType === 'wecom' && input.remarkCompany !== '') {
      return {
        field: 'remarkCompany',
        code: 'not_allowed',
        message: {
          zh: '备注企业名称（remarkCompany）仅适用于微信客户',
          en: 'The remark company (remarkCompany) applies to WeChat customers only',
        },
      };
    }
  }
  if (input.remarkMobiles !== undefined) {
    if (input.remarkMobiles.length > LIMITS.remarkMobiles) {
      return {
        field: 'remarkMobiles',
        code: 'too_long',
        limit: LIMITS.remarkMobiles,
        message: {
          zh: `备注手机号（remarkMobiles）最多 ${LIMITS.remarkMobiles} 个`,
          en: `At most ${LIMITS.remarkMobiles} remark mobiles (remarkMobiles)`,
        },
      };
    }
    const bad = input.remarkMobiles.find((m) => !MOBILE_RE.test(m));
    if (bad !== undefined) {
      return {
        field: 'remarkMobiles',
        code: 'invalid',
        message: {
          zh: `备注手机号（remarkMobiles）格式不正确：${bad || '（空）'}`,
          en: `Invalid remark mobile (remarkMobiles): ${bad || '(empty)'}`,
        },
      };
    }
  }
  const empty =
    input.remark === undefined &&
    input.description === undefined &&
    input.remarkCompany === undefined &&
    input.remarkMobiles === undefined;
  if (empty) {
    return {
      field: 'remark',
      code: 'empty',
      message: { zh: '没有要修改的内容', en: 'Nothing to change' },
    };
  }
  return null;
}

/** The first problem of a note's text, or null. */
export function checkNoteText(text: string): FieldProblem | null {
  if (text.trim() === '') {
    return { field: 'text', code: 'empty', message: { zh: '跟进记录不能为空', en: 'The note is empty' } };
  }
  return charCount(text) > LIMITS.note ? tooLong('text', LIMITS.note) : null;
}

export const STAGE_COLORS = [
  '#64748b',
  '#2563eb',
  '#7c3aed',
  '#d97706',
  '#16a34a',
  '#dc2626',
  '#0891b2',
  '#db2777',
];
export const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
