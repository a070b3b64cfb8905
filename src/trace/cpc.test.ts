import { describe, expect, it } from 'vitest';
import { logBinomialTail } from './cpc.ts';

describe('the binomial tail behind CPC triage', () => {
  it('matches exact values', () => {
    expect(Math.exp(logBinomialTail(10, 0.5, 8))).toBeCloseTo(56 / 1024, 12);
    expect(Math.exp(logBinomialTail(20, 0.01, 1))).toBeCloseTo(1 - 0.99 ** 20, 12);
    expect(logBinomialTail(5, 0.1, 0)).toBe(0);
    expect(logBinomialTail(5, 0, 1)).toBe(-Infinity);
  });

  it('stays finite far in the tail', () => {
    const l = logBinomialTail(50, 2e-4, 20);
    expect(Number.isFinite(l)).toBe(true);
    expect(l / Math.LN10).toBeLessThan(-50);
  });
});
