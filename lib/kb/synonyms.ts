/**
 * Synonym groups: every member of a group is rewritten to the group's first word before segmentation, in the
 * passages and in the question alike, so "开票" finds a passage about "发票". Built-in groups cover everyday
 * colloquial phrasing and Taiwan/Hong Kong wording; each corp adds its own list in /admin, one group per line:
 * `发票 = 开票 = 票据` (also accepted: commas, 、 or ／ between words).
 */

export type SynonymGroup = readonly string[];

export const BUILT_IN_SYNONYMS: readonly SynonymGroup[] = [
  [
    '价格',
    '多少钱',
    '价钱',
    '价位',
    '售价',
    '定价',
    '收费标准',
    '怎么收费',
    '咋收费',
    '怎么卖',
    '咋卖',
    '啥价',
  ],
  ['退款', '退钱', '退费', '把钱退'],
  ['保修', '保固', '质保', '包修'],
  ['故障', '坏了', '出毛病', '出问题', '用不了', '不能用', '打不开', '挂了', '宕机', '崩了'],
  ['补偿', '赔偿', '赔钱', '赔不赔'],
  ['手机', '移动端', '手机端', '手机上'],
  ['数据', '资料'],
  ['多久', '多长时间', '几天', '多少天', '啥时候', '什么时候'],
  ['付款', '支付', '付钱', '交钱', '打款'],
  ['联系', '找谁', '联络'],
  ['折扣', '打折', '优惠', '便宜点', '便宜些'],
  ['上线', '部署好', '用上'],
  ['离职', '辞职', '离开公司'],
  ['企业微信', '企微', '企业微信客户端'],
  ['专用发票', '专票', '增值税专票'],
  ['普通发票', '普票'],
  ['excel', '表格', '电子表格'],
  ['免费试用', '白嫖', '免费用', '试用一下'],
  ['培训', '教我们', '教一下', '怎么用'],
  ['迁移', '搬过来', '导过来', '转过来'],
];

const SEPARATORS = /\s*(?:=|＝|,|，|、|\/|／|;|；)\s*/;

export const MAX_SYNONYM_GROUPS = 500;
export const MAX_SYNONYM_WORD_LENGTH = 20;

/** Parses the admin's synonym list. Returns the groups, or the 1-based line numbers that are not valid. */
export function parseSynonyms(text: string): { groups: string[][]; invalidLines: number[] } {
  const groups: string[][] = [];
  const invalidLines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const words = [
      ...new Set(
        trimmed
          .split(SEPARATORS)
          .map((w) => w.trim())
          .filter(Boolean),
      ),
    ];
    if (words.length < 2 || words.some((w) => w.length > MAX_SYNONYM_WORD_LENGTH)) invalidLines.push(i + 1);
    else groups.push(words);
  });
  return { groups, invalidLines };
}

export function formatSynonyms(groups: readonly SynonymGroup[]): string {
  return groups.map((g) => g.join(' = ')).join('\n');
}
