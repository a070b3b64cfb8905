/**
 * Dumps that repeat records (overlapping manifests, merged lots): the same bits seen twice are one
 * observation. The three cases an outside harness found, then properties over any repetition and shuffle.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, loadOrders, plainOrder, releaseMany, type Custody, type Party } from '../custody/index.ts';
import { renderView, SLOTS, type Bits } from '../fingerprint/index.ts';
import { seeded, shuffle } from '../shared/random.ts';
import { buildSimWorld, releaseToHandlers, SMALL_WORLD, type SimWorld } from '../sim/index.ts';
import { openStore } from '../store/index.ts';
import { at } from '../shared/at.ts';
import type { LeakedRecord } from './dump.ts';
import { investigateDump } from './investigate.ts';

let c: Custody;
let w: SimWorld;
const kind = (k: string): Party[] => w.byKind.get(k) ?? [];
const ordersOf = (p: Party): string[] =>
  w.orders.filter((o) => [o.courier, o.station, o.outlet, o.carrier, o.merchant, o.erp].includes(p.id)).map((o) => o.id);

/** What the consumer sees of an order (or any rendering no party was given): variants fixed by `bits`, not by a party. */
async function unfingerprinted(ids: readonly string[], bits: (i: number) => Bits, phone = true): Promise<LeakedRecord[]> {
  const rows = await loadOrders(c.store.db, ids);
  return rows.map((row, i) => {
    const plain = plainOrder(c, row, '', { name: true, phone: true, address: true });
    const v = renderView(['item', 'time', 'name', 'address'], plain, bits(i));
    const r: LeakedRecord = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    if (phone) r.phone = plain.phone;
    return r;
  });
}

/** A party's own views, as records (what it would leak). */
async function viewsOf(p: Party, ids: readonly string[], strip = false): Promise<LeakedRecord[]> {
  return (await releaseMany(c, p, [...ids])).map((v) => {
    const r: LeakedRecord = {};
    for (const [k, x] of Object.entries(v))
      if (k !== 'virtual_number_expires_at' && !(strip && (k === 'order_no' || k === 'phone'))) r[k as keyof LeakedRecord] = String(x);
    return r;
  });
}

const repeat = <T>(xs: readonly T[], n: number): T[] => Array.from({ length: n }, () => xs).flat();
const zeros = (): Bits => SLOTS.map(() => 0);

beforeAll(async () => {
  c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
  w = await buildSimWorld(c, {
    ...SMALL_WORLD,
    seed: 3,
    orders: 1200,
    merchants: 20,
    erps: 2,
    carriers: 1,
    outletsPerCarrier: 2,
    stationsPerOutlet: 2,
    couriersPerStation: 2,
  });
  await releaseToHandlers(c, w, w.orders, 3);
});
afterAll(() => c.close());

describe('a dump that repeats records', () => {
  it('25 consumer-side lines repeated 8 times accuse nobody', async () => {
    const ids = shuffle(seeded(1), w.orders)
      .slice(0, 25)
      .map((o) => o.id);
    const dump = shuffle(seeded(2), repeat(await unfingerprinted(ids, zeros), 8));
    const inv = await investigateDump(c, dump);
    expect(inv.accused).toEqual([]);
    expect(inv.records).toBe(200);
    expect(inv.orders).toBe(25);
  });

  it('a courier’s 5 orders repeated 40 times accuse the courier and nobody else', async () => {
    const courier = at(kind('courier'), 0);
    const dump = shuffle(seeded(3), repeat(await viewsOf(courier, ordersOf(courier).slice(0, 5)), 40));
    const inv = await investigateDump(c, dump);
    expect(inv.accused.map((a) => a.party)).toEqual([courier.id]);
    expect(inv.orders).toBe(5);
    expect(inv.accused[0]?.evidence.aliases).toBe(5);
  });

  it('a station’s 50 records repeated 4 times name the station and nobody else', async () => {
    const station = at(kind('station'), 1);
    const dump = shuffle(seeded(4), repeat(await viewsOf(station, ordersOf(station).slice(0, 50)), 4));
    const inv = await investigateDump(c, dump);
    expect(inv.accused.map((a) => a.party)).toEqual([station.id]);
    expect(inv.orders).toBe(50);
  });

  it('without identifiers, L2 names a station from its repeated records, and counts each order once', async () => {
    const station = at(kind('station'), 0);
    const ids = ordersOf(station).slice(0, 120);
    const once = await investigateDump(c, await viewsOf(station, ids, true));
    const thrice = await investigateDump(c, shuffle(seeded(5), repeat(await viewsOf(station, ids, true), 3)));
    expect(once.accused.map((a) => [a.party, a.channel])).toEqual([[station.id, 'L2']]);
    expect(thrice.accused.map((a) => a.party)).toEqual([station.id]);
    // The same orders give the same evidence however often they repeat.
    expect(thrice.accused[0]?.evidence).toEqual(once.accused[0]?.evidence);
  });
});

describe('properties over repetition and shuffling', () => {
  const bitsArb = fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: SLOTS.length, maxLength: SLOTS.length });

  it('records no party leaked, repeated any number of times and shuffled, accuse nobody', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat(w.orders.length - 1), { minLength: 1, maxLength: 40 }),
        fc.array(bitsArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.integer(),
        async (picks, patterns, times, phone, seed) => {
          const ids = picks.map((i) => (w.orders[i] as { id: string }).id);
          // Each pattern is one rendering of the orders that no party received (the consumer's own, a
          // random one): repeated and mixed, they disagree with each other on some slots.
          const rendered = (await Promise.all(patterns.map((b) => unfingerprinted(ids, () => b, phone)))).flat();
          const inv = await investigateDump(c, shuffle(seeded(seed), repeat(rendered, times)));
          expect(inv.accused).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a leak plus its own repetition, merged with innocent rows, accuses exactly the leaker', async () => {
    const leakers = [...kind('courier'), ...kind('station'), ...kind('erp')].filter((p) => ordersOf(p).length >= 20);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(leakers.length - 1),
        fc.integer({ min: 3, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 30 }),
        bitsArb,
        fc.integer(),
        async (who, n, times, others, bits, seed) => {
          const leaker = at(leakers, who);
          const rand = seeded(seed);
          const ids = shuffle(rand, ordersOf(leaker)).slice(0, n);
          const mine = new Set(ordersOf(leaker));
          const elsewhere = shuffle(
            rand,
            w.orders.filter((o) => !mine.has(o.id)),
          )
            .slice(0, others)
            .map((o) => o.id);
          // Innocent rows: other orders, and the consumer's side of some leaked orders (conflicting slots).
          const innocent = await unfingerprinted([...elsewhere, ...ids.slice(0, Math.floor(n / 2))], () => bits);
          const dump = shuffle(rand, [...repeat(await viewsOf(leaker, ids), times), ...innocent]);
          const inv = await investigateDump(c, dump);
          expect(inv.accused.map((a) => a.party)).toEqual([leaker.id]);
        },
      ),
      { numRuns: 20 },
    );
  });
});
