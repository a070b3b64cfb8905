import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, releaseEncoder, type LedgerEntry } from './entry.ts';
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
  {
    t: 'export',
    at: '2026-11-29T04:00:00.000Z',
    party: 'station_1',
    orders: 3,
    manifest: 'ab',
    fields: ['name'],
    fp: 1,
    key: '0123456789ab',
  },
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
  it('encode one release call’s entries from what they share exactly as one by one', () => {
    const awkward = ['courier_1', '平台 "A"\n\u2028', '\\x'];
    for (const party of awkward)
      for (const order of ['ab12', '"q"\t'])
        for (const [fp, kv, key, prev] of [
          [1, 2, undefined, null],
          [0, 1e6, '0123456789ab', 41],
        ] as const) {
          const common = { at: '2026-11-29T04:00:00.000Z', party, fields: ['order_no', 'name', party], key };
          const own = { order, variants: 'ff' + party, vn: '17000000001', fp, kv, prev };
          for (const index of [0, 7, 2 ** 40])
            expect(releaseEncoder(common)(index, own)).toBe(
              encodeEntry(index, {
                t: 'release',
                at: common.at,
                party,
                order,
                fields: [...common.fields],
                variants: own.variants,
                vn: own.vn,
                fp,
                kv,
                prev,
                ...(key === undefined ? {} : { key }),
              }),
            );
        }
  });
});
