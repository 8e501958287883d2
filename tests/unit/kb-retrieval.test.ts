import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Analyzer } from '@/lib/kb/analyzer';
import { demoIndex, demoPassages } from '@/lib/kb/demo-index';
import { evaluate, passageKey, type EvalSet } from '@/lib/kb/evaluate';
import { normalize } from '@/lib/kb/normalize';
import { SearchIndex } from '@/lib/kb/search-index';
import { parseSynonyms } from '@/lib/kb/synonyms';

const evalSet = JSON.parse(readFileSync('bench/kb-eval.json', 'utf8')) as EvalSet;

describe('normalisation and segmentation', () => {
  it('maps full-width forms, case and traditional characters onto one form, keeping the length', () => {
    const s = '這款軟體ＡＰＩ調用１２３次，資料匯出';
    expect(normalize(s)).toBe('这款软件api调用123次,数据导出');
    expect(normalize(s)).toHaveLength(s.length);
  });

  it('segments Chinese into words (search mode adds the words inside a long word) and drops function words', () => {
    const a = new Analyzer();
    expect(a.terms('保修期是多久？')).toEqual(['保修', '保修期', '多久']);
    expect(a.terms('私有化部署需要什么服务器配置')).toEqual(
      expect.arrayContaining(['私有化部署', '私有化', '部署', '服务器', '配置']),
    );
    expect(a.terms('我们的')).toEqual([]);
  });

  it('rewrites colloquial phrasing and synonyms to one word', () => {
    const a = new Analyzer(parseSynonyms('发票 = 开票 = 票据\n# comment\n私有化部署，本地部署').groups);
    expect(a.terms('能退钱不')).toEqual(['退款']);
    expect(a.terms('这个多少钱')).toEqual(['价格']);
    expect(a.terms('开票要几天')).toEqual(['发票', '多久']);
    expect(a.terms('本地部署')).toContain('私有化部署');
    expect(a.surfaceForms('发票')).toEqual(['发票', '开票', '票据']);
  });

  it('parses the admin synonym list and names the lines it cannot use', () => {
    expect(parseSynonyms('发票=开票\n单独一个词\n退款、退钱、退费')).toEqual({
      groups: [
        ['发票', '开票'],
        ['退款', '退钱', '退费'],
      ],
      invalidLines: [2],
    });
  });
});

describe('ranking on the demo knowledge base', () => {
  let index: SearchIndex;
  beforeAll(async () => {
    index = await demoIndex();
  });
  const top = (q: string) => {
    const hit = index.search(q, 3).hits[0];
    return hit ? passageKey(evalSet, hit.passage) : null;
  };

  it('finds the passage for verbatim, colloquial, traditional and full-width questions', () => {
    expect(top('退款政策')).toMatch(/^(S:四、退款政策|F:可以退款吗？)$/);
    expect(top('能退钱不')).toMatch(/^(S:四、退款政策|F:可以退款吗？)$/);
    expect(top('工牌保固幾年')).toMatch(/^(S:八、硬件保修|F:工牌坏了怎么办？)$/);
    expect(top('ＡＰＩ每秒能調用多少次')).toMatch(/^(M:开放接口|F:有没有开放接口？)$/);
    expect(top('專業版每個帳號多少錢')).toBe('P:专业版价格');
  });

  it('ranks an FAQ question match first', () => {
    expect(top('员工离职了客户怎么办')).toBe('F:员工离职了客户怎么办？');
  });

  it('says when the knowledge base does not cover a question', () => {
    expect(index.search('你们老板叫什么名字').answerable).toBe(false);
    expect(index.search('支持WhatsApp吗').answerable).toBe(false);
    expect(index.search('的了吗').hits).toEqual([]);
    expect(index.search('发票怎么开').answerable).toBe(true);
  });

  it('returns highlight ranges of the matched words in the passage text', () => {
    const hit = index.search('開發票要幾天', 1).hits[0]!;
    const marked = hit.highlights.map(([s, e]) => hit.passage.text.slice(s, e));
    expect(marked).toContain('发票');
    for (const [s, e] of hit.highlights) expect(e).toBeGreaterThan(s);
  });

  it('an admin synonym makes a question answerable that was not', async () => {
    const passages = await demoPassages();
    const plain = new SearchIndex(new Analyzer(), passages);
    const withList = new SearchIndex(new Analyzer([['发票', '报销凭证']]), passages);
    expect(plain.search('报销凭证怎么给').answerable).toBe(false);
    const outcome = withList.search('报销凭证怎么给', 3);
    expect(outcome.answerable).toBe(true);
    expect(outcome.hits.map((h) => passageKey(evalSet, h.passage))).toEqual(
      expect.arrayContaining(['P:发票']),
    );
  });

  it('meets the quality goals on the evaluation set (recall@3 ≥ 0.9, declined ≥ 0.8)', () => {
    expect(evalSet.questions.length).toBeGreaterThanOrEqual(150);
    const r = evaluate(index, evalSet);
    expect(r.recallAt3).toBeGreaterThanOrEqual(0.9);
    expect(r.declined).toBeGreaterThanOrEqual(0.8);
  });
});
