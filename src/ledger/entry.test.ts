import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, type LedgerEntry } from './entry.ts';
import { leafHash, leafHashOfText } from './merkle.ts';

const ENTRIES: LedgerEntry[] = [
  {
    t: 'release',
    at: '2026-11-29T04:00:00.000Z',
    party: 'courier_1',
    order: 'ab12',
    fields: ['order_no', 'name'],
    variants: 'ff',
    vn: '17000000001',
    fp: 1,
    kv: 2,
  },
  { t: 'registry', at: '2026-11-29T04:00:00.000Z', party: '平台 "A"\n', action: 'add', subject: '\u2028x' },
];

describe('ledger entries', () => {
  it('encode as the entry with its index first, byte for byte what JSON.stringify gives', () => {
    for (const [i, e] of ENTRIES.entries())
      for (const index of [0, 7, 2 ** 40]) {
        const text = encodeEntry(index + i, e);
        expect(text).toBe(JSON.stringify({ i: index + i, ...e }));
        expect(decodeEntry(text)).toEqual({ i: index + i, ...e });
        expect(leafHashOfText(text)).toEqual(leafHash(Buffer.from(text, 'utf8')));
      }
  });
});
