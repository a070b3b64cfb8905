import { afterEach, describe, expect, it } from 'vitest';
import { parsePool } from '../fingerprint/index.ts';
import { verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { investigateDump } from '../trace/index.ts';
import { custodyOn } from './context.ts';
import { numberIndex, openNumber } from './numbers.ts';
import { releaseKeys } from './release-keys.ts';
import { releaseMany } from './release.ts';
import { rotateDataKey } from './rotate.ts';
import { rotateIndexKey } from './rotate-index.ts';
import { buildWorld, type World } from './test-world.ts';

const digits = (v: unknown): string => String(v).replace(/\D/g, '');

describe.each(BACKENDS)('virtual numbers kept sealed, on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  const rowsOf = (party: string) =>
    w.c.store.db.selectFrom('releases').selectAll().where('party_id', '=', party).orderBy('order_id').execute();

  it('a release row keeps its number sealed, found by a per-consumer index; nothing in the table shows it', async () => {
    w = await buildWorld(await open(), 6);
    const views = await releaseMany(w.c, w.station, w.orderIds);
    const numbers = views.map((v) => digits(v.phone));
    const table = JSON.stringify(await w.c.store.db.selectFrom('releases').selectAll().execute());
    for (const n of numbers) expect(table).not.toContain(n);
    const rows = await rowsOf(w.station.id);
    const opened = rows.map((r) => openNumber(w.c.keyring, r)).sort();
    expect(opened).toEqual([...numbers].sort());
    for (const r of rows) expect(r.vn_bidx).toBe(numberIndex(w.c.keyring, r.phone_bidx, openNumber(w.c.keyring, r)));
    // One consumer, one number: the same number bound to another consumer has another index.
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(numberIndex(w.c.keyring, a.phone_bidx, '17000000000')).not.toBe(numberIndex(w.c.keyring, b.phone_bidx, '17000000000'));
  });

  it('never gives a consumer a number it held before while the pool has another; reuses an expired one only when it must', async () => {
    w = await buildWorld(await open(), 1);
    const order = w.orderIds[0] as string;
    const pool = parsePool('17000000000-17000000002');
    await releaseMany(w.c, w.station, [order], pool);
    await releaseMany(w.c, w.outlet, [order], pool);
    // Both bindings end; the courier's number is the third, whichever number its pick starts from.
    await w.c.store.db.updateTable('releases').set({ vn_expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    await releaseMany(w.c, w.courier, [order], pool);
    const held = async (): Promise<string[]> =>
      (await w.c.store.db.selectFrom('releases').selectAll().execute()).map((r) => openNumber(w.c.keyring, r));
    expect(new Set(await held()).size).toBe(3);
    // All three held once and none bound now: a fourth party reuses one rather than failing.
    await w.c.store.db.updateTable('releases').set({ vn_expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    await releaseMany(w.c, w.merchant, [order], pool);
    expect(new Set(await held()).size).toBe(3);
    // With every number bound now, the pool is exhausted for this consumer.
    await w.c.store.db.updateTable('releases').set({ vn_expires_at: '2999-01-01T00:00:00.000Z' }).execute();
    await expect(releaseMany(w.c, w.erp, [order], pool)).rejects.toThrow(/pool exhausted/);
  });

  it('adopts rows written with a clear number when a process opens the store', async () => {
    w = await buildWorld(await open(), 3);
    const views = await releaseMany(w.c, w.station, w.orderIds);
    for (const r of await rowsOf(w.station.id))
      await w.c.store.db
        .updateTable('releases')
        .set({ virtual_number: openNumber(w.c.keyring, r), vn_bidx: null })
        .where('ledger_idx', '=', r.ledger_idx)
        .execute();
    const again = await custodyOn(w.c.store, w.master);
    const rows = await rowsOf(w.station.id);
    for (const r of rows) {
      expect(r.virtual_number).toMatch(/^\d+\./);
      expect(r.vn_bidx).toBe(numberIndex(again.keyring, r.phone_bidx, openNumber(again.keyring, r)));
    }
    expect((await releaseMany(again, w.station, w.orderIds)).map((v) => v.phone)).toEqual(views.map((v) => v.phone));
  });

  it('data-key rotation re-seals the numbers; trace and verify read them after', async () => {
    w = await buildWorld(await open(), 24);
    const ids = w.orderIds.filter((_, i) => i % 2 === 0);
    const views = await releaseMany(w.c, w.courier, ids);
    await rotateDataKey(w.c, 'test');
    for (const r of await rowsOf(w.courier.id)) expect(r.virtual_number).toMatch(/^2\./);
    const dump = views.map((v) => JSON.stringify({ name: v.name, address: v.address, phone: v.phone })).join('\n');
    const inv = await investigateDump(w.c, dump);
    expect(inv.accused.find((a) => a.party === w.courier.id)?.evidence.virtual_numbers).toBe(ids.length);
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey(), { releases: releaseKeys(w.c) })).ok).toBe(true);
  });

  it('an index or sealed number copied from another party’s row frames nobody', async () => {
    w = await buildWorld(await open(), 24);
    const ids = w.orderIds.filter((_, i) => i % 2 === 0);
    const views = await releaseMany(w.c, w.courier, ids);
    await releaseMany(w.c, w.station, ids);
    const dump = views.map((v) => JSON.stringify({ name: v.name, address: v.address, phone: v.phone })).join('\n');
    // Whoever holds the database copies the courier's index onto the station's rows of the same orders, then
    // the sealed numbers as well.
    const courier = new Map((await rowsOf(w.courier.id)).map((r) => [r.order_id, r]));
    for (const r of await rowsOf(w.station.id))
      await w.c.store.db
        .updateTable('releases')
        .set({ vn_bidx: courier.get(r.order_id)?.vn_bidx ?? null })
        .where('ledger_idx', '=', r.ledger_idx)
        .execute();
    const byIndex = await investigateDump(w.c, dump);
    expect(byIndex.accused.map((a) => a.party)).toEqual([w.courier.id]);
    for (const r of await rowsOf(w.station.id))
      await w.c.store.db
        .updateTable('releases')
        .set({ virtual_number: courier.get(r.order_id)?.virtual_number ?? '' })
        .where('ledger_idx', '=', r.ledger_idx)
        .execute();
    const bySeal = await investigateDump(w.c, dump);
    expect(bySeal.accused.map((a) => a.party)).toEqual([w.courier.id]);
    await w.c.ledger.checkpoint();
    const report = await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey(), { releases: releaseKeys(w.c) });
    expect(report.problems.map((p) => p.message.replace(/^.*?: /, '')).sort()).toEqual(
      ids.map(() => 'disagrees with its ledger leaf: its virtual number does not open for this row'),
    );
  });

  it('adopts no row its ledger leaf does not bind: a guessed number in a planted row learns nothing', async () => {
    w = await buildWorld(await open(), 2);
    const [view] = await releaseMany(w.c, w.station, [w.orderIds[0] as string]);
    const [real] = await rowsOf(w.station.id);
    if (!real || !view) throw new Error('a release');
    // Rows for every guess of the station's number, and the real row with a wrong number in clear.
    const guesses = Array.from({ length: 5 }, (_, i) => `1700000000${String(i)}`);
    for (const [i, g] of guesses.entries())
      await w.c.store.db
        .insertInto('releases')
        .values({ ...real, party_id: `junk_${String(i)}`, virtual_number: g, vn_bidx: null, ledger_idx: 10_000 + i })
        .execute();
    await w.c.store.db
      .updateTable('releases')
      .set({ virtual_number: '17000000099', vn_bidx: null })
      .where('ledger_idx', '=', real.ledger_idx)
      .execute();
    const again = await custodyOn(w.c.store, w.master);
    const indexes = await w.c.store.db.selectFrom('releases').select(['ledger_idx', 'vn_bidx']).execute();
    expect(indexes.every((r) => r.vn_bidx === null)).toBe(true);
    const report = await verifyLedger(again.store, again.ledger.firstVerifierKey(), { releases: releaseKeys(again) });
    expect(report.problems.find((p) => p.index === real.ledger_idx)?.message).toMatch(/the leaf records another virtual number/);
    // The true number in clear is adopted: it is what the leaf binds.
    await w.c.store.db.deleteFrom('releases').where('ledger_idx', '>=', 10_000).execute();
    await w.c.store.db
      .updateTable('releases')
      .set({ virtual_number: digits(view.phone) })
      .where('ledger_idx', '=', real.ledger_idx)
      .execute();
    const third = await custodyOn(w.c.store, w.master);
    expect((await rowsOf(w.station.id))[0]?.vn_bidx).toBe(numberIndex(third.keyring, real.phone_bidx, digits(view.phone)));
  });

  it('a removed index hides no leaker, frees no live number, and is named', async () => {
    w = await buildWorld(await open(), 24);
    const ids = w.orderIds.filter((_, i) => i % 2 === 0);
    const views = await releaseMany(w.c, w.courier, ids);
    await w.c.store.db.updateTable('releases').set({ vn_bidx: null }).where('party_id', '=', w.courier.id).execute();
    await w.c.ledger.checkpoint();
    const dump = views.map((v) => JSON.stringify({ name: v.name, address: v.address, phone: v.phone })).join('\n');
    const inv = await investigateDump(w.c, dump);
    expect(inv.accused.find((a) => a.party === w.courier.id)?.evidence.virtual_numbers).toBe(ids.length);
    const report = await verifyLedger(w.c.store, w.c.ledger.firstVerifierKey(), { releases: releaseKeys(w.c) });
    expect(report.problems).toHaveLength(ids.length);
    for (const p of report.problems) expect(p.message).toMatch(/has no number index/);
    // One number, bound now to the courier's consumer: another party cannot be given it.
    const order = ids[0] as string;
    await expect(releaseMany(w.c, w.station, [order], parsePool(`${digits(views[0]?.phone)}-${digits(views[0]?.phone)}`))).rejects.toThrow(
      /pool exhausted/,
    );
  });

  it('a row whose number does not open stops neither the service nor a rotation', async () => {
    w = await buildWorld(await open(), 3);
    await releaseMany(w.c, w.station, w.orderIds);
    const [a, b] = await rowsOf(w.station.id);
    if (!a || !b) throw new Error('two releases');
    await w.c.store.db
      .updateTable('releases')
      .set({ virtual_number: a.virtual_number, vn_bidx: null })
      .where('ledger_idx', '=', b.ledger_idx)
      .execute();
    const again = await custodyOn(w.c.store, w.master);
    const rotated = await rotateDataKey(again, 'test');
    expect(rotated.unopened).toBe(1);
    await rotateIndexKey(again, 'test', []);
    const after = await rowsOf(w.station.id);
    expect(after.filter((r) => r.vn_bidx === null).map((r) => r.ledger_idx)).toEqual([b.ledger_idx]);
    await again.ledger.checkpoint();
    const report = await verifyLedger(again.store, again.ledger.firstVerifierKey(), { releases: releaseKeys(again) });
    expect(report.problems.map((p) => p.index)).toEqual([b.ledger_idx]);
    expect(report.problems[0]?.message).toMatch(/does not open for this row/);
  });

  it('rows planted without an index cannot steer which number a party is given', async () => {
    w = await buildWorld(await open(), 2);
    const order = w.orderIds[0] as string;
    const [real] = await releaseMany(w.c, w.outlet, [order]);
    const [row] = await rowsOf(w.outlet.id);
    if (!real || !row) throw new Error('a release');
    // Every number of a two-number pool planted as live, unindexed rows of this consumer: counted, they would exhaust it.
    for (const [i, n] of ['17000000000', '17000000001'].entries())
      await w.c.store.db
        .insertInto('releases')
        .values({ ...row, party_id: `planted_${String(i)}`, virtual_number: n, vn_bidx: null, ledger_idx: 50_000 + i })
        .execute();
    const [view] = await releaseMany(w.c, w.station, [order], parsePool('17000000000-17000000001'));
    expect(digits(view?.phone)).not.toBe(digits(real.phone));
  });
});
