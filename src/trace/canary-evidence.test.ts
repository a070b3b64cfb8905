import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, releaseKeys, releaseMany, type Custody } from '../custody/index.ts';
import { decodeEntry, verifyLedger } from '../ledger/index.ts';
import { at, must } from '../shared/at.ts';
import { seeded } from '../shared/random.ts';
import { buildSimWorld, SMALL_WORLD, type SimWorld } from '../sim/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { plantCanaries, recordCanaryHit, testCanaryOutcomes, testCanaryRegistry } from './index.ts';

const PLANTED = 400;
const phones = Array.from({ length: PLANTED }, (_, i) => `1991${String(i).padStart(7, '0')}`);

describe.each(BACKENDS)('canary tests read only what the ledger proves, on $name', ({ open }) => {
  let c: Custody;
  let w: SimWorld;
  let planted: string[];
  let rows: { id: string; station_id: string | null; courier_id: string | null }[];
  let leaker: string;
  const leaves = async (t: string): Promise<({ i: number } & Record<string, unknown>)[]> =>
    (await c.store.db.selectFrom('ledger').select('leaf').orderBy('idx').execute())
      .map((r) => decodeEntry(r.leaf) as unknown as { i: number } & Record<string, unknown>)
      .filter((e) => e.t === t);

  /** The monitored number planted on a canary order. */
  const numberOf = (order: string): string => phones[planted.indexOf(order)] as string;

  const canaryProblems = async (): Promise<string[]> =>
    (await verifyLedger(c.store, c.ledger.firstVerifierKey(), { releases: releaseKeys(c) })).problems
      .filter((p) => p.kind === 'canary')
      .map((p) => p.message);

  beforeAll(async () => {
    c = await custodyOn(await open(), randomBytes(32));
    w = await buildSimWorld(c, { ...SMALL_WORLD, orders: 600 });
    const outlet = at(w.byKind.get('outlet') ?? [], 0);
    const merchant = at(w.byKind.get('merchant') ?? [], 0);
    planted = (await plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones })).planted;
    rows = await c.store.db.selectFrom('orders').select(['id', 'station_id', 'courier_id']).where('id', 'in', planted).execute();
    for (const sid of new Set(rows.map((r) => r.station_id)))
      await releaseMany(
        c,
        must(w.parties.get(sid as string), 'station'),
        rows.filter((r) => r.station_id === sid).map((r) => r.id),
      );
    leaker = rows[0]?.station_id as string;
    const station = new Map(rows.map((r) => [r.id, r.station_id]));
    const rand = seeded(11);
    for (const [i, id] of planted.entries())
      if ((station.get(id) === leaker && rand() < 0.7) || rand() < 0.02)
        await recordCanaryHit(c, phones[i] as string, 'monitor', '*', w.platform.id);
  }, 300_000);
  afterAll(() => c.close());

  it('logs each canary with its route committed and each first hit, and the test over the log names the leaker', async () => {
    const plants = await leaves('canary');
    expect(plants).toHaveLength(PLANTED);
    // The route is a commitment: no order reference, station or courier in clear.
    const text = JSON.stringify(plants);
    for (const r of rows.slice(0, 20)) expect(text).not.toContain(r.station_id as string);
    expect(plants.every((e) => typeof e.route === 'string' && e.route.startsWith('c:') && e.party === w.platform.id)).toBe(true);
    const hits = await leaves('canary_hit');
    const registry = await c.store.db.selectFrom('canaries').select(['plant_idx', 'hit_idx']).where('hit_idx', 'is not', null).execute();
    expect(hits.map((h) => h.i).sort((a, b) => a - b)).toEqual(
      registry.map((r) => r.hit_idx).sort((a, b) => (a as number) - (b as number)),
    );
    const r = await testCanaryRegistry(c);
    expect(r.canaries).toBe(PLANTED);
    expect(r.hits).toBe(hits.length);
    expect(r.refused).toEqual([]);
    expect(r.accused.map((a) => a.party)).toEqual([leaker]);
    expect(await canaryProblems()).toEqual([]);
  });

  it('hits written into registry rows without a ledger entry accuse nobody, and are named', async () => {
    const before = await testCanaryRegistry(c);
    const innocent = rows.filter((r) => r.station_id !== leaker).map((r) => r.id);
    const someHit = (await leaves('canary_hit'))[0]?.i as number;
    const saved = await c.store.db.selectFrom('canaries').selectAll().where('order_id', 'in', innocent).execute();
    await c.store.db
      .updateTable('canaries')
      .set({ hit_at: new Date().toISOString(), hit_source: 'forged', hit_idx: someHit })
      .where('order_id', 'in', innocent)
      .execute();
    // The forged hits count for nothing; rows that disagree with the log leave their outlet untested.
    const after = await testCanaryRegistry(c);
    expect(after.accused).toEqual([]);
    expect(after.refused[0]?.problems[0]?.problem).toBe('the registry row names a hit the log does not hold');
    expect(before.accused.map((a) => a.party)).toEqual([leaker]);
    expect((await canaryProblems()).filter((m) => m.includes('is not a hit of this canary')).length).toBeGreaterThan(0);
    for (const r of saved)
      await c.store.db
        .updateTable('canaries')
        .set({ hit_at: r.hit_at, hit_source: r.hit_source, hit_idx: r.hit_idx })
        .where('order_id', '=', r.order_id)
        .execute();
    expect(await canaryProblems()).toEqual([]);
  });

  it('a re-routed canary or a deleted registry row leaves its outlet untested, and says why', async () => {
    const moved = rows.find((r) => r.station_id === leaker) as (typeof rows)[number];
    const other = rows.find((r) => r.station_id !== leaker)?.station_id as string;
    await c.store.db.updateTable('orders').set({ station_id: other }).where('id', '=', moved.id).execute();
    const rerouted = await testCanaryRegistry(c);
    expect(rerouted.accused).toEqual([]);
    expect(rerouted.canaries).toBe(0);
    expect(rerouted.refused[0]?.problems[0]?.problem).toMatch(/differs from the ledger/);
    expect((await canaryProblems()).filter((m) => m.includes(moved.id) && m.includes('not the route'))).toHaveLength(1);
    await c.store.db.updateTable('orders').set({ station_id: leaker }).where('id', '=', moved.id).execute();

    // Dropping canaries that were not hit would tilt the test as surely as adding hits.
    const dropped = await c.store.db.selectFrom('canaries').selectAll().where('hit_idx', 'is', null).limit(5).execute();
    await c.store.db
      .deleteFrom('canaries')
      .where(
        'order_id',
        'in',
        dropped.map((d) => d.order_id),
      )
      .execute();
    const gone = await testCanaryRegistry(c);
    expect(gone.accused).toEqual([]);
    expect(gone.refused[0]?.problems.map((p) => p.problem)).toContain('no registry row claims this canary');
    expect((await canaryProblems()).filter((m) => m.includes('claimed by 0 registry rows'))).toHaveLength(5);
    await c.store.db.insertInto('canaries').values(dropped).execute();
    expect((await testCanaryRegistry(c)).accused.map((a) => a.party)).toEqual([leaker]);
  });

  it('a caller naming canaries cannot choose the design: the test covers the whole outlet, hits it adds are logged as its own', async () => {
    const station = new Map(rows.map((r) => [r.id, r.station_id]));
    const logged = new Set(
      (await c.store.db.selectFrom('canaries').select(['order_id', 'hit_idx']).execute())
        .filter((r) => r.hit_idx !== null)
        .map((r) => r.order_id),
    );
    // The leaker's hit canaries and the others' misses only: a selection by outcome.
    const chosen = planted.filter((id) => (station.get(id) === leaker) === logged.has(id)).slice(0, 60);
    const fresh = planted.find((id) => !logged.has(id) && station.get(id) === leaker) as string;
    const investigator = at(w.byKind.get('outlet') ?? [], 0);
    const r = await testCanaryOutcomes(
      c,
      [
        ...chosen.map((order) => ({ order, hit: logged.has(order) })),
        { order: fresh, hit: true, number: numberOf(fresh) },
        { order: w.orders[0]?.id as string, hit: true },
      ],
      '*',
      investigator.id,
    );
    expect(r.canaries).toBe(PLANTED);
    expect(r.hits_recorded).toBe(1);
    // Hits named without the number called are not recorded by this report (the ledger's own still count).
    expect([...r.hits_unproven].sort()).toEqual(chosen.filter((id) => logged.has(id)).sort());
    expect(r.not_canaries).toEqual([w.orders[0]?.id]);
    const mine = (await leaves('canary_hit')).filter((h) => h.party === investigator.id);
    expect(mine).toHaveLength(1);
  });

  it('an investigator naming canaries as hit without the numbers called records nothing and accuses nobody', async () => {
    const logged = new Set(
      (await c.store.db.selectFrom('canaries').select(['order_id', 'hit_idx']).execute())
        .filter((r) => r.hit_idx !== null)
        .map((r) => r.order_id),
    );
    const station = new Map(rows.map((r) => [r.id, r.station_id]));
    // Every unhit canary of an innocent station claimed as hit, some with a wrong number.
    const innocent = [...new Set(rows.map((r) => r.station_id))].find((s) => s !== leaker);
    const framed = planted.filter((id) => station.get(id) === innocent && !logged.has(id));
    const before = (await leaves('canary_hit')).length;
    const regulator = at(w.byKind.get('regulator') ?? [], 0);
    const r = await testCanaryOutcomes(
      c,
      framed.map((order, i) => ({
        order,
        hit: true,
        ...(i % 2 === 0 ? { number: numberOf(framed[(i + 1) % framed.length] as string) } : {}),
      })),
      '*',
      regulator.id,
    );
    expect(r.hits_recorded).toBe(0);
    expect([...r.hits_unproven].sort()).toEqual([...framed].sort());
    expect((await leaves('canary_hit')).length).toBe(before);
    expect(r.accused).not.toContain(innocent);
  });

  it('a monitored number moved to another canary row records no hit on either, and the outlet goes untested', async () => {
    const unhit = await c.store.db.selectFrom('canaries').select(['order_id', 'phone_ref']).where('hit_idx', 'is', null).execute();
    const station = new Map(rows.map((r) => [r.id, r.station_id]));
    const y = unhit.find((r) => station.get(r.order_id) === leaker) as (typeof unhit)[number];
    const x = unhit.find((r) => station.get(r.order_id) !== leaker) as (typeof unhit)[number];
    await c.store.db.updateTable('canaries').set({ phone_ref: x.phone_ref }).where('order_id', '=', y.order_id).execute();
    await c.store.db.updateTable('canaries').set({ phone_ref: y.phone_ref }).where('order_id', '=', x.order_id).execute();
    const before = (await leaves('canary_hit')).length;
    expect((await recordCanaryHit(c, phones[planted.indexOf(y.order_id)] as string, 'monitor', '*', w.platform.id)).first).toBe(false);
    expect(await leaves('canary_hit')).toHaveLength(before);
    const r = await testCanaryRegistry(c);
    expect(r.accused).toEqual([]);
    expect(r.refused[0]?.problems.map((p) => p.problem)).toContain('the order, number, station or courier differs from the ledger');
    expect((await canaryProblems()).filter((m) => m.includes('not the route'))).toHaveLength(2);
    await c.store.db.updateTable('canaries').set({ phone_ref: y.phone_ref }).where('order_id', '=', y.order_id).execute();
    await c.store.db.updateTable('canaries').set({ phone_ref: x.phone_ref }).where('order_id', '=', x.order_id).execute();
  });

  it('a row marked hit beforehand does not silence the first real hit, and is named until then', async () => {
    const unhit = await c.store.db.selectFrom('canaries').select(['order_id']).where('hit_idx', 'is', null).limit(1).execute();
    const order = unhit[0]?.order_id as string;
    await c.store.db
      .updateTable('canaries')
      .set({ hit_at: new Date().toISOString(), hit_source: 'forged' })
      .where('order_id', '=', order)
      .execute();
    expect((await canaryProblems()).filter((m) => m.includes('marked hit without a hit entry'))).toHaveLength(1);
    expect((await recordCanaryHit(c, phones[planted.indexOf(order)] as string, 'monitor', '*', w.platform.id)).first).toBe(true);
    expect(await canaryProblems()).toEqual([]);
  });

  it('a planting entry edited in the store stops every canary test until the log is restored', async () => {
    const plant = (await leaves('canary'))[3] as { i: number };
    const row = await c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', plant.i).executeTakeFirstOrThrow();
    await c.store.db
      .updateTable('ledger')
      .set({ leaf: row.leaf.replace('"t":"canary"', '"t":"canarY"') })
      .where('idx', '=', plant.i)
      .execute();
    const r = await testCanaryRegistry(c);
    expect(r.accused).toEqual([]);
    // Refused whole when the edited leaf is still found by its kind, else by the row that names it.
    expect(r.refused).toMatchObject([{ problems: [{ index: plant.i }] }]);
    await c.store.db.updateTable('ledger').set({ leaf: row.leaf }).where('idx', '=', plant.i).execute();
    expect((await testCanaryRegistry(c)).refused).toEqual([]);
  });

  it('two plantings of the same numbers at once: one plants, the other plants nothing', async () => {
    const outlet = at(w.byKind.get('outlet') ?? [], 0);
    const merchant = at(w.byKind.get('merchant') ?? [], 0);
    const numbers = Array.from({ length: 20 }, (_, i) => `1992${String(i).padStart(7, '0')}`);
    const count = async (): Promise<number> =>
      Number(
        (
          await c.store.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const orders = await count();
    const both = await Promise.allSettled(
      [0, 1].map(() => plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones: numbers })),
    );
    expect(both.map((b) => b.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await count()).toBe(orders + 20);
    expect(await canaryProblems()).toEqual([]);
  });

  it('two reports of the same hit at once write one hit entry', async () => {
    const unhit = await c.store.db
      .selectFrom('canaries')
      .select(['order_id', 'plant_idx'])
      .where('hit_idx', 'is', null)
      .where('plant_idx', 'is not', null)
      .limit(1)
      .execute();
    const order = unhit[0]?.order_id as string;
    const reports = await Promise.all(
      [0, 1].map(() => testCanaryOutcomes(c, [{ order, hit: true, number: numberOf(order) }], '*', w.platform.id)),
    );
    expect(reports.map((r) => r.hits_recorded).sort()).toEqual([0, 1]);
    expect((await leaves('canary_hit')).filter((h) => h.canary === unhit[0]?.plant_idx)).toHaveLength(1);
    expect(await canaryProblems()).toEqual([]);
  });

  it('charges a planting-time window chosen by the caller to its threshold, as one of the windows it could have chosen', async () => {
    const all = await testCanaryRegistry(c);
    expect(all.log10Scopes).toBe(0);
    const plantings = new Set((await leaves('canary')).map((e) => e.at)).size;
    const windowed = await testCanaryRegistry(c, { plantedBefore: new Date(Date.now() + 60_000).toISOString() });
    expect(windowed.log10Scopes).toBeCloseTo(Math.log10((plantings * (plantings + 1)) / 2), 10);
    expect(windowed.log10Threshold).toBeCloseTo(
      Math.log10(windowed.epsilon) - Math.log10(windowed.tests.length) - windowed.log10Scopes,
      10,
    );
  });
});
