import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyOn, type Custody } from '../custody/index.ts';
import { openStore } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { runScenario, SCENARIOS, stageScenario, TRACE_WORLD } from './scenarios.ts';
import { buildSimWorld, type SimWorld } from './world.ts';

// A smaller world than the default (which `npm run bench -- trace` uses) so the suite stays quick; each
// courier still handles about 160 orders and each station about 330. Noise is cut to 500 records so that,
// as in the default world (2,000 of 100,000 orders), it rarely holds the leaker's other orders.
const SMALL = {
  ...TRACE_WORLD,
  orders: 6000,
  merchants: 120,
  erps: 4,
  carriers: 2,
  outletsPerCarrier: 3,
  stationsPerOutlet: 3,
  couriersPerStation: 2,
  csAgents: 5,
};

describe('trace scenarios', () => {
  for (const scenario of SCENARIOS)
    for (const seed of [1, 2])
      it(`${scenario}, seed ${seed}: accuses the leakers (where the evidence allows) and nobody else`, async () => {
        const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
        try {
          const r = await runScenario(c, scenario, seed, SMALL, 500);
          expect([...r.accused].sort()).toEqual([...r.expected].sort());
          if (r.expected.length > 0 || scenario === 'cs-agent-reports')
            expect(r.suspects.slice(0, r.leakers.length).sort()).toEqual([...r.leakers].sort());
          const inv = r.investigation;
          if ('accused' in inv)
            for (const a of inv.accused) {
              expect(a.log10Bound).toBeLessThanOrEqual(a.log10Threshold);
              expect(a.proofs.length).toBeGreaterThan(0);
            }
        } finally {
          await c.close();
        }
      });
});

describe('a leaking courier among canaries, 6 stations per outlet and 2 couriers per station', () => {
  let c: Custody;
  let w: SimWorld;
  beforeAll(async () => {
    c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
    w = await buildSimWorld(c, { ...SMALL, seed: 9, orders: 1500, carriers: 1, outletsPerCarrier: 2, stationsPerOutlet: 6 });
  });
  afterAll(() => c.close());
  // Planting draws routes from the operating system's randomness, so power varies run to run: each seed
  // must accuse nobody but the courier, and most seeds must name it.
  const named: boolean[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6])
    it(`seed ${seed}: accuses nobody but the courier, never its innocent station`, async () => {
      const r = await stageScenario(c, w, 'canary-courier', seed);
      const courier = w.parties.get(r.leakers[0] as string);
      expect(courier?.kind).toBe('courier');
      expect(r.accused.filter((p) => !r.leakers.includes(p))).toEqual([]);
      named.push(r.accused.includes(courier?.id ?? ''));
    });
  it('names the courier in at least 4 of the 6 seeds', () => {
    expect(named.filter(Boolean).length).toBeGreaterThanOrEqual(4);
  });
});

describe.each(BACKENDS)('a dump investigation on $name', ({ open }) => {
  it('accuses the leaking courier with ledger proofs of its releases', async () => {
    const c = await custodyOn(await open(), randomBytes(32));
    try {
      const r = await runScenario(c, 'courier-dump', 5, SMALL, 500);
      expect(r.accused).toEqual(r.leakers);
      const proof = r.investigation.accused[0]?.proofs[0];
      expect(proof?.proof.length).toBeGreaterThan(5);
    } finally {
      await c.close();
    }
  });
});
