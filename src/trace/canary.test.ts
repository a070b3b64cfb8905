import { describe, expect, it } from 'vitest';
import { logHypergeometricTail } from './canary.ts';

describe('the exact test behind canary orders', () => {
  it('matches hypergeometric tails computed by hand', () => {
    // 10 items, 3 marked, draw 4: P[X >= 2] = (C(3,2)C(7,2) + C(3,3)C(7,1)) / C(10,4) = (63 + 7) / 210.
    expect(Math.exp(logHypergeometricTail(10, 3, 4, 2))).toBeCloseTo(70 / 210, 12);
    expect(logHypergeometricTail(10, 3, 4, 0)).toBe(0);
    expect(logHypergeometricTail(10, 3, 4, 4)).toBe(-Infinity);
  });
});
