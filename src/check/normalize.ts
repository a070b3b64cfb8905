/**
 * Text normalisation for the check engine. Scammers disguise keywords (full-width letters, "V信", spaced
 * digits, traditional characters); rules run on the normalised text, and every normalised character keeps
 * the offsets of the original characters it came from so that spans point into what the user pasted.
 */
import { TRAD_TO_SIMP } from './trad-simp.ts';

/**
 * Normalised text plus, for each of its UTF-16 units, the original [start, end) it came from; both are
 * null when every unit maps to the unit at the same offset (the common case, kept allocation-free).
 */
export interface Normalized {
  readonly text: string;
  readonly start: readonly number[] | null;
  readonly end: readonly number[] | null;
}

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]);

/** Code points whose compatibility form (NFKC) differs in ways that matter: full width, circled, math letters. */
function needsNfkc(cp: number): boolean {
  return (
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x2460 && cp <= 0x24ff) ||
    (cp >= 0x2070 && cp <= 0x209f) ||
    (cp >= 0x2150 && cp <= 0x218f) ||
    (cp >= 0x3200 && cp <= 0x33ff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x1d400 && cp <= 0x1d7ff) ||
    cp === 0x3000
  );
}

function isCjk(cp: number): boolean {
  return cp >= 0x4e00 && cp <= 0x9fff;
}

function isDigit(cp: number): boolean {
  return cp >= 0x30 && cp <= 0x39;
}

/** Separators that scammers put inside words ("微 信", "验*证*码") or digit runs ("138 1234 5678"). */
function isFiller(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x2a || cp === 0xb7 || cp === 0x5f || cp === 0x2d;
}

/** Obfuscated spellings and their plain form; matched on already width- and case-folded text. */
const OBFUSCATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?<![a-z0-9])(?:v|w|威)[ *·_]?(?:x|信|❤)(?![a-z0-9.])|微(?:x|❤)(?![a-z0-9.])|[薇威徽维危][ *·_]?信|卫星号/g, '微信'],
  [/扣扣|企鹅号/g, 'qq'],
  [/加扣/g, '加qq'],
  [/(?<![a-z0-9])yzm(?![a-z0-9])/g, '验证码'],
  [/(?<![a-z0-9])zfb(?![a-z0-9])/g, '支付宝'],
  [/(?<![a-z0-9])yhk(?![a-z0-9])/g, '银行卡'],
];

interface Builder {
  chars: string[];
  start: number[];
  end: number[];
}

function push(b: Builder, s: string, from: number, to: number): void {
  for (let k = 0; k < s.length; k++) {
    b.chars.push(s[k] as string);
    b.start.push(from);
    b.end.push(to);
  }
}

/** Code point → folded form, or undefined when it stays as it is. */
function fold(cp: number): string | undefined {
  if (cp >= 0x41 && cp <= 0x5a) return String.fromCharCode(cp + 32);
  if (cp < 0x80) return undefined;
  if (isCjk(cp)) return TRAD_TO_SIMP.get(cp);
  if (needsNfkc(cp)) return String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
  return undefined;
}

/**
 * One pass: folds width, case and traditional characters, drops zero-width characters and the fillers
 * between two CJK characters or two digits. Unchanged runs are copied as slices, which is the common case.
 */
function foldAndDrop(input: string): Builder {
  const b: Builder = { chars: [], start: [], end: [] };
  const n = input.length;
  for (let i = 0; i < n;) {
    const cp = input.codePointAt(i) as number;
    const len = cp > 0xffff ? 2 : 1;
    const next = i + len;
    if (ZERO_WIDTH.has(cp)) {
      i = next;
      continue;
    }
    if (isFiller(cp)) {
      let j = i;
      while (j < n && isFiller(input.charCodeAt(j))) j++;
      const last = b.chars.length > 0 ? (b.chars[b.chars.length - 1] as string).charCodeAt(0) : -1;
      const folded = j < n ? (fold(input.codePointAt(j) as number) ?? input[j] ?? '') : '';
      const nxt = folded.length > 0 ? folded.charCodeAt(0) : -1;
      if ((isCjk(last) && isCjk(nxt) && cp !== 0x2d) || (isDigit(last) && isDigit(nxt) && j - i <= 2)) {
        i = j;
        continue;
      }
    }
    const out = fold(cp);
    if (out === undefined) {
      b.chars.push(len === 1 ? (input[i] as string) : input.slice(i, next));
      b.start.push(i);
      b.end.push(next);
      // A surrogate pair is one element; an empty second element keeps array and UTF-16 offsets aligned.
      if (len === 2) {
        b.chars.push('');
        b.start.push(i);
        b.end.push(next);
      }
    } else push(b, out, i, next);
    i = next;
  }
  return b;
}

function applyObfuscations(b: Builder): Builder {
  let cur = b;
  for (const [re, plain] of OBFUSCATIONS) {
    const text = cur.chars.join('');
    re.lastIndex = 0;
    if (!re.test(text)) continue;
    re.lastIndex = 0;
    const out: Builder = { chars: [], start: [], end: [] };
    let last = 0;
    for (const m of text.matchAll(re)) {
      const s = m.index;
      const e = s + m[0].length;
      for (let k = last; k < s; k++) {
        out.chars.push(cur.chars[k] as string);
        out.start.push(cur.start[k] as number);
        out.end.push(cur.end[k] as number);
      }
      push(out, plain, cur.start[s] as number, cur.end[e - 1] as number);
      last = e;
    }
    for (let k = last; k < cur.chars.length; k++) {
      out.chars.push(cur.chars[k] as string);
      out.start.push(cur.start[k] as number);
      out.end.push(cur.end[k] as number);
    }
    cur = out;
  }
  return cur;
}

const TRAD_CLASS = [...TRAD_TO_SIMP.keys()].map((cp) => String.fromCodePoint(cp)).join('');
/** Characters whose folded form is one UTF-16 unit at the same offset. */
const ONE_TO_ONE = new RegExp(`[A-Z\\uff01-\\uff5e\\u3000${TRAD_CLASS}]`, 'g');
/** Anything that can change the length: zero-width, other compatibility forms, surrogates, fillers. */
const LENGTH_CHANGING =
  /[\u00ad\u200b-\u200d\u2060\ufeff\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u3200-\u33ff\uf900-\ufaff\uff5f-\uffef\ud800-\udfff]|[\u4e00-\u9fff\d\uff10-\uff19][ \t*·_-]+[\u4e00-\u9fff\d\uff10-\uff19]/;
const ANY_OBFUSCATION = new RegExp(OBFUSCATIONS.map(([re]) => re.source).join('|'));

function foldOne(c: string): string {
  return fold(c.charCodeAt(0)) ?? c;
}

/** Normalises text for matching and keeps the offset map back to the input. */
export function normalize(input: string): Normalized {
  if (!LENGTH_CHANGING.test(input)) {
    const text = input.replace(ONE_TO_ONE, foldOne);
    if (!ANY_OBFUSCATION.test(text)) return { text, start: null, end: null };
  }
  const b = applyObfuscations(foldAndDrop(input));
  return { text: b.chars.join(''), start: b.start, end: b.end };
}

/** Maps a [start, end) span of normalised text back to the original input. */
export function originalSpan(n: Normalized, start: number, end: number): [number, number] {
  if (n.start === null || n.end === null) return [start, Math.max(start, end)];
  if (end <= start) {
    const at = n.start[start] ?? n.end[n.end.length - 1] ?? 0;
    return [at, at];
  }
  return [n.start[start] as number, n.end[end - 1] as number];
}
