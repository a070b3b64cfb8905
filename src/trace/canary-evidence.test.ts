import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, releaseMany, type Custody } from '../custody/index.ts';
import { releaseKeys } from '../cli/ledger-commands.ts';
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

  it('hits written into registry rows without a ledger entry change nothing', async () => {
    const before = await testCanaryRegistry(c);
    const innocent = rows.filter((r) => r.station_id !== leaker).map((r) => r.id);
    const someHit = (await leaves('canary_hit'))[0]?.i as number;
    const saved = await c.store.db.selectFrom('canaries').selectAll().where('order_id', 'in', innocent).execute();
    await c.store.db
      .updateTable('canaries')
      .set({ hit_at: new Date().toISOString(), hit_source: 'forged', hit_idx: someHit })
      .where('order_id', 'in', innocent)
      .execute();
    const after = await testCanaryRegistry(c);
    expect(after.hits).toBe(before.hits);
    expect(after.accused.map((a) => a.party)).toEqual([leaker]);
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
        { order: fresh, hit: true },
        { order: w.orders[0]?.id as string, hit: true },
      ],
      '*',
      investigator.id,
    );
    expect(r.canaries).toBe(PLANTED);
    expect(r.hits_recorded).toBe(1);
    expect(r.not_canaries).toEqual([w.orders[0]?.id]);
    const mine = (await leaves('canary_hit')).filter((h) => h.party === investigator.id);
    expect(mine).toHaveLength(1);
  });
});
