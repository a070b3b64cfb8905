import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bias } from '../fingerprint/index.ts';
import { mergeBits } from './collapse.ts';
import { log10AliasBound, log10NumberBound } from './investigate.ts';
import { bitProbability } from './tardos.ts';

describe('merging an order’s copies', () => {
  it('keeps agreeing slots, fills erased ones, and erases a slot whose copies disagree for good', () => {
    expect(mergeBits([[1, null, 0, 1]])).toEqual([1, null, 0, 1]);
    expect(
      mergeBits([
        [1, null, 0, 1],
        [1, 0, null, 0],
        [null, null, 0, 1],
      ]),
    ).toEqual([1, 0, 0, null]);
  });

  it('gives the same bits whatever the order of the copies and however often each repeats', () => {
    const bit = fc.constantFrom<0 | 1 | null>(0, 1, null);
    fc.assert(
      fc.property(fc.array(fc.array(bit, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 6 }), fc.nat(5), (copies, k) => {
        const once = mergeBits(copies);
        const shuffled = [...copies.slice(k % copies.length), ...copies.slice(0, k % copies.length)];
        expect(mergeBits([...shuffled, ...copies])).toEqual(once);
      }),
    );
  });
});

describe('the bit probabilities and L1 bounds', () => {
  it('scores with the exact probability of the 16-bit draw u < p', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => {
        const p = bias(u);
        let ones = 0;
        for (let k = 0; k < 65536; k++) if ((k + 0.5) / 65536 < p) ones++;
        expect(bitProbability(p)).toBe(ones / 65536);
      }),
      { numRuns: 30 },
    );
  });

  it('grow with the numbers probed and the entries they could decipher to, and fall with distinct hits', () => {
    expect(log10AliasBound(1, 100, 1e6, 2)).toBeCloseTo(2 + 6 + Math.log10(2) - 18, 9);
    expect(log10AliasBound(1, 100, 1e8, 2)).toBeGreaterThan(log10AliasBound(1, 100, 1e6, 2));
    expect(log10AliasBound(2, 100, 1e6, 2)).toBeLessThan(log10AliasBound(1, 100, 1e6, 2));
    expect(log10AliasBound(0, 100, 1e6, 2)).toBe(0);
    // Three hits among orders carrying 60 numbers in all, against a pool of 100,000: (60/1e5)^3 / 3!.
    expect(log10NumberBound(3, 60, 100_000)).toBeCloseTo(3 * Math.log10(60 / 100_000) - Math.log10(6), 9);
    expect(log10NumberBound(1, 200_000, 100_000)).toBe(0);
  });
});
