import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntry, verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { decryptOrder, releaseKeys, releaseMany, releaseView } from './index.ts';
import { buildWorld, type World } from './test-world.ts';

describe.each(BACKENDS)('order chains on $name', ({ open }) => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.c.close();
    w = undefined;
  });

  /** Each order's release and decrypt entries, in ledger order, as [index, prev]. */
  const chains = async (world: World): Promise<Map<string, [number, number | null | undefined][]>> => {
    const rows = await world.c.store.db.selectFrom('ledger').select(['idx', 'leaf']).orderBy('idx').execute();
    const out = new Map<string, [number, number | null | undefined][]>();
    for (const r of rows) {
      const e = decodeEntry(r.leaf);
      if (e.t !== 'release' && e.t !== 'decrypt') continue;
      out.set(e.order, [...(out.get(e.order) ?? []), [r.idx, e.prev]]);
    }
    return out;
  };

  it('links every release and decrypt of an order to the one before, across parties, repeats and batches', async () => {
    w = await buildWorld(await open(), 4);
    const [o0, o1, o2] = w.orderIds as [string, string, string];
    await releaseView(w.c, w.merchant, o0);
    await releaseMany(w.c, w.courier, [o0, o2]);
    await releaseView(w.c, w.merchant, o0);
    await decryptOrder(w.c, w.cs, o0, 'refund');
    await releaseMany(w.c, w.courier2, [o1]);
    await releaseMany(w.c, w.courier, [o0, o2]);
    for (const chain of (await chains(w)).values())
      chain.forEach(([, prev], k) => {
        expect(prev).toBe(k === 0 ? null : chain[k - 1]?.[0]);
      });
    expect([...(await chains(w)).values()].map((c) => c.length).sort()).toEqual([1, 2, 5]);
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).problems).toEqual([]);
  });

  it('names a stored head moved back, and the record the next write then leaves out of the chain', async () => {
    w = await buildWorld(await open(), 2);
    const o0 = w.orderIds[0] as string;
    await releaseView(w.c, w.merchant, o0);
    await releaseView(w.c, w.courier, o0);
    const first = (await w.c.store.db.selectFrom('order_chain').select('head').where('order_id', '=', o0).executeTakeFirstOrThrow()).head;
    // A database writer moves the head back one record, to hide the courier's view from the consumer.
    await w.c.store.db
      .updateTable('order_chain')
      .set({ head: first - 1 })
      .where('order_id', '=', o0)
      .execute();
    await w.c.ledger.checkpoint();
    const moved = await verifyLedger(w.c.store, w.c.ledger.verifierKey());
    expect(moved.ok).toBe(false);
    expect(moved.problems).toEqual([expect.objectContaining({ kind: 'chain', index: first - 1 })]);
    await decryptOrder(w.c, w.cs, o0, 'refund');
    const decrypt = (await w.c.store.db.selectFrom('order_decrypts').select('ledger_idx').executeTakeFirstOrThrow()).ledger_idx;
    await w.c.ledger.checkpoint();
    const forked = await verifyLedger(w.c.store, w.c.ledger.verifierKey());
    expect(forked.problems).toEqual([expect.objectContaining({ kind: 'chain', index: decrypt })]);
    expect(forked.problems[0]?.message).toContain(`but the order's previous chained record is entry ${first}`);
  });

  it('with the keys, names an order whose stored reference was rewritten to hand its records to a planted order', async () => {
    w = await buildWorld(await open(), 2);
    const o0 = w.orderIds[0] as string;
    await releaseView(w.c, w.merchant, o0);
    await decryptOrder(w.c, w.cs, o0, 'refund');
    await w.c.ledger.checkpoint();
    const clean = await verifyLedger(w.c.store, w.c.ledger.verifierKey(), { releases: releaseKeys(w.c) });
    expect(clean.problems).toEqual([]);
    // A database writer gives order 0's reference to a planted copy and moves every row of order 0 onto it, so
    // a server that trusted stored references would show order 0 as seen by nobody.
    const db = w.c.store.db;
    const row = await db.selectFrom('orders').selectAll().where('id', '=', o0).executeTakeFirstOrThrow();
    await db
      .updateTable('orders')
      .set({ ref: 'f'.repeat(32) })
      .where('id', '=', o0)
      .execute();
    await db
      .insertInto('orders')
      .values({ ...row, id: 'o_planted', platform_order_id: 'PLANTED' })
      .execute();
    for (const table of ['order_chain', 'order_decrypts', 'releases'] as const)
      await db.updateTable(table).set({ order_id: 'o_planted' }).where('order_id', '=', o0).execute();
    const report = await verifyLedger(w.c.store, w.c.ledger.verifierKey(), { releases: releaseKeys(w.c) });
    const messages = report.problems.filter((p) => p.kind === 'chain').map((p) => p.message);
    expect(messages.filter((m) => m.includes('stored ledger reference is not its own'))).toHaveLength(2);
    expect(messages.some((m) => m.includes("o_planted's stored chain head"))).toBe(true);
    expect(messages.some((m) => m.includes('an order_decrypts row of another party or order'))).toBe(true);
    expect(messages.some((m) => m.includes('no stored chain head'))).toBe(true);
  });

  it('names a record written without a link once records are chained, a decrypt without its row, and a chained order whose head was deleted', async () => {
    w = await buildWorld(await open(), 2);
    const [o0, o1] = w.orderIds as [string, string];
    await releaseView(w.c, w.merchant, o0);
    // A database writer deletes order 0's head; a record of order 1 is then written as if chains did not exist.
    await w.c.store.db.deleteFrom('order_chain').where('order_id', '=', o0).execute();
    const at = new Date().toISOString();
    const ref = (await w.c.store.db.selectFrom('orders').select('ref').where('id', '=', o1).executeTakeFirstOrThrow()).ref;
    const agent = w.cs.id;
    const idx = await w.c.ledger.write((_trx, log) =>
      Promise.resolve(log.add({ t: 'decrypt', at, party: agent, order: ref, fields: [], reason: 'refund', note: '', kv: 1 })),
    );
    await w.c.ledger.checkpoint();
    const report = await verifyLedger(w.c.store, w.c.ledger.verifierKey());
    expect(report.problems.map((p) => [p.kind, p.index])).toEqual([
      ['chain', idx],
      ['chain', idx],
      ['chain', idx - 1],
    ]);
    // Written past custody, the decrypt has no order_decrypts row either, which finds it on the page.
    expect(report.problems[1]?.message).toContain('no order_decrypts row');
    expect(report.problems[2]?.message).toContain('no stored chain head');
  });
});
