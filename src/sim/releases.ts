/** Every handler takes its views of a simulated world through the real release path (manifests and views). */
import { decryptOrder, releaseManifest, releaseMany, type Custody, type Party } from '../custody/index.ts';
import { must } from '../shared/at.ts';
import { choice, seeded } from '../shared/random.ts';
import type { SimOrder, SimWorld } from './world.ts';

/** Views released, by the kind of party that took them. */
export type ReleaseCounts = Record<string, number>;

const BATCH = 1000;

function groupBy(orders: SimOrder[], key: (o: SimOrder) => string | null): Map<string, SimOrder[]> {
  const m = new Map<string, SimOrder[]>();
  for (const o of orders) {
    const k = key(o);
    if (k !== null) m.set(k, [...(m.get(k) ?? []), o]);
  }
  return m;
}

/**
 * Carriers, outlets, stations and couriers pull daily manifests; merchants' staff and ERPs pull their orders'
 * views; CS agents look at one order in a hundred and decrypt one in a thousand, each with a reason.
 */
export async function releaseWorld(c: Custody, w: SimWorld, progress?: (done: number, total: number) => void): Promise<ReleaseCounts> {
  const rand = seeded(w.spec.seed + 1);
  const counts: ReleaseCounts = {};
  const add = (p: Party, n: number): void => {
    counts[p.kind] = (counts[p.kind] ?? 0) + n;
  };
  const days = [...new Set(w.orders.map((o) => o.day))].sort();
  const handlers = ['carrier', 'outlet', 'station', 'courier'].flatMap((k) => w.byKind.get(k) ?? []);
  const merchantsOrders = groupBy(w.orders, (o) => o.merchant);
  const erpOrders = groupBy(w.orders, (o) => o.erp);
  const total = handlers.length * days.length + merchantsOrders.size + erpOrders.size + 1;
  let done = 0;
  const step = (): void => {
    progress?.(++done, total);
  };
  for (const day of days)
    for (const h of handlers) {
      add(h, (await releaseManifest(c, h, day)).length);
      step();
    }
  const inBatches = async (who: () => Party, orders: SimOrder[]): Promise<void> => {
    for (let i = 0; i < orders.length; i += BATCH) {
      const p = who();
      add(
        p,
        (
          await releaseMany(
            c,
            p,
            orders.slice(i, i + BATCH).map((o) => o.id),
          )
        ).length,
      );
    }
    step();
  };
  for (const [merchant, orders] of merchantsOrders) {
    const staff = w.staffOf.get(merchant) ?? [must(w.parties.get(merchant), 'merchant')];
    await inBatches(() => choice(rand, staff), orders);
  }
  for (const [erp, orders] of erpOrders) await inBatches(() => must(w.parties.get(erp), 'ERP'), orders);
  const cs = w.byKind.get('cs_agent') ?? [];
  if (cs.length > 0) {
    for (const o of w.orders) {
      if (rand() < 0.01) {
        const agent = choice(rand, cs);
        add(agent, (await releaseMany(c, agent, [o.id])).length);
        if (rand() < 0.1) {
          await decryptOrder(c, agent, o.id, choice(rand, ['complaint', 'refund', 'delivery_issue'] as const));
          counts.decrypt = (counts.decrypt ?? 0) + 1;
        }
      }
    }
  }
  step();
  return counts;
}
