import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, NotFoundError, releaseMany, type Custody, type Party } from '../custody/index.ts';
import { at, must } from '../shared/at.ts';
import { seeded } from '../shared/random.ts';
import { buildSimWorld, SMALL_WORLD, type SimWorld } from '../sim/index.ts';
import { openStore } from '../store/index.ts';
import { plantCanaries, recordCanaryHit, testCanaryRegistry } from './index.ts';

// A station is named only when each of its couriers' canaries shows the leak on its own (a leaking courier
// must never name its station), so the test needs enough canaries per courier: 4 couriers per station here.
const PLANTED = 400;
const phones = (n: number): string[] => Array.from({ length: n }, (_, i) => `1990${String(i).padStart(7, '0')}`);

describe('the canary registry', () => {
  let c: Custody;
  let w: SimWorld;
  let outlet: Party;
  beforeAll(async () => {
    c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
    w = await buildSimWorld(c, { ...SMALL_WORLD, orders: 600 });
    outlet = at(w.byKind.get('outlet') ?? [], 0);
  });
  afterAll(() => c.close());

  it('refuses bad plantings, naming the field, and plants nothing', async () => {
    const merchant = at(w.byKind.get('merchant') ?? [], 0);
    await expect(plantCanaries(c, w.platform, { outlet_id: merchant.id, merchant_id: merchant.id, phones: phones(3) })).rejects.toThrow(
      /outlet_id/,
    );
    await expect(
      plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones: ['13900000000', '139 0000 0000'] }),
    ).rejects.toThrow(/own number/);
    await expect(plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones: ['12'] })).rejects.toThrow(
      /phones.0/,
    );
    expect(await c.store.db.selectFrom('canaries').select('order_id').execute()).toEqual([]);
  });

  it('plants canaries at random over the outlet’s stations, takes hits, and the exact test names the leaking station', async () => {
    const merchant = at(w.byKind.get('merchant') ?? [], 0);
    const { planted } = await plantCanaries(c, w.platform, { outlet_id: outlet.id, merchant_id: merchant.id, phones: phones(PLANTED) });
    expect(planted).toHaveLength(PLANTED);
    const rows = await c.store.db
      .selectFrom('orders')
      .select(['id', 'station_id', 'courier_id', 'province'])
      .where('id', 'in', planted)
      .execute();
    const stations = new Set(rows.map((r) => r.station_id));
    expect(stations.size).toBeGreaterThan(1);
    expect(rows.every((r) => !r.province.includes('诱饵'))).toBe(true);
    // Handlers take their views as for any order.
    for (const sid of stations) {
      const mine = rows.filter((r) => r.station_id === sid).map((r) => r.id);
      await releaseMany(c, must(w.parties.get(sid as string), 'station'), mine);
    }
    const leaker = rows[0]?.station_id as string;
    const rand = seeded(7);
    const byOrder = new Map(rows.map((r) => [r.id, r]));
    for (const [i, id] of planted.entries()) {
      const hit = (byOrder.get(id)?.station_id === leaker && rand() < 0.7) || rand() < 0.02;
      if (hit) expect((await recordCanaryHit(c, phones(PLANTED)[i] as string, 'sms-monitor')).first).toBe(true);
    }
    const again = planted.findIndex((id) => byOrder.get(id)?.station_id === leaker);
    const second = await recordCanaryHit(c, phones(PLANTED)[again] as string, 'call-monitor');
    expect(second.order).toBe(planted[again]);
    await expect(recordCanaryHit(c, '13812345678', 'x')).rejects.toThrow(NotFoundError);
    const r = await testCanaryRegistry(c);
    expect(r.canaries).toBe(PLANTED);
    expect(r.accused.map((a) => a.party)).toEqual([leaker]);
    expect(r.accused[0]?.channel).toBe('L3');
  });
});
