/**
 * Leaks for the trace scenarios: dumps cut from the leakers' real views (taken through the release path),
 * with fields erased and retyped as they are in the wild, mixed with records from elsewhere.
 */
import { plainOrder, releaseMany, type Custody, type Party, type View } from '../custody/index.ts';
import { renderView, SLOTS, type Bits, type ViewField } from '../fingerprint/index.ts';
import { choice, pick, seeded, shuffle } from '../shared/random.ts';
import type { LeakedRecord } from '../trace/index.ts';
import type { SimOrder, SimWorld } from './world.ts';

/** How a dump is made. */
export interface DumpSpec {
  seed: number;
  records: number;
  /** Share of field values erased. */
  erase: number;
  /** Share of field values retyped by hand (they no longer match any variant). */
  retype: number;
  /** Records from elsewhere mixed in (orders of this world rendered by nobody here). */
  noise: number;
  /** A careful leaker drops the order number and the phone (the L1 identifiers). */
  stripIdentifiers: boolean;
}

/** Every handler of these orders takes its views, as in the real world before anything leaks. */
export async function releaseToHandlers(c: Custody, w: SimWorld, orders: readonly SimOrder[], seed: number): Promise<void> {
  const rand = seeded(seed);
  const by = new Map<string, string[]>();
  const add = (party: string, id: string): void => {
    by.set(party, [...(by.get(party) ?? []), id]);
  };
  const cs = w.byKind.get('cs_agent') ?? [];
  for (const o of orders) {
    for (const h of [o.courier, o.station, o.outlet, o.carrier]) add(h, o.id);
    add(choice(rand, w.staffOf.get(o.merchant) ?? [w.parties.get(o.merchant) as Party]).id, o.id);
    if (o.erp) add(o.erp, o.id);
    if (cs.length > 0 && rand() < 0.01) add(choice(rand, cs).id, o.id);
  }
  for (const [party, ids] of by)
    for (let i = 0; i < ids.length; i += 1000) await releaseMany(c, w.parties.get(party) as Party, ids.slice(i, i + 1000));
}

const RETYPE: Partial<Record<ViewField, (v: string) => string>> = {
  name: (v) => `${Array.from(v)[0] ?? ''}先生`,
  address: (v) => v.replace(/\d+(栋|号楼|幢)/, '').replace(/(\d+)单元(\d+)室|(\d+)-(\d+)/, ''),
  time: (v) => v.slice(5, 10).replace(/[-/]/, '月') + '日',
  item: (v) => Array.from(v).slice(0, 4).join(''),
  phone: (v) => v.replace(/\D/g, '').slice(0, 7),
  price: (v) => v.replace(/[¥元]/g, ''),
};

function damage(view: View, d: DumpSpec, rand: () => number): LeakedRecord {
  const r: LeakedRecord = {};
  for (const [k, v] of Object.entries(view)) {
    if (k === 'virtual_number_expires_at') continue;
    const f = k as ViewField;
    if (d.stripIdentifiers && (f === 'order_no' || f === 'phone')) continue;
    if (rand() < d.erase) continue;
    const text = String(v);
    r[f] = rand() < d.retype ? (RETYPE[f]?.(text) ?? text) : text;
  }
  return r;
}

/**
 * A dump leaked by `leakers` (one, or several merging the views of orders they all saw, field by field),
 * with noise records rendered with random variants, as a broker's lot that also holds data from elsewhere.
 */
export async function makeDump(
  c: Custody,
  w: SimWorld,
  leakers: readonly Party[],
  pool: readonly SimOrder[],
  d: DumpSpec,
): Promise<LeakedRecord[]> {
  const rand = seeded(d.seed);
  const chosen = shuffle(rand, pool).slice(0, d.records);
  const views = await Promise.all(
    leakers.map((l) =>
      releaseMany(
        c,
        l,
        chosen.map((o) => o.id),
      ),
    ),
  );
  const leaked = chosen.map((_, i) => {
    const merged: View = { order_no: '' };
    const fields = new Set(views.flatMap((vs) => Object.keys(vs[i] as View)));
    for (const f of fields) {
      const from = views[pick(rand, views.length)]?.[i] as Record<string, unknown>;
      const v =
        from[f] ??
        (views.find((vs) => (vs[i] as Record<string, unknown>)[f] !== undefined)?.[i] as Record<string, unknown> | undefined)?.[f];
      if (v !== undefined) (merged as Record<string, unknown>)[f] = v;
    }
    return damage(merged, d, rand);
  });
  const used = new Set(chosen.map((o) => o.id));
  const others = w.orders
    .filter((o) => !used.has(o.id))
    .sort(() => rand() - 0.5)
    .slice(0, d.noise);
  await releaseToHandlers(c, w, others, d.seed + 1);
  const rows = await c.store.db
    .selectFrom('orders')
    .selectAll()
    .where(
      'id',
      'in',
      others.map((o) => o.id),
    )
    .execute();
  const fields: ViewField[] = ['item', 'time', 'name', 'address'];
  const noise = rows.map((row) => {
    const plain = plainOrder(c, row, '', { name: true, phone: false, address: true });
    const bits: Bits = SLOTS.map(() => (rand() < 0.5 ? 0 : 1));
    return damage({ order_no: '', ...renderView(fields, plain, bits) }, { ...d, stripIdentifiers: true }, rand);
  });
  return shuffle(rand, [...leaked, ...noise]);
}
