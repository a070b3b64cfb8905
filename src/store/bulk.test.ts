import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertRows } from './bulk.ts';
import { copyField } from './pg-copy.ts';
import { BACKENDS } from './test-stores.ts';

describe('copyField', () => {
  it('escapes what COPY text format gives a meaning to, and nothing else', () => {
    expect(copyField('plain 文字 "quoted"')).toBe('plain 文字 "quoted"');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(42)).toBe('42');
    expect(copyField(2n ** 60n)).toBe('1152921504606846976');
  });
});

for (const backend of BACKENDS)
  describe(`insertRows on ${backend.name}`, () => {
    const leaf = (i: number): string => `{"i":${i},"note":"tab\\there\\\\ \\n \traw\n\r \\N 收件人"}`;
    const row = (i: number) => ({ idx: i, leaf: leaf(i), hash: 'ab'.repeat(32), party: `p\\${i}`, tag: i % 2 === 0 ? null : `t\\${i}` });

    it('writes every value back exactly, whatever characters it holds', async () => {
      const store = await backend.open();
      try {
        await store.db.transaction().execute((trx) => insertRows(store, trx, 'ledger', [0, 1, 2].map(row)));
        const got = await store.db.selectFrom('ledger').selectAll().orderBy('idx').execute();
        expect(got).toEqual([0, 1, 2].map(row));
      } finally {
        await store.close();
      }
    });

    it('writes nothing when a row is refused, and leaves the connection usable', async () => {
      const store = await backend.open();
      try {
        await store.db.transaction().execute((trx) => insertRows(store, trx, 'ledger', [row(0)]));
        await expect(store.db.transaction().execute((trx) => insertRows(store, trx, 'ledger', [row(1), row(2), row(0)]))).rejects.toThrow(
          /duplicate|UNIQUE/i,
        );
        const got = await store.db.selectFrom('ledger').select('idx').execute();
        expect(got.map((r) => r.idx)).toEqual([0]);
        await store.db.transaction().execute((trx) => insertRows(store, trx, 'ledger', [row(1)]));
        expect(await store.db.selectFrom('ledger').select('idx').orderBy('idx').execute()).toEqual([{ idx: 0 }, { idx: 1 }]);
      } finally {
        await store.close();
      }
    });

    it('writes megabytes at once, multi-byte characters throughout', async () => {
      const store = await backend.open();
      try {
        const big = (i: number) => ({ ...row(i), leaf: `${leaf(i)}${'收件人地址'.repeat(200 + (i % 7))}` });
        const ids = Array.from({ length: 1000 }, (_, i) => i);
        await store.db.transaction().execute((trx) => insertRows(store, trx, 'ledger', ids.map(big)));
        expect(await store.db.selectFrom('ledger').selectAll().orderBy('idx').execute()).toEqual(ids.map(big));
      } finally {
        await store.close();
      }
    });

    if (backend.name === 'postgres')
      it('leaves the connection usable when the server refuses a COPY outright', async () => {
        const store = await backend.open();
        try {
          await store.db.connection().execute(async (db) => {
            await expect(db.executeQuery(CompiledQuery.raw('copy ledger (no_such_column) from stdin', ['1\tx\n']))).rejects.toThrow(
              /no_such_column/,
            );
            expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
            await db.transaction().execute((trx) => insertRows(store, trx, 'ledger', [row(5)]));
          });
          expect(await store.db.selectFrom('ledger').selectAll().execute()).toEqual([row(5)]);
        } finally {
          await store.close();
        }
      });
  });
