/**
 * Rewrites of a text the way scammers and real-world capture change it: the scammers' own spellings
 * (V信, 威信, 加薇, 扣扣, yzm), word segmentation, OCR noise and traditional characters. Used to widen the
 * training set and to measure that flagged scams stay flagged under each rewrite.
 */
import * as OpenCC from 'opencc-js';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Plain word → the spellings scammers use for it. */
export const SUBSTITUTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['微信', ['V信', 'v信', '威信', '徽信', '薇信', 'VX', 'wx', '卫星']],
  ['加微信', ['加薇', '加V', '+V', '➕v', '加威']],
  ['QQ', ['扣扣', '企鹅号', 'Q Q']],
  ['qq', ['扣扣', '企鹅号']],
  ['验证码', ['yzm', '驗證碼', '验 证 码', '验证玛', '验*证*码']],
  ['支付宝', ['zfb', '支付b']],
  ['银行卡', ['yhk', '银行k', '银 行 卡']],
  ['转账', ['转帐', '转 账']],
  ['账户', ['帐户']],
  ['身份证', ['sfz', '身 份 证']],
  ['贷款', ['代款', '贷 款']],
  ['链接', ['链 接', '鏈接']],
  ['.com', ['。com', '点com', ' . com']],
  ['.cn', ['。cn', '点cn', ' . cn']],
];

/** Applies every substitution that the text allows, each occurrence with a randomly chosen spelling. */
export function substitute(text: string, r: Rand): string {
  let out = text;
  for (const [plain, alts] of SUBSTITUTIONS) {
    if (!out.includes(plain)) continue;
    out = out.split(plain).join(pick(r, alts));
  }
  return out;
}

type Convert = (text: string) => string;

/**
 * An OpenCC converter between two of its locales (cn, tw, hk, t, twp). Typed here: the package's own
 * declarations import './core' without an extension, which strict ESM resolution cannot follow.
 */
export const openccConverter = (OpenCC as unknown as { Converter: (o: { from: string; to: string }) => Convert }).Converter;

let toTraditional: Convert | undefined;

/** Simplified → traditional (Taiwan forms) with OpenCC's phrase tables. */
export function traditional(text: string): string {
  const convert = (toTraditional ??= openccConverter({ from: 'cn', to: 'tw' }));
  return convert(text);
}

/** Spaces between words or single characters, as word-segmented or hand-spaced text has. */
export function segmented(text: string, r: Rand): string {
  const every = r() < 0.5 ? 1 : 2;
  const chars = Array.from(text);
  return chars.map((c, i) => (i % every === every - 1 && /[\u4e00-\u9fff]/.test(c) && r() < 0.7 ? `${c} ` : c)).join('');
}

const OCR_JUNK = ['|', '丨', '、', '`', '·', '口', '-', ' ', '’', '.', '_'];
const OCR_SWAP: Readonly<Record<string, string>> = { 0: 'O', 1: 'l', 5: 'S', 8: 'B', 日: '曰', 己: '已', 人: '入', 末: '未', 士: '土' };

/** OCR-like noise: dropped and swapped characters, junk marks, broken lines, screenshot chrome. */
export function ocrNoise(text: string, r: Rand): string {
  const out: string[] = [];
  for (const c of Array.from(text)) {
    const x = r();
    if (x < 0.03) continue;
    if (x < 0.06 && OCR_SWAP[c] !== undefined) out.push(OCR_SWAP[c]);
    else out.push(c);
    if (r() < 0.03) out.push(pick(r, OCR_JUNK));
    if (r() < 0.02) out.push('\n');
  }
  const chrome = pick(r, ['', '', '下午3:21\n', '< 微信(12)\n', '12:08 4G\n', '\n发送', '\n按住 说话']);
  return chrome.endsWith('\n') ? chrome + out.join('') : out.join('') + chrome;
}

/** One randomly chosen rewrite (or the text unchanged). */
export function randomVariant(text: string, r: Rand): string {
  const x = r();
  if (x < 0.35) return text;
  if (x < 0.55) return substitute(text, r);
  if (x < 0.7) return traditional(text);
  if (x < 0.82) return segmented(text, r);
  return ocrNoise(text, r);
}
