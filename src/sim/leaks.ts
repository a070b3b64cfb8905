/**
 * Leaks for the trace scenarios: dumps cut from the leakers' real views (taken through the release path),
 * with fields erased and retyped as they are in the wild, mixed with records from elsewhere.
 */
import { loadOrders, plainOrder, releaseMany, type Custody, type Party, type View } from '../custody/index.ts';
import { readBits, renderView, SLOTS, type Bits, type ViewField } from '../fingerprint/index.ts';
import { at, must } from '../shared/at.ts';
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
  /** Each record appears 1 to `repeat` times (overlapping daily manifests, lots sold twice); default 1. */
  repeat?: number;
  /** Share of leaked orders that also appear in a merged lot as a row no party was given (random variants). */
  merged?: number;
  /** How the leaker renders its variants: as received, re-drawn at random, or each bit flipped (framing attempts). */
  variants?: 'own' | 'random' | 'flipped';
  /** The leaker replaces its order numbers with made-up 19-digit ones of the alias shape. */
  forgeAliases?: boolean;
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
    add(choice(rand, w.staffOf.get(o.merchant) ?? [must(w.parties.get(o.merchant), 'merchant')]).id, o.id);
    if (o.erp) add(o.erp, o.id);
    if (cs.length > 0 && rand() < 0.01) add(choice(rand, cs).id, o.id);
  }
  for (const [party, ids] of by)
    for (let i = 0; i < ids.length; i += 1000) await releaseMany(c, must(w.parties.get(party), 'leaking party'), ids.slice(i, i + 1000));
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

/** Rows for these orders that no party was given: every variant slot set by `bits`, not by a fingerprint. */
export async function unfingerprintedRows(
  c: Custody,
  ids: readonly string[],
  bits: () => Bits,
  d: DumpSpec,
  rand: () => number,
): Promise<LeakedRecord[]> {
  const fields: ViewField[] = ['item', 'time', 'name', 'address'];
  return (await loadOrders(c.store.db, ids)).map((row) => {
    const plain = plainOrder(c, row, '', { name: true, phone: false, address: true });
    return damage({ order_no: '', ...renderView(fields, plain, bits()) }, { ...d, stripIdentifiers: true }, rand);
  });
}

/** The leaker re-renders its views' variants (not its identifiers): re-drawn at random, or each bit flipped. */
async function rerender(c: Custody, ids: readonly string[], views: View[], how: 'random' | 'flipped', rand: () => number): Promise<View[]> {
  const rows = new Map((await loadOrders(c.store.db, ids)).map((r) => [r.id, r]));
  return views.map((v, i) => {
    const row = rows.get(at(ids, i));
    if (!row) return v;
    const plain = plainOrder(c, row, '', { name: true, phone: false, address: true });
    const text = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    const bits: Bits = readBits(text, plain).map((b) =>
      b === null ? null : how === 'flipped' ? ((1 - b) as 0 | 1) : rand() < 0.5 ? 0 : 1,
    );
    const fields = Object.keys(v).filter((f) => !['order_no', 'phone', 'virtual_number_expires_at'].includes(f)) as ViewField[];
    return { ...v, ...renderView(fields, plain, bits) };
  });
}

const forged = (rand: () => number): string => `2${Array.from({ length: 18 }, () => String(Math.floor(rand() * 10))).join('')}`;

/** Each record 1 to `n` times. */
const repeated = (rand: () => number, rows: LeakedRecord[], n: number): LeakedRecord[] =>
  rows.flatMap((r) => Array.from({ length: 1 + Math.floor(rand() * n) }, () => ({ ...r })));

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
  const ids = chosen.map((o) => o.id);
  const views = await Promise.all(
    leakers.map(async (l) => {
      const vs = await releaseMany(c, l, ids);
      return d.variants && d.variants !== 'own' ? rerender(c, ids, vs, d.variants, rand) : vs;
    }),
  );
  const leaked = chosen.map((_, i) => {
    const merged: View = { order_no: '' };
    const fields = new Set(views.flatMap((vs) => Object.keys(at(vs, i))));
    for (const f of fields) {
      const from = views[pick(rand, views.length)]?.[i] as Record<string, unknown>;
      const v =
        from[f] ??
        (views.find((vs) => (vs[i] as Record<string, unknown>)[f] !== undefined)?.[i] as Record<string, unknown> | undefined)?.[f];
      if (v !== undefined) (merged as Record<string, unknown>)[f] = v;
    }
    if (d.forgeAliases) merged.order_no = forged(rand);
    return damage(merged, d, rand);
  });
  const used = new Set(chosen.map((o) => o.id));
  const others = w.orders
    .filter((o) => !used.has(o.id))
    .sort(() => rand() - 0.5)
    .slice(0, d.noise);
  await releaseToHandlers(c, w, others, d.seed + 1);
  const random = (): Bits => SLOTS.map(() => (rand() < 0.5 ? 0 : 1));
  const noise = await unfingerprintedRows(
    c,
    others.map((o) => o.id),
    random,
    d,
    rand,
  );
  const lot = await unfingerprintedRows(
    c,
    ids.filter(() => rand() < (d.merged ?? 0)),
    random,
    d,
    rand,
  );
  return shuffle(rand, repeated(rand, [...leaked, ...noise, ...lot], d.repeat ?? 1));
}
