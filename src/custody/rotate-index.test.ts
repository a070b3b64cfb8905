import { afterEach, describe, expect, it } from 'vitest';
import type { ReputationKind } from '../check/index.ts';
import { createCase, reindexCases, reportedIdentifiers } from '../cases/index.ts';
import { caseInputSchema } from '../cases/schema.ts';
import { decodeEntry, verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { mapRecords, recordCanaryHit } from '../trace/index.ts';
import { lookupIdentifier, reindexSubjects, reportIdentifiers } from '../verify/index.ts';
import { custodyOn } from './context.ts';
import { ingestOrders } from './orders.ts';
import { numberIndex } from './numbers.ts';
import { orderRef, phoneIndex } from './refs.ts';
import { releaseView } from './release.ts';
import { rotateIndexKey, type IndexRebuilder } from './rotate-index.ts';
import { buildWorld, sampleOrder, type World } from './test-world.ts';

/** A synthetic case by the consumer of the world's first order (13900000000). */
const FACTS = {
  victim: { name: '测试报案人', phone: '139 0000 0000', region: '浙江省杭州市' },
  claimed: '测试平台客服',
  contacted_at: '2026-11-25T02:10:00Z',
  scammer: { numbers: ['+86 171 2345 6789'], accounts: [{ kind: 'alipay', value: 'pianzi@example.com', holder: '王某' }], links: [] },
  transfers: [{ at: '2026-11-25T02:40:00Z', amount_yuan: 4999.5, method: 'alipay', to: { kind: 'alipay', value: 'pianzi@example.com' } }],
  timeline: [],
  order: { platform_order_id: 'T00000000' },
  narrative: '对方自称测试平台客服，说出了我的订单信息，诱导我转账。',
  consent: true,
};

const REBUILDERS = [reindexCases, reindexSubjects];

describe.each(BACKENDS)('index-key rotation on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  const ordersNow = (): Promise<{ id: string; phone_bidx: string; address_bidx: string; ref: string }[]> =>
    w.c.store.db.selectFrom('orders').select(['id', 'phone_bidx', 'address_bidx', 'ref']).orderBy('platform_order_id').execute();

  it('re-indexes orders, releases, canaries, cases and reputation in one logged transaction; every lookup finds what it did', async () => {
    w = await buildWorld(await open(), 3);
    const [first, second] = w.orderIds as [string, string];
    const view = await releaseView(w.c, w.courier, first);
    const kase = await createCase(w.c, FACTS);
    const reported = reportedIdentifiers(caseInputSchema.parse(FACTS));
    const reputation = await Promise.all(reported.map((r) => lookupIdentifier(w.c, r.kind, r.value)));
    expect(reputation.map((r) => r.reports)).toEqual(reported.map(() => 1));
    const secondRow = (await ordersNow())[1] as { phone_bidx: string };
    await w.c.store.db
      .insertInto('canaries')
      .values({
        order_id: second,
        phone_bidx: secondRow.phone_bidx,
        planted_by: w.platform.id,
        planted_at: '2026-11-20T00:00:00.000Z',
        hit_at: null,
        hit_source: null,
      })
      .execute();
    const before = await ordersNow();
    const stale = await custodyOn(w.c.store, w.master);
    const size = w.c.ledger.size;

    const r = await rotateIndexKey(w.c, 'test', REBUILDERS);
    expect(r).toEqual({ from: 1, to: 2, orders: 3, values: 2 + reported.length });
    const after = await ordersNow();
    expect(after.map((o) => o.phone_bidx)).toEqual(['13900000000', '13900000001', '13900000002'].map((p) => phoneIndex(w.c.keyring, p)));
    for (const [i, o] of after.entries()) {
      expect(o.phone_bidx).not.toBe(before[i]?.phone_bidx);
      expect(o.address_bidx).not.toBe(before[i]?.address_bidx);
      // Ledger references never change: they stay under version 1.
      expect(o.ref).toBe(before[i]?.ref);
      expect(orderRef(w.c.keyring, o.id)).toBe(o.ref);
    }
    const released = await w.c.store.db.selectFrom('releases').select(['order_id', 'phone_bidx']).execute();
    expect(released).toEqual([{ order_id: first, phone_bidx: after[0]?.phone_bidx }]);
    // The release's number index is rebuilt under the new key from the sealed number.
    const rel = await w.c.store.db.selectFrom('releases').selectAll().executeTakeFirstOrThrow();
    expect(rel.vn_bidx).toBe(numberIndex(w.c.keyring, rel.phone_bidx, String(view.phone).replace(/\D/g, '')));

    // The party's view is found again (not released anew), the case merges, the reports are the same subjects.
    expect(await releaseView(w.c, w.courier, first)).toEqual(view);
    expect(await w.c.store.db.selectFrom('releases').select('order_id').execute()).toHaveLength(1);
    const again = await createCase(w.c, FACTS);
    expect([again.id, again.merged]).toEqual([kase.id, true]);
    expect((await Promise.all(reported.map((x) => lookupIdentifier(w.c, x.kind, x.value)))).map((x) => x.reports)).toEqual(
      reported.map(() => 1),
    );
    expect(await recordCanaryHit(w.c, '+8613900000001', 'test')).toEqual({ order: second, orders: [second], first: true });
    expect(await mapRecords(w.c, [{ address: view.address as string }])).toMatchObject([{ orderId: first, via: 'address' }]);

    // A process that loaded the keyring before the rotation indexes under the new key from its next write or lookup.
    expect((await lookupIdentifier(stale, reported[0]?.kind ?? 'phone', reported[0]?.value ?? '')).reports).toBe(1);
    const [fresh] = await ingestOrders(stale, w.platform, [{ ...sampleOrder(w, 10_000), platform_order_id: 'T90000000' }]);
    const row = await w.c.store.db
      .selectFrom('orders')
      .select('phone_bidx')
      .where('id', '=', (fresh as { id: string }).id)
      .executeTakeFirstOrThrow();
    expect(row.phone_bidx).toBe(after[0]?.phone_bidx);

    const leaves = await w.c.store.db.selectFrom('ledger').select('leaf').where('idx', '>=', size).orderBy('idx').execute();
    expect(decodeEntry((leaves[0] as { leaf: string }).leaf)).toMatchObject({
      t: 'key_rotation',
      purpose: 'index',
      from: 1,
      to: 2,
      rows: 3,
    });
    const versions = await w.c.store.db
      .selectFrom('keyring')
      .select(['version', 'retired_at'])
      .where('purpose', '=', 'index')
      .orderBy('version')
      .execute();
    expect(versions.map((v) => [v.version, v.retired_at !== null])).toEqual([
      [1, true],
      [2, false],
    ]);
    await w.c.ledger.checkpoint();
    expect((await verifyLedger(w.c.store, w.c.ledger.verifierKey())).ok).toBe(true);
  });

  it('holds back a write that starts during the rotation, which then indexes under the new key', async () => {
    w = await buildWorld(await open(), 1);
    const stale = await custodyOn(w.c.store, w.master);
    const [reported] = reportedIdentifiers(caseInputSchema.parse(FACTS)) as [{ kind: ReputationKind; value: string }];
    let entered = (): void => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The last rebuilder keeps the rotation's transaction open until the write has been started.
    const holding: IndexRebuilder = async () => {
      entered();
      await gate;
      return 0;
    };
    const rotation = rotateIndexKey(w.c, 'test', [...REBUILDERS, holding]);
    await inside;
    const write = reportIdentifiers(stale, [reported], { reporter: 'party:test', source: 'party' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await rotation;
    expect((await write)[0]?.counted).toBe(true);
    expect((await lookupIdentifier(w.c, reported.kind, reported.value)).reports).toBe(1);
    expect(await w.c.store.db.selectFrom('rep_subjects').select('id').execute()).toHaveLength(1);
  });

  it('changes nothing when a rebuild fails', async () => {
    w = await buildWorld(await open(), 2);
    await createCase(w.c, FACTS);
    const before = await ordersNow();
    const size = w.c.ledger.size;
    const broken = (): Promise<number> => Promise.reject(new Error('rebuild failed'));
    await expect(rotateIndexKey(w.c, 'test', [reindexCases, broken])).rejects.toThrow('rebuild failed');
    expect(await ordersNow()).toEqual(before);
    expect([w.c.keyring.version('index'), w.c.ledger.size]).toEqual([1, size]);
    expect((await createCase(w.c, FACTS)).merged).toBe(true);
    expect(await w.c.store.db.selectFrom('keyring').select('version').where('purpose', '=', 'index').execute()).toHaveLength(1);
  });
});
