/**
 * Text normalisation for the check engine. Scammers disguise keywords (full-width letters, "V信", spaced
 * digits, traditional characters); rules run on the normalised text, and every normalised character keeps
 * the offsets of the original characters it came from so that spans point into what the user pasted.
 */
import { TRAD_TO_SIMP } from './trad-simp.ts';

/** Normalised text plus, for each of its UTF-16 units, the original [start, end) it came from. */
export interface Normalized {
  readonly text: string;
  readonly start: readonly number[];
  readonly end: readonly number[];
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
  [/(?<![a-z0-9])(?:v|w|微|威)[ *·_]?(?:x|信|❤)(?![a-z0-9.])|[薇威徽维危][ *·_]?信|微❤|卫星号/g, '微信'],
  [/扣扣|企鹅号|(?<![a-z0-9])q{2}(?![a-z0-9])/g, 'qq'],
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

/** Folds width, case, traditional characters and zero-width characters, one code point at a time. */
function foldChars(input: string): Builder {
  const b: Builder = { chars: [], start: [], end: [] };
  for (let i = 0; i < input.length;) {
    const cp = input.codePointAt(i) as number;
    const len = cp > 0xffff ? 2 : 1;
    const next = i + len;
    if (ZERO_WIDTH.has(cp)) {
      i = next;
      continue;
    }
    let out: string;
    if (cp >= 0x41 && cp <= 0x5a) out = String.fromCharCode(cp + 32);
    else if (cp < 0x80) out = input[i] as string;
    else if (isCjk(cp)) out = TRAD_TO_SIMP.get(cp) ?? (input[i] as string);
    else if (needsNfkc(cp)) out = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
    else out = input.slice(i, next);
    push(b, out, i, next);
    i = next;
  }
  return b;
}

/** Drops fillers that sit between two CJK characters or between two digits. */
function dropFillers(b: Builder): Builder {
  const out: Builder = { chars: [], start: [], end: [] };
  const n = b.chars.length;
  for (let i = 0; i < n; i++) {
    const c = b.chars[i] as string;
    const cp = c.charCodeAt(0);
    if (isFiller(cp)) {
      let j = i;
      while (j < n && isFiller((b.chars[j] as string).charCodeAt(0))) j++;
      const prev = out.chars.length > 0 ? (out.chars[out.chars.length - 1] as string).charCodeAt(0) : -1;
      const nxt = j < n ? (b.chars[j] as string).charCodeAt(0) : -1;
      const inCjk = isCjk(prev) && isCjk(nxt);
      const inDigits = isDigit(prev) && isDigit(nxt) && j - i <= 2;
      if ((inCjk && cp !== 0x2d) || inDigits) {
        i = j - 1;
        continue;
      }
    }
    out.chars.push(c);
    out.start.push(b.start[i] as number);
    out.end.push(b.end[i] as number);
  }
  return out;
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

/** Normalises text for matching and keeps the offset map back to the input. */
export function normalize(input: string): Normalized {
  const b = applyObfuscations(dropFillers(foldChars(input)));
  return { text: b.chars.join(''), start: b.start, end: b.end };
}

/** Maps a [start, end) span of normalised text back to the original input. */
export function originalSpan(n: Normalized, start: number, end: number): [number, number] {
  if (end <= start) {
    const at = n.start[start] ?? n.end[n.end.length - 1] ?? 0;
    return [at, at];
  }
  return [n.start[start] as number, n.end[end - 1] as number];
}
