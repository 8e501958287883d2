import { Converter } from 'opencc-js/t2cn';

/**
 * Text normalisation shared by indexing and querying: full-width forms to half-width (NFKC: "１２３" → "123",
 * "ＡＰＩ" → "api"), lower case, traditional characters to simplified (OpenCC, Taiwan and Hong Kong variants),
 * so "發票", "发票" and "開發票" meet in one index. The output keeps the input's length whenever every character
 * maps to one character, which lets highlights found in normalised text be drawn on the original.
 */

const toSimplified = Converter({ from: 'twp', to: 'cn' });
const hkToSimplified = Converter({ from: 'hk', to: 'cn' });

function halfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const n = ch.normalize('NFKC');
    out += n.length === ch.length ? n : ch;
  }
  return out;
}

export function normalize(text: string): string {
  return hkToSimplified(toSimplified(halfWidth(text))).toLowerCase();
}
