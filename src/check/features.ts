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

/** Character 1-, 2- and 3-grams of normalised text, hashed, each weighted 1/sqrt(n) so length does not dominate. */
export function featurize(text: string, out?: Features): Features {
  const n = text.length;
  const cap = n * 3 + 1;
  const f: Features = out && out.idx.length >= cap ? out : { idx: new Int32Array(cap), val: new Float32Array(cap), length: 0 };
  let k = 0;
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      p1 = 0;
      p2 = 0;
      continue;
    }
    const h1 = Math.imul(c, 0x9e3779b1);
    f.idx[k++] = (h1 >>> 7) & MASK;
    if (p1 !== 0) {
      const h2 = Math.imul(h1 ^ Math.imul(p1, 0x85ebca77), 0xc2b2ae3d);
      f.idx[k++] = (h2 >>> 9) & MASK;
      if (p2 !== 0) {
        const h3 = Math.imul(h2 ^ Math.imul(p2, 0x27d4eb2f), 0x165667b1);
        f.idx[k++] = (h3 >>> 11) & MASK;
      }
    }
    p2 = p1;
    p1 = c;
  }
  f.idx[k++] = MASK;
  const w = 1 / Math.sqrt(Math.max(1, k));
  f.val.fill(w, 0, k);
  f.length = k;
  return f;
}
