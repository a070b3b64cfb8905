/**
 * A synthetic world built through the real custody path: parties registered, orders ingested (sealed), and
 * every view released by the same code a real party calls. Seeded, so a seed always builds the same world.
 */
import type { Custody, Party, PartyInput } from '../custody/index.ts';
import { createParties, ingestOrders } from '../custody/index.ts';
import { at, must } from '../shared/at.ts';
import { choice, pick, seeded } from '../shared/random.ts';
import { CATEGORIES, GIVEN, REGIONS, SURNAMES } from './names.ts';

/** How big a world to build. */
export interface WorldSpec {
  seed: number;
  orders: number;
  merchants: number;
  staffPerMerchant: number;
  erps: number;
  /** Share of merchants that authorise an ERP. */
  erpShare: number;
  carriers: number;
  outletsPerCarrier: number;
  stationsPerOutlet: number;
  couriersPerStation: number;
  csAgents: number;
  /** Orders are placed over this many days, from `firstDay` (Shanghai date). */
  days: number;
  firstDay: string;
}

/** The demo's small world. */
export const SMALL_WORLD: WorldSpec = {
  seed: 1,
  orders: 2000,
  merchants: 20,
  staffPerMerchant: 2,
  erps: 3,
  erpShare: 0.5,
  carriers: 2,
  outletsPerCarrier: 3,
  stationsPerOutlet: 3,
  couriersPerStation: 4,
  csAgents: 3,
  days: 3,
  firstDay: '2026-11-20',
};

/** One simulated order: its ids and who handles it. */
export interface SimOrder {
  id: string;
  platformOrderId: string;
  merchant: string;
  erp: string | null;
  carrier: string;
  outlet: string;
  station: string;
  courier: string;
  day: string;
}

/** What was built. */
export interface SimWorld {
  spec: WorldSpec;
  platform: Party;
  parties: Map<string, Party>;
  byKind: Map<string, Party[]>;
  staffOf: Map<string, Party[]>;
  couriersOf: Map<string, Party[]>;
  regionOf: Map<string, (typeof REGIONS)[number]>;
  orders: SimOrder[];
}

const TIME_WINDOW = 86_400_000;

function dayOf(first: string, offset: number): string {
  return new Date(Date.parse(`${first}T00:00:00Z`) + offset * TIME_WINDOW).toISOString().slice(0, 10);
}

/** Registers a level of parties in batches and returns them in order. */
async function register(c: Custody, inputs: PartyInput[]): Promise<Party[]> {
  const out: Party[] = [];
  for (let i = 0; i < inputs.length; i += 1000) out.push(...(await createParties(c, { operator: 'sim' }, inputs.slice(i, i + 1000))));
  return out;
}

/** Builds the world; `progress(stage, done, total)` reports as it goes. */
export async function buildSimWorld(
  c: Custody,
  spec: WorldSpec,
  progress?: (stage: string, done: number, total: number) => void,
): Promise<SimWorld> {
  const rand = seeded(spec.seed);
  const tag = `S${spec.seed}`;
  const [platform] = await register(c, [{ kind: 'platform', name: `模拟平台 ${tag}` }]);
  const p = platform as Party;
  const erps = await register(
    c,
    Array.from({ length: spec.erps }, (_, i) => ({ kind: 'erp' as const, name: `模拟ERP${i + 1}`, platform_id: p.id })),
  );
  const carriers = await register(
    c,
    Array.from({ length: spec.carriers }, (_, i) => ({ kind: 'carrier' as const, name: `模拟快递${i + 1}`, platform_id: p.id })),
  );
  const merchants = await register(
    c,
    Array.from({ length: spec.merchants }, (_, i) => ({
      kind: 'merchant' as const,
      name: `${choice(rand, CATEGORIES).name}店${i + 1}`,
      platform_id: p.id,
      ...(erps.length > 0 && rand() < spec.erpShare ? { erp_id: choice(rand, erps).id } : {}),
    })),
  );
  const staff = await register(
    c,
    merchants.flatMap((m) =>
      Array.from({ length: spec.staffPerMerchant }, (_, j) => ({
        kind: 'merchant_staff' as const,
        name: `${m.name}店员${j + 1}`,
        parent_id: m.id,
      })),
    ),
  );
  const cs = await register(
    c,
    Array.from({ length: spec.csAgents }, (_, i) => ({ kind: 'cs_agent' as const, name: `客服${i + 1}`, parent_id: p.id })),
  );
  const [regulator] = await register(c, [{ kind: 'regulator', name: '模拟监管' }]);
  const outlets = await register(
    c,
    carriers.flatMap((k, ci) =>
      Array.from({ length: spec.outletsPerCarrier }, (_, j) => {
        const region = REGIONS[(ci * spec.outletsPerCarrier + j) % REGIONS.length] as (typeof REGIONS)[number];
        return { kind: 'outlet' as const, name: `${k.name}${region.district}网点${j + 1}`, parent_id: k.id };
      }),
    ),
  );
  const stations = await register(
    c,
    outlets.flatMap((o) =>
      Array.from({ length: spec.stationsPerOutlet }, (_, j) => ({
        kind: 'station' as const,
        name: `${o.name}驿站${j + 1}`,
        parent_id: o.id,
      })),
    ),
  );
  const couriers = await register(
    c,
    stations.flatMap((s) =>
      Array.from({ length: spec.couriersPerStation }, (_, j) => ({
        kind: 'courier' as const,
        name: `${s.name}快递员${j + 1}`,
        parent_id: s.id,
      })),
    ),
  );
  const all = [p, ...erps, ...carriers, ...merchants, ...staff, ...cs, regulator as Party, ...outlets, ...stations, ...couriers];
  const parties = new Map(all.map((x) => [x.id, x]));
  const byKind = new Map<string, Party[]>();
  for (const x of all) byKind.set(x.kind, [...(byKind.get(x.kind) ?? []), x]);
  const staffOf = new Map<string, Party[]>();
  for (const s of staff) staffOf.set(s.parentId as string, [...(staffOf.get(s.parentId as string) ?? []), s]);
  const couriersOf = new Map<string, Party[]>();
  for (const k of couriers) couriersOf.set(k.parentId as string, [...(couriersOf.get(k.parentId as string) ?? []), k]);
  const regionOfOutlet = new Map(outlets.map((o, i) => [o.id, REGIONS[i % REGIONS.length] as (typeof REGIONS)[number]]));

  const w: SimWorld = { spec, platform: p, parties, byKind, staffOf, couriersOf, regionOf: regionOfOutlet, orders: [] };
  const placed = await placeOrders(c, w, rand, spec.orders, tag, () => choice(rand, stations), progress);
  w.orders.push(...placed);
  return w;
}

/**
 * Places `n` orders through the platform's real ingest, each routed to the station `stationOf` picks (and a
 * courier of it at random), with a random merchant, item and recipient; `prefix` keeps platform ids unique.
 */
export async function placeOrders(
  c: Custody,
  w: SimWorld,
  rand: () => number,
  n: number,
  prefix: string,
  stationOf: () => Party,
  progress?: (stage: string, done: number, total: number) => void,
): Promise<SimOrder[]> {
  const { spec, parties } = w;
  const merchants = w.byKind.get('merchant') ?? [];
  const orders: SimOrder[] = [];
  const BATCH = 1000;
  for (let start = 0; start < n; start += BATCH) {
    const inputs: Record<string, unknown>[] = [];
    const meta: Omit<SimOrder, 'id'>[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const station = stationOf();
      const outlet = must(parties.get(station.parentId as string), "a station's outlet");
      const region = w.regionOf.get(outlet.id) as (typeof REGIONS)[number];
      const courier = choice(rand, must(w.couriersOf.get(station.id), "a station's couriers"));
      const merchant = choice(rand, merchants);
      const category = CATEGORIES.find((k) => merchant.name.startsWith(k.name));
      if (!category) throw new Error(`merchant ${merchant.id} has no category`);
      const item = choice(rand, category.items);
      const day = pick(rand, spec.days);
      const ordered = Date.parse(`${spec.firstDay}T00:00:00+08:00`) + day * TIME_WINDOW + pick(rand, TIME_WINDOW);
      const platformOrderId = `${prefix}-${String(i).padStart(8, '0')}`;
      inputs.push({
        platform_order_id: platformOrderId,
        merchant_id: merchant.id,
        carrier_id: outlet.parentId,
        outlet_id: outlet.id,
        station_id: station.id,
        courier_id: courier.id,
        recipient: {
          name: `${choice(rand, SURNAMES)}${choice(rand, GIVEN)}`,
          phone: `1${choice(rand, ['3', '5', '7', '8', '9'])}${String(pick(rand, 1e9)).padStart(9, '0')}`,
          address: {
            province: region.province,
            city: region.city,
            district: region.district,
            street: `${choice(rand, region.streets)}${1 + pick(rand, 300)}号`,
            building: String(1 + pick(rand, 30)),
            unit: String(1 + pick(rand, 6)),
            room: String((1 + pick(rand, 28)) * 100 + 1 + pick(rand, 4)),
          },
        },
        item: {
          title: item.title,
          spec: item.spec.map((opts) => choice(rand, opts)),
          quantity: 1 + pick(rand, 2),
          price_cents: 1990 + pick(rand, 60000),
        },
        ordered_at: new Date(ordered).toISOString(),
        paid_at: new Date(ordered + 5000 + pick(rand, 600_000)).toISOString(),
      });
      meta.push({
        platformOrderId,
        merchant: merchant.id,
        erp: merchant.erpId,
        carrier: outlet.parentId as string,
        outlet: outlet.id,
        station: station.id,
        courier: courier.id,
        day: dayOf(spec.firstDay, day),
      });
    }
    const results = await ingestOrders(c, w.platform, inputs);
    results.forEach((r, k) => {
      if (!('id' in r)) throw new Error(`simulated order ${k} was refused: ${JSON.stringify(r.issues)}`);
      orders.push({ id: r.id, ...at(meta, k) });
    });
    progress?.('orders', orders.length, n);
  }
  return orders;
}
