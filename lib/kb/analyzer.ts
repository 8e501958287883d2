import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { normalize } from './normalize';
import { BUILT_IN_SYNONYMS, type SynonymGroup } from './synonyms';

/**
 * Chinese analysis: normalise (full-width, case, traditional → simplified), rewrite synonyms to one word per
 * group, segment with jieba (search mode: a long word also yields the dictionary words inside it, so "保修期"
 * matches "保修"), and drop function words. Mixed Chinese/Latin text works because jieba passes Latin words
 * and numbers through as tokens.
 */

let jieba: Jieba | undefined;
const loadedWords = new Set<string>();

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Words that must stay whole: a synonym group's word and the knowledge base's own domain words. */
function ensureWords(words: Iterable<string>): void {
  const fresh = [...words].filter((w) => w.length > 1 && !loadedWords.has(w) && /[\u4e00-\u9fff]/.test(w));
  if (fresh.length === 0) return;
  for (const w of fresh) loadedWords.add(w);
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} 200000 n`).join('\n') + '\n'));
}

const DOMAIN_WORDS = [
  '私有化',
  '私有化部署',
  '会话存档',
  '工牌',
  '录音工牌',
  '离职继承',
  '专业版',
  '企业版',
  '起购',
  '人天',
  '无理由退款',
  '电子发票',
  '专用发票',
  '普通发票',
  '增值税',
  '对公转账',
  '等保',
  '开放接口',
  '单点登录',
  '客户成功经理',
  '续费',
  '短信包',
  '试用期',
  '保修期',
  '换新',
];

export const STOPWORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 我 你 您 我们 你们 他 她 它 他们 这 那 这个 那个 这些 那些 在 有 和 与 及 或 或者 ' +
    '请问 请 一下 怎么 怎么样 怎样 如何 什么 哪些 哪个 哪里 哪 为什么 是不是 能 能否 可以 可不可以 能不能 会 要 需要 想 ' +
    '就 都 也 还 又 吗? 么? 一个 个 些 把 被 给 让 对 从 到 向 跟 上 下 里 中 后 前 时 时候 如果 因为 所以 但是 但 ' +
    '而 并 并且 以及 等 等等 其 之 以 为 于 被 已 已经 没 没有 不 很 非常 最 更 太 好 行 可 得 地 着 过 嗯 哈 噢 ' +
    '咋 咋办 怎么办 咋整 咋弄 啥 咱 咱们 大家 自己 知道 问 问下 问问 想问 告诉 一样 这样 那样 呗 哇 啦 么 诶 麻烦 谢谢'
  ).split(/\s+/),
);

const WORD_CHAR = /[\p{L}\p{N}]/u;

let generalIdf: Map<string, number> | undefined;

/** A word missing from jieba's IDF table (a name, a product, a foreign word) counts as rare as the rarest. */
const UNSEEN_IDF = 12;

/**
 * How specific a word is in general Chinese (jieba's IDF table, built from a large corpus): "别人" is common,
 * "停车位" specific. A question whose specific words are missing from the knowledge base is one it cannot answer,
 * while missing everyday words ("到底", "一堆") say little.
 */
export function specificity(word: string): number {
  if (!generalIdf) {
    generalIdf = new Map();
    for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) generalIdf.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }
  return generalIdf.get(word) ?? UNSEEN_IDF;
}

export interface QueryWord {
  /** The word as segmented in normal mode. */
  word: string;
  /** Index terms it contributes (the word and the dictionary words inside it), stopwords removed. */
  terms: string[];
}

export class Analyzer {
  private readonly rewrite: RegExp | null;
  private readonly canonical = new Map<string, string>();
  private readonly surfaces = new Map<string, string[]>();

  constructor(groups: readonly SynonymGroup[] = []) {
    for (const group of [...BUILT_IN_SYNONYMS, ...groups]) {
      const words = [...new Set(group.map((w) => normalize(w.trim())).filter(Boolean))];
      const head = words[0];
      if (!head) continue;
      for (const w of words) if (!this.canonical.has(w)) this.canonical.set(w, head);
    }
    for (const [w, head] of this.canonical) {
      const list = this.surfaces.get(head) ?? [head];
      if (!list.includes(w)) list.push(w);
      this.surfaces.set(head, list);
    }
    ensureWords(DOMAIN_WORDS);
    ensureWords(this.surfaces.keys());
    // Heads are alternatives too, so that at each position the longest word wins ("开放接口" stays whole when
    // "接口" is one of its synonyms).
    const alternatives = [...this.canonical.keys()]
      .sort((a, b) => b.length - a.length)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.rewrite = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : null;
  }

  /** Normalised text with every synonym replaced by its group's first word. */
  prepare(text: string): string {
    const n = normalize(text);
    return this.rewrite ? n.replace(this.rewrite, (m) => this.canonical.get(m) ?? m) : n;
  }

  /** Index terms of a text, in order, repeated as often as they occur. */
  terms(text: string): string[] {
    return segmenter()
      .cutForSearch(this.prepare(text), false)
      .filter((t) => WORD_CHAR.test(t) && !STOPWORDS.has(t));
  }

  /** The question's words, each with the index terms it contributes. */
  queryWords(text: string): QueryWord[] {
    const j = segmenter();
    const out: QueryWord[] = [];
    const seen = new Set<string>();
    for (const word of j.cut(this.prepare(text), false)) {
      if (!WORD_CHAR.test(word) || STOPWORDS.has(word) || seen.has(word)) continue;
      seen.add(word);
      const terms = [...new Set([word, ...j.cutForSearch(word, false)])].filter(
        (t) => WORD_CHAR.test(t) && !STOPWORDS.has(t),
      );
      out.push({ word, terms });
    }
    return out;
  }

  /** Every written form that a term stands for (the term and the synonyms rewritten to it), for highlighting. */
  surfaceForms(term: string): string[] {
    return this.surfaces.get(term) ?? [term];
  }
}
