import type { SearchIndex } from './search-index';

/**
 * Questions to suggest for the current customer, from their tags and follow-up stage: each tag group's words and
 * what a salesperson is typically asked at that stage are searched in the corp's own knowledge base, and the
 * FAQ questions (or section headings) found become the suggestions. Nothing leaves the server.
 */

/** What customers ask at each stage, by words that stage names usually contain. */
const STAGE_TOPICS: Array<[RegExp, string]> = [
  [/接触|线索|初次|潜在/, '产品 介绍 免费试用'],
  [/需求|确认|沟通|方案/, '版本 功能 区别 私有化部署'],
  [/报价|谈判|商务|价格/, '价格 折扣 付款 账号'],
  [/成交|签约|赢单|购买|续费/, '发票 培训 售后 续费'],
];

export interface CustomerTags {
  groups: Array<{ groupName: string; tags: string[] }>;
}

export function suggestQuestions(index: SearchIndex, customer: CustomerTags, limit = 5): string[] {
  const queries: string[] = [];
  for (const g of customer.groups) {
    for (const tag of g.tags) {
      const stage = STAGE_TOPICS.find(([re]) => re.test(tag) || re.test(g.groupName));
      if (stage && /阶段|进度|stage/i.test(g.groupName)) queries.push(stage[1]);
      else queries.push(tag);
    }
  }
  if (queries.length === 0) queries.push(STAGE_TOPICS[0]![1]);
  const out: string[] = [];
  for (const q of queries) {
    for (const hit of index.search(q, 3).hits) {
      const s = hit.passage.question ?? hit.passage.heading.split(' › ').pop();
      if (s && !out.includes(s)) out.push(s);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
