/** Seeded randomness for reproducible training, simulation and benchmarks (never for keys). */
import { at } from './at.ts';

/** Mulberry32: a small seeded generator giving uniforms in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function pick(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

/** A uniform element of a non-empty array. */
export function choice<T>(rand: () => number, xs: readonly T[]): T {
  return at(xs, pick(rand, xs.length));
}

/** A shuffled copy (Fisher-Yates). */
export function shuffle<T>(rand: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = pick(rand, i + 1);
    [out[i], out[j]] = [at(out, j), at(out, i)];
  }
  return out;
}
