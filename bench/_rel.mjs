import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const L = process.argv[2];
const { custodyOn, releaseMany } = await import(`${L}/custody/index.${L.endsWith('lib') ? 'js' : 'ts'}`);
const { buildSimWorld, SMALL_WORLD } = await import(`${L}/sim/index.${L.endsWith('lib') ? 'js' : 'ts'}`);
const { openStore } = await import(`${L}/store/index.${L.endsWith('lib') ? 'js' : 'ts'}`);
const store = await openStore({ url: join(mkdtempSync(join(tmpdir(), 'gkrel-')), 'x.db') });
const c = await custodyOn(store, randomBytes(32));
const w = await buildSimWorld(c, { ...SMALL_WORLD, orders: 20000, seed: 7, days: 1 });
const byHandler = new Map();
for (const o of w.orders)
  for (const h of [o.courier, o.station, o.outlet, o.carrier, (w.staffOf.get(o.merchant) ?? [])[0]?.id ?? o.merchant])
    byHandler.set(h, [...(byHandler.get(h) ?? []), o.id]);
const jobs = [];
for (const [h, ids] of byHandler) for (let i = 0; i < ids.length; i += 1000) jobs.push([w.parties.get(h), ids.slice(i, i + 1000)]);
globalThis.T = {};
let views = 0;
const t0 = performance.now();
for (const [p, ids] of jobs) views += (await releaseMany(c, p, ids)).length;
const s = (performance.now() - t0) / 1000;
console.log(L, views, 'views', s.toFixed(2), 's', Math.round(views / s), '/s');
await c.close();
console.log(Object.entries(globalThis.T).map(([k, v]) => k + ' ' + (v * 1000 / 100000).toFixed(1) + 'us').join(', '));
