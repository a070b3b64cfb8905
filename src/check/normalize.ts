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

/**
 * Invisible and combining marks: zero-width characters, and the combining marks posts hang on every
 * character to break keyword filters (Tibetan vowel signs "要ོ不ོ要", U+0FC6, combining diacritics) or that
 * decorate a digit (U+20E3 keycap, "1⃣").
 */
const ZERO_WIDTH = new Set([
  0x200b,
  0x200c,
  0x200d,
  0x2060,
  0xfeff,
  0x00ad,
  0xfe0e,
  0xfe0f,
  0x0fc6,
  ...Array.from({ length: 0x70 }, (_, i) => 0x0300 + i),
  ...Array.from({ length: 0x17 }, (_, i) => 0x0f71 + i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x20d0 + i),
]);

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

/**
 * Separators that scammers put inside words ("微 信", "验*证*码") or digit runs ("138 1234 5678"), and the
 * marks OCR leaves between characters of a screenshot ("验|证`码").
 */
const FILLERS = [0x20, 0x09, 0x2a, 0xb7, 0x5f, 0x2d, 0x7c, 0x60];
function isFiller(cp: number): boolean {
  return FILLERS.includes(cp);
}

/** Top-level domains that a dot written as 。, 点, "dot" or with spaces around it is read before. */
const TLD =
  '(?:com|cn|net|top|xyz|vip|cc|co|me|info|shop|site|online|club|ink|icu|org|link|ly|app|live|fun|pro|wang|work|tk|ml|ga|cf|gq|io|asia|biz)(?![a-z])';

/**
 * Obfuscated spellings and their plain form; matched on already width- and case-folded, simplified text.
 * Scammers write around keyword filters with homophones (威信, 徽信, 加薇), letters (V信, vx, yzm, zfb)
 * and look-alike characters (验证玛); links get their dots written as 。 or 点 or padded with spaces.
 */
const OBFUSCATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /(?<![a-z0-9])(?:v|w|威)[ *·_]?(?:x|信|❤)(?![a-z0-9.])|微(?:x|❤)(?![a-z0-9.])|[薇威徽维危卫][ *·_]?信|卫星号|(?<![a-z0-9])wechat(?![a-z])/g,
    '微信',
  ],
  // The letter comes first and the lookbehind after it, so the engine scans for the letter alone.
  [/(?:v|薇|威|徽|维)(?<=(?:加|\+|➕|添加|联系|私)(?:个|我|下)?.)(?![a-z信])|v(?<![a-z0-9]v)(?=\s*[:：]\s*[a-z0-9])/g, '微信'],
  [/微\s?xin(?![a-z])|(?<![a-z0-9])wei\s?xin(?![a-z])|(?:v|w|威|薇)\s?♥/g, '微信'],
  [/扣扣|抠抠|蔻蔻|企鹅号/g, 'qq'],
  [/支[负付f][宝包饱]|(?<![a-z])zhifubao(?![a-z])/g, '支付宝'],
  [/\s?kuan(?<=[收打转汇付退]个?\s?kuan)(?![a-z])/g, '款'],
  [/\s?gu(?<=[牛炒荐]\s?gu)(?![a-z])|(?<![a-z])gu(?=\s?(?:票|代码|市))/g, '股'],
  [/(?<![a-z0-9])dl\s?码/g, '登录码'],
  [/(?<![a-z])b[o0]彩/g, '博彩'],
  [/加扣/g, '加qq'],
  [/(?<![a-z0-9])yzm(?![a-z0-9])|验证[玛马蚂]|验[正政]码/g, '验证码'],
  [/(?<![a-z0-9])zfb(?![a-z0-9])|支付b(?![a-z0-9])/g, '支付宝'],
  [/(?<![a-z0-9])yhk(?![a-z0-9])|银行k(?![a-z0-9])/g, '银行卡'],
  [/(?<![a-z0-9])sfz(?![a-z0-9])/g, '身份证'],
  [/转帐/g, '转账'],
  [/帐户|帐号/g, '账户'],
  [/[代袋]款(?=[^项])/g, '贷款'],
  // Posts write 加我 and 私我 in homophones (伽我, 嘉窝, 丝我) and carry QQ emoticon codes ([em]e163[/em]) mid-word.
  [/[伽佳嘉][我窝]/g, '加我'],
  [/[伽佳嘉](?=v|微信|qq|好友)/g, '加'],
  [/[丝思](?=我|信我|聊)/g, '私'],
  [/\[em\]e\d+\[\/em\]/g, ''],
  [new RegExp(`(?<=[a-z0-9-])\\s*(?:。|点|\\s\\.|\\.\\s|\\(\\.\\)|\\[\\.\\]|\\s?dot\\s?)\\s*(?=${TLD})`, 'g'), '.'],
];

/**
 * Per obfuscation, a cheap test that any match passes: patterns that open with a lookbehind make the
 * engine try every position, so those get a test that opens with a literal.
 */
const HINTS: readonly RegExp[] = OBFUSCATIONS.map(([re], i) =>
  i === OBFUSCATIONS.length - 1 ? new RegExp(`(?:[。点]|\\s\\.|\\.\\s|\\(\\.\\)|\\[\\.\\]|dot)\\s*${TLD}`) : new RegExp(re.source),
);

/** Text under construction and, per UTF-16 unit of it, the original [start, end) it came from. */
interface Builder {
  text: string;
  start: number[];
  end: number[];
}

function push(b: Builder, s: string, from: number, to: number): void {
  b.text += s;
  for (let k = 0; k < s.length; k++) {
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
  const b: Builder = { text: '', start: [], end: [] };
  const n = input.length;
  for (let i = 0; i < n;) {
    const cp = input.codePointAt(i) as number;
    const next = i + (cp > 0xffff ? 2 : 1);
    if (ZERO_WIDTH.has(cp)) {
      i = next;
      continue;
    }
    if (isFiller(cp)) {
      let j = i;
      while (j < n && isFiller(input.charCodeAt(j))) j++;
      const last = b.text.length > 0 ? b.text.charCodeAt(b.text.length - 1) : -1;
      const folded = j < n ? (fold(input.codePointAt(j) as number) ?? input[j] ?? '') : '';
      const nxt = folded.length > 0 ? folded.charCodeAt(0) : -1;
      if ((isCjk(last) && isCjk(nxt) && cp !== 0x2d) || (isDigit(last) && isDigit(nxt) && j - i <= 2)) {
        i = j;
        continue;
      }
    }
    push(b, fold(cp) ?? input.slice(i, next), i, next);
    i = next;
  }
  return b;
}

function copy(from: Builder, to: Builder, s: number, e: number): void {
  to.text += from.text.slice(s, e);
  for (let k = s; k < e; k++) {
    to.start.push(from.start[k] as number);
    to.end.push(from.end[k] as number);
  }
}

function applyObfuscations(b: Builder): Builder {
  let cur = b;
  for (let i = 0; i < OBFUSCATIONS.length; i++) {
    const [re, plain] = OBFUSCATIONS[i] as readonly [RegExp, string];
    if (!(HINTS[i] as RegExp).test(cur.text)) continue;
    re.lastIndex = 0;
    if (!re.test(cur.text)) continue;
    re.lastIndex = 0;
    const out: Builder = { text: '', start: [], end: [] };
    let last = 0;
    for (const m of cur.text.matchAll(re)) {
      const s = m.index;
      const e = s + m[0].length;
      copy(cur, out, last, s);
      push(out, plain, cur.start[s] as number, cur.end[e - 1] as number);
      last = e;
    }
    copy(cur, out, last, cur.text.length);
    cur = out;
  }
  return cur;
}

/** Per UTF-16 unit: its one-unit folded form, or 0 when it stays or its fold changes the length. */
const ONE_UNIT = new Uint16Array(0x10000);
/** Per UTF-16 unit: LENGTH_CHANGING, WORD (CJK or a digit, which fillers may sit between) and FILLER bits. */
const KIND = new Uint8Array(0x10000);
const LENGTH_CHANGING = 1;
const WORD = 2;
const FILLER = 4;

/** Tables built once from `fold`, so the fast path and the slow path fold every character the same way. */
function buildTables(): void {
  const ranges: Array<[number, number]> = [
    [0x41, 0x5a],
    [0x80, 0xd7ff],
    [0xe000, 0xffff],
  ];
  for (const [lo, hi] of ranges)
    for (let cp = lo; cp <= hi; cp++) {
      const f = fold(cp);
      if (f === undefined) continue;
      if (f.length === 1) ONE_UNIT[cp] = f.charCodeAt(0);
      else KIND[cp] = LENGTH_CHANGING;
    }
  for (const cp of ZERO_WIDTH) KIND[cp] = LENGTH_CHANGING;
  const changing: Array<[number, number]> = [
    [0x2070, 0x209f],
    [0x2150, 0x218f],
    [0x2460, 0x24ff],
    [0x3200, 0x33ff],
    [0xd800, 0xdfff],
    [0xf900, 0xfaff],
    [0xff5f, 0xffef],
  ];
  for (const [lo, hi] of changing) for (let cp = lo; cp <= hi; cp++) KIND[cp] = LENGTH_CHANGING;
  for (let cp = 0x4e00; cp <= 0x9fff; cp++) KIND[cp] = (KIND[cp] as number) | WORD;
  for (let cp = 0x30; cp <= 0x39; cp++) KIND[cp] = WORD;
  for (let cp = 0xff10; cp <= 0xff19; cp++) KIND[cp] = (KIND[cp] as number) | WORD;
  for (const cp of FILLERS) KIND[cp] = FILLER;
}
buildTables();

/**
 * Literals one of which every obfuscation match contains, or a top-level-domain word (Latin letters are
 * rare in Chinese text): one scan that rules out most texts at once.
 */
const QUICK = new RegExp(
  `[vw薇徽危卫威维伽佳嘉丝思]|微[x❤]|支[负付f]|zhifubao|kuan|gu|dl|b[o0]彩|扣扣|抠抠|蔻蔻|企鹅号|加扣|yzm|验证[玛马蚂]|验[正政]码|zfb|支付b|yhk|银行k|sfz|转帐|帐户|帐号|[代袋]款|\\[em\\]|${TLD}`,
);

/** True when some obfuscation may match. */
function anyObfuscation(text: string): boolean {
  if (!QUICK.test(text)) return false;
  for (const h of HINTS) if (h.test(text)) return true;
  return false;
}

/**
 * The common case in one pass over the units: when nothing can change the length (no zero-width or
 * multi-unit compatibility character, no filler between two word characters), folds unit by unit and
 * returns the text; otherwise undefined.
 */
function foldInPlace(input: string): string | undefined {
  let out = '';
  let from = 0;
  // 0: after anything else, 1: after a word character, 2: in a filler run that follows a word character.
  let state = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    const kind = KIND[c] as number;
    if (kind & LENGTH_CHANGING) return undefined;
    if (kind & WORD) {
      if (state === 2) return undefined;
      state = 1;
    } else if (kind & FILLER) {
      if (state !== 0) state = 2;
    } else state = 0;
    const r = ONE_UNIT[c] as number;
    if (r !== 0) {
      out += input.slice(from, i) + String.fromCharCode(r);
      from = i + 1;
    }
  }
  return from === 0 ? input : out + input.slice(from);
}

/** Normalises text for matching and keeps the offset map back to the input. */
export function normalize(input: string): Normalized {
  const text = foldInPlace(input);
  if (text !== undefined && !anyObfuscation(text)) return { text, start: null, end: null };
  const b = applyObfuscations(foldAndDrop(input));
  return b;
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
