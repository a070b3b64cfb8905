/**
 * Hashed character n-gram features. Characters, not words: scammers misspell and split words, and a
 * segmenter costs more time than the whole classifier (see DESIGN.md for the speed targets).
 */

export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;

/** Sparse feature vector: bucket indices and their values (the same index may repeat). */
export interface Features {
  idx: Int32Array;
  val: Float32Array;
  length: number;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Hash of a character unigram. */
function gram1(c: number): number {
  return Math.imul(c, 0x9e3779b1);
}

/** Hash of a bigram from the unigram hash of its last character and the character before it. */
function gram2(h1: number, p1: number): number {
  return Math.imul(h1 ^ Math.imul(p1, 0x85ebca77), 0xc2b2ae3d);
}

/** Hash of a trigram from its bigram hash and the character two back. */
function gram3(h2: number, p2: number): number {
  return Math.imul(h2 ^ Math.imul(p2, 0x27d4eb2f), 0x165667b1);
}

/** Calls `visit` with the bucket of every character 1-, 2- and 3-gram of `text` (grams do not cross whitespace). */
function eachGram(text: string, visit: (bucket: number) => void): void {
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      p1 = 0;
      p2 = 0;
      continue;
    }
    const h1 = gram1(c);
    visit((h1 >>> 7) & MASK);
    if (p1 !== 0) {
      const h2 = gram2(h1, p1);
      visit((h2 >>> 9) & MASK);
      if (p2 !== 0) visit((gram3(h2, p2) >>> 11) & MASK);
    }
    p2 = p1;
    p1 = c;
  }
  // A bias bucket present in every text.
  visit(MASK);
}

/** Character 1-, 2- and 3-grams of normalised text, hashed, each weighted 1/sqrt(n) so length does not dominate. */
export function featurize(text: string, out?: Features): Features {
  const cap = text.length * 3 + 1;
  const f: Features = out && out.idx.length >= cap ? out : { idx: new Int32Array(cap), val: new Float32Array(cap), length: 0 };
  let k = 0;
  eachGram(text, (b) => {
    f.idx[k++] = b;
  });
  f.val.fill(1 / Math.sqrt(Math.max(1, k)), 0, k);
  f.length = k;
  return f;
}

/**
 * The linear score of `featurize(text)` under quantised `weights` (bias and scale excluded), without the vector:
 * every feature has the same value, so the score is the sum of the weights hit times that value.
 */
export function weightedSum(text: string, weights: Int8Array): number {
  let sum = 0;
  let k = 0;
  eachGram(text, (b) => {
    sum += weights[b] as number;
    k++;
  });
  return sum / Math.sqrt(k);
}
