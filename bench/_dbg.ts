import { randomBytes } from 'node:crypto';
import { custodyOn } from '../src/custody/index.ts';
import { openStore } from '../src/store/index.ts';
import { runScenario, TRACE_WORLD } from '../src/sim/index.ts';
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
for (const seed of [1, 6]) {
  const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
  const r = await runScenario(c, 'courier-dump', seed, SMALL);
  console.log(seed, JSON.stringify(r.investigation.suspects[0]));
  await c.close();
}
