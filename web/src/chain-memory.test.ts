import { describe, expect, it } from 'vitest';
import type { OrderAccess, ProofReport } from '../../src/supervise/browser.ts';
import { chainKey, hidesRemembered, linkKey, type Remembered } from './chain-memory.ts';

const answer = (number: string, platform = '测试平台'): OrderAccess =>
  ({ order: { platform, platform_order_id: number, ordered_at: '', item: '' } }) as unknown as OrderAccess;
const chain = (entries: number[], complete = true): ProofReport['chain'] => ({
  ok: true,
  records: entries.length,
  entries,
  latestAt: null,
  unchained: 0,
  complete,
});

describe('the device’s memory of order chains', () => {
  it('keys an order by its number alone, with look-alikes folded together', () => {
    const key = chainKey(answer('T00000000'));
    for (const n of ['T0000000O', 'T00000000\u200b', 'T0000\u034f0000', 'Ｔ00000000'])
      expect(chainKey(answer(n, '測試平台\u2800'))).toBe(key);
    // Pairs that render alike meet whichever way they are written; pairs that do not, do not.
    const same = [
      ['JDcl1', 'JDcI1', 'JDd1'],
      ['vw', 'vvv', 'wv'],
      ['rnm', 'mrn', 'rnrn'],
      ['VV', 'W', 'vv'],
      ['S0', 's0', '5O'],
      ['PO1', 'PQ1', 'P01'],
    ];
    for (const group of same) expect(new Set(group.map((n) => chainKey(answer(n)))).size).toBe(1);
    for (const [a, b] of [
      ['CL1', 'D1'],
      ['RN', 'M'],
      ['L', '1'],
      ['T1', 't1'],
      ['T00000001', 'T00000000'],
    ])
      expect(chainKey(answer(a as string))).not.toBe(chainKey(answer(b as string)));
  });

  it('holds an answer to the record remembered under its number, its reference and its link', () => {
    const key = chainKey(answer('T1'));
    const before: Remembered = {
      byKey: new Map([[key, { ref: 'a'.repeat(32), latest: 17 }]]),
      byRef: new Map([['b'.repeat(32), 40]]),
      link: { key: 'gk-order-link:x', seen: null },
    };
    expect(hidesRemembered(before, answer('T1'), 'a'.repeat(32), chain([17, 15]))).toBe(false);
    expect(hidesRemembered(before, answer('T1'), 'a'.repeat(32), chain([15]))).toBe(true);
    // Another order under this number, with every record of its own chain present.
    expect(hidesRemembered(before, answer('TI'), 'c'.repeat(32), chain([99]))).toBe(true);
    // A remembered reference is held whatever number the answer shows.
    expect(hidesRemembered(before, answer('X9'), 'b'.repeat(32), chain([39]))).toBe(true);
    expect(hidesRemembered(before, answer('X9'), 'b'.repeat(32), chain([600, 41], false))).toBe(false);
    expect(hidesRemembered(before, answer('T1'), 'a'.repeat(32), { ok: false, why: 'chain_gap' })).toBe(true);
    // Nothing remembered: a first visit.
    expect(hidesRemembered(before, answer('Z1'), 'd'.repeat(32), chain([]))).toBe(false);
    // Through a link already used, another order is caught whatever number it shows.
    const viaLink: Remembered = { ...before, link: { key: 'gk-order-link:x', seen: { ref: 'e'.repeat(32), latest: 7 } } };
    expect(hidesRemembered(viaLink, answer('Z1'), 'd'.repeat(32), chain([9]))).toBe(true);
    expect(hidesRemembered(viaLink, answer('Z1'), 'e'.repeat(32), chain([9, 7]))).toBe(false);
  });

  it('names a link by a hash of its token, never the token itself', async () => {
    const token = `gko_${'A'.repeat(43)}`;
    const key = await linkKey(token);
    expect(key).toMatch(/^gk-order-link:[0-9a-f]{64}$/);
    expect(key).not.toContain(token.slice(4));
    expect(await linkKey(token)).toBe(key);
  });
});
