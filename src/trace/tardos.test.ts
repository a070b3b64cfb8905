import { describe, expect, it } from 'vitest';
import { bias } from '../fingerprint/index.ts';
import { seeded } from '../shared/random.ts';
import { logInnocentBound, logInnocentLowerBound, tardosScore, type Position } from './tardos.ts';

const bern = (r: () => number, p: number): 0 | 1 => (r() < p ? 1 : 0);

describe('symmetric Tardos decoding with the Chernoff bound', () => {
  it('keeps innocent principals under the bound whatever the leak (empirical rate below the bound)', () => {
    const r = seeded(11);
    const m = 300;
    const ps = Array.from({ length: m }, () => bias(r()));
    const coalition = [0, 1].map(() => ps.map((p) => bern(r, p)));
    const leak = ps.map((_, i) => (coalition[i % 2] as (0 | 1)[])[i] as 0 | 1);
    const level = Math.log(1e-2);
    let flagged = 0;
    const N = 5000;
    for (let k = 0; k < N; k++) {
      const pos: Position[] = ps.map((p, i) => ({ p, y: leak[i] as 0 | 1, x: bern(r, p) }));
      if (logInnocentBound(pos, tardosScore(pos)) <= level) flagged++;
    }
    // The bound is 1e-2 per innocent: 5,000 innocents give 50 in expectation at most (the bound is conservative).
    expect(flagged).toBeLessThanOrEqual(50);
  });

  it('catches a lone leaker from 100 positions at 1e-6 over 10,000 candidates', () => {
    const r = seeded(5);
    const ps = Array.from({ length: 100 }, () => bias(r()));
    const mine = ps.map((p) => bern(r, p));
    const pos: Position[] = ps.map((p, i) => ({ p, y: mine[i] as 0 | 1, x: mine[i] as 0 | 1 }));
    expect(logInnocentBound(pos, tardosScore(pos))).toBeLessThan(Math.log(1e-6 / 10_000));
  });

  it('catches both members of a two-person interleaving coalition from 1,000 positions', () => {
    const r = seeded(9);
    const ps = Array.from({ length: 1000 }, () => bias(r()));
    const a = ps.map((p) => bern(r, p));
    const b = ps.map((p) => bern(r, p));
    const y = ps.map((_, i) => (r() < 0.5 ? a[i] : b[i]) as 0 | 1);
    for (const x of [a, b]) {
      const pos: Position[] = ps.map((p, i) => ({ p, y: y[i] as 0 | 1, x: x[i] as 0 | 1 }));
      expect(logInnocentBound(pos, tardosScore(pos))).toBeLessThan(Math.log(1e-6 / 10_000));
    }
  });

  it('gives bound 1 for non-positive scores', () => {
    expect(logInnocentBound([{ p: 0.5, y: 1, x: 0 }], -1)).toBe(0);
  });

  it('bounds the lower tail too: innocents stay under it, and a leaker that flipped its bits falls below it', () => {
    const r = seeded(13);
    const ps = Array.from({ length: 300 }, () => bias(r()));
    const leak = ps.map((p) => bern(r, p));
    const level = Math.log(1e-2);
    let flagged = 0;
    let lowest = 0;
    for (let k = 0; k < 5000; k++) {
      const pos: Position[] = ps.map((p, i) => ({ p, y: leak[i] as 0 | 1, x: bern(r, p) }));
      const b = logInnocentLowerBound(pos, tardosScore(pos));
      lowest = Math.min(lowest, b);
      if (b <= level) flagged++;
    }
    expect(flagged).toBeLessThanOrEqual(50);
    // The bound is not vacuous: some innocents do land in the lower tail.
    expect(lowest).toBeLessThan(Math.log(0.5));
    const mine = ps.slice(0, 100).map((p) => bern(r, p));
    const flipped: Position[] = ps.slice(0, 100).map((p, i) => ({ p, y: (1 - (mine[i] as number)) as 0 | 1, x: mine[i] as 0 | 1 }));
    const s = tardosScore(flipped);
    expect(logInnocentBound(flipped, s)).toBe(0);
    expect(logInnocentLowerBound(flipped, s)).toBeLessThan(Math.log(1e-6 / 4 / 10_000));
    expect(logInnocentLowerBound(flipped, -s)).toBe(0);
  });
});
