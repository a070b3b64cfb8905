/**
 * The canary registry (L3 in practice). The platform plants canary orders in an outlet: synthetic consumers
 * whose phone numbers it monitors, each routed to a station of the outlet and a courier of that station
 * chosen uniformly at random (the randomisation the exact test rests on), then handled like any order.
 * When a monitored number is called or texted, the hit is recorded; the test runs over the registry.
 */
import { randomInt, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { canonicalPhone } from '../check/index.ts';
import {
  canaryPhoneRef,
  canaryRoute,
  getParties,
  ingestOrders,
  InputError,
  NotFoundError,
  phoneIndex,
  withinReach,
  type Custody,
  type Party,
  type Reach,
} from '../custody/index.ts';
import type { LedgerWriter } from '../ledger/index.ts';
import type { Database } from '../store/index.ts';
import { canaryTests, type CanaryResult } from './canary.ts';
import { canaryLooks, type CanaryLook } from './canary-lookalike.ts';
import { loggedHits, plantingOpens, provenCanaries, type ProvenCanary, type RefusedOutlet } from './canary-evidence.ts';

/** A planting request. */
export const plantSchema = z.strictObject({
  outlet_id: z.string().max(40).describe('the outlet whose stations and couriers are tested'),
  merchant_id: z.string().max(40).describe('the shop the canary orders are placed with'),
  phones: z.array(z.string().max(40)).min(1).max(5000).describe('monitored numbers, one per canary'),
});

/** Plants one canary per monitored number in `outlet`; returns the canary order ids. Nothing is planted on bad input. */
export async function plantCanaries(c: Custody, platform: Party, input: unknown): Promise<{ planted: string[] }> {
  const parsed = plantSchema.safeParse(input);
  if (!parsed.success) throw InputError.fromZod(parsed.error);
  const r = parsed.data;
  const phones = r.phones.map((p, i) => {
    const canon = canonicalPhone(p);
    if (!canon?.startsWith('+86')) throw new InputError([{ field: `phones.${i}`, message: 'must be a mainland mobile number' }]);
    return canon.slice(3);
  });
  if (new Set(phones).size !== phones.length) throw new InputError([{ field: 'phones', message: 'each canary needs its own number' }]);
  await c.keyring.syncIndex(c.store.db);
  // Only the planter's own canaries count: another platform's monitored numbers stay invisible to it.
  const known = await c.store.db
    .selectFrom('canaries')
    .select('phone_bidx')
    .where('planted_by', '=', platform.id)
    .where(
      'phone_bidx',
      'in',
      phones.map((p) => phoneIndex(c.keyring, p)),
    )
    .execute();
  if (known.length > 0)
    throw new InputError([{ field: 'phones', message: `${String(known.length)} of these numbers already belong to canaries` }]);
  const outlet = (await getParties(c, [r.outlet_id])).get(r.outlet_id);
  // Another platform's outlet answers as a missing one: its stations and orders are that platform's.
  if (outlet?.kind !== 'outlet' || outlet.tenantId !== platform.id)
    throw new InputError([{ field: 'outlet_id', message: 'must name an outlet of this platform' }]);
  const stations = await c.store.db
    .selectFrom('parties')
    .selectAll()
    .where('parent_id', '=', outlet.id)
    .where('kind', '=', 'station')
    .execute();
  if (stations.length < 2) throw new InputError([{ field: 'outlet_id', message: 'the outlet needs at least two stations to compare' }]);
  const couriers = await c.store.db
    .selectFrom('parties')
    .select(['id', 'parent_id'])
    .where(
      'parent_id',
      'in',
      stations.map((s) => s.id),
    )
    .where('kind', '=', 'courier')
    .execute();
  // A canary must look like any other order of the outlet (canary-lookalike.ts): nothing in a view may tell it apart.
  const looks = await canaryLooks(c, outlet.id, r.merchant_id, phones.length);
  if (looks.length === 0) throw new InputError([{ field: 'outlet_id', message: 'the outlet has no orders yet to take a look from' }]);
  const now = new Date().toISOString();
  const orders = phones.map((phone, i) => {
    const station = stations[randomInt(stations.length)] as (typeof stations)[number];
    const mine = couriers.filter((k) => k.parent_id === station.id);
    const look = looks[i] as CanaryLook;
    return {
      platform_order_id: `${Date.parse(look.ordered_at).toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}${String(i)}`,
      merchant_id: r.merchant_id,
      carrier_id: outlet.parentId ?? undefined,
      outlet_id: outlet.id,
      station_id: station.id,
      ...(mine.length > 0 ? { courier_id: (mine[randomInt(mine.length)] as { id: string }).id } : {}),
      recipient: {
        name: look.name,
        phone,
        address: { ...look.region, street: look.street, building: look.building, unit: look.unit, room: look.room },
      },
      item: look.item,
      ordered_at: look.ordered_at,
      paid_at: look.paid_at,
    };
  });
  // The orders, their registry rows and their planting entries commit together or not at all: an order
  // carrying a monitored number without its canary row would turn its courier's leak into another's hit.
  let ids: string[] = [];
  const results = await ingestOrders(c, platform, orders, async (trx, log, done) => {
    const bad = done.find((x) => x && 'error' in x);
    if (bad && 'issues' in bad) throw new InputError(bad.issues);
    if (done.some((x) => !x || ('status' in x && x.status !== 'created')))
      throw new InputError([{ field: 'phones', message: 'the canary orders could not all be created: plant again' }]);
    await c.keyring.syncIndex(trx);
    const bidx = phones.map((p) => phoneIndex(c.keyring, p));
    const taken = await trx
      .selectFrom('canaries')
      .select('phone_bidx')
      .where('planted_by', '=', platform.id)
      .where('phone_bidx', 'in', bidx)
      .execute();
    if (taken.length > 0)
      throw new InputError([{ field: 'phones', message: `${String(taken.length)} of these numbers already belong to canaries` }]);
    ids = done.map((x) => (x && 'id' in x ? x.id : ''));
    // Each canary's route, monitored number included, goes into the ledger with it: the test's design is
    // what the log fixed at planting, and a hit counts only on the canary whose number was called.
    for (const [i, id] of ids.entries()) {
      const o = orders[i] as (typeof orders)[number];
      const phoneRef = canaryPhoneRef(c.keyring, phones[i] as string);
      const plant = log.next;
      log.add({
        t: 'canary',
        at: now,
        party: platform.id,
        outlet: outlet.id,
        route: canaryRoute(c.keyring, plant, { orderId: id, phoneRef, station: o.station_id, courier: o.courier_id ?? null }),
      });
      await trx
        .insertInto('canaries')
        .values({
          order_id: id,
          phone_bidx: bidx[i] as string,
          planted_by: platform.id,
          planted_at: now,
          hit_at: null,
          hit_source: null,
          plant_idx: plant,
          hit_idx: null,
          phone_ref: phoneRef,
        })
        .execute();
    }
  });
  const bad = results.find((x) => 'error' in x);
  if (bad && 'issues' in bad) throw new InputError(bad.issues);
  return { planted: ids };
}

/** A logged canary a hit is reported on, with the route its planting must open to. */
interface HitTarget {
  order_id: string;
  plant_idx: number;
  phone_ref: string;
  station_id: string | null;
  courier_id: string | null;
}

/**
 * Writes a `canary_hit` entry by `by` for each target whose planting the log holds no hit for yet (a row's
 * hit_at is not evidence either way) and opens to the target's route; returns how many it wrote.
 */
async function logHits(
  c: Custody,
  trx: Transaction<Database>,
  log: LedgerWriter,
  targets: readonly HitTarget[],
  by: string,
  source: string,
): Promise<number> {
  const done = await loggedHits(
    c,
    trx,
    targets.map((t) => t.plant_idx),
  );
  const at = new Date().toISOString();
  let recorded = 0;
  for (const t of targets) {
    if (done.has(t.plant_idx)) continue;
    const route = { orderId: t.order_id, phoneRef: t.phone_ref, station: t.station_id, courier: t.courier_id };
    if (!(await plantingOpens(c, trx, t.plant_idx, route))) continue;
    done.add(t.plant_idx);
    recorded++;
    const hit = log.add({ t: 'canary_hit', at, party: by, canary: t.plant_idx });
    await trx
      .updateTable('canaries')
      .set({ hit_at: at, hit_source: source.slice(0, 100), hit_idx: hit })
      .where('order_id', '=', t.order_id)
      .execute();
  }
  return recorded;
}

/**
 * Records that a monitored number was called or texted (the first hit counts) on the canaries within
 * `reach` that carry it: a platform's own, or, for an authority over all, every platform's that planted it.
 * Each first hit of a logged canary writes a `canary_hit` entry by `by`. `order` is the first of `orders`;
 * `first` says whether any of them had not been hit before.
 */
export async function recordCanaryHit(
  c: Custody,
  phone: string,
  source: string,
  reach: Reach = '*',
  by = 'cli',
): Promise<{ order: string; orders: string[]; first: boolean }> {
  const canon = canonicalPhone(phone);
  if (!canon?.startsWith('+86')) throw new InputError([{ field: 'phone', message: 'must be a mainland mobile number' }]);
  await c.keyring.syncIndex(c.store.db);
  const bidx = phoneIndex(c.keyring, canon.slice(3));
  const phoneRef = canaryPhoneRef(c.keyring, canon.slice(3));
  return c.ledger.write(async (trx, log) => {
    let q = trx
      .selectFrom('canaries')
      .innerJoin('orders', 'orders.id', 'canaries.order_id')
      .select(['canaries.order_id', 'canaries.plant_idx', 'canaries.hit_at', 'orders.station_id', 'orders.courier_id'])
      // A logged canary is found by the reference its planting's route commits to, so a row edited to hide it
      // from its number also stops opening its route, which the test and `ledger verify` report.
      .where((eb) =>
        eb.or([
          eb('canaries.phone_ref', '=', phoneRef),
          eb.and([eb('canaries.plant_idx', 'is', null), eb('canaries.phone_bidx', '=', bidx)]),
        ]),
      );
    // Another platform's canary reads as no canary at all: its numbers and hits are that platform's.
    if (reach !== '*') q = reach.length === 0 ? q.where('canaries.planted_by', '=', '') : q.where('canaries.planted_by', 'in', reach);
    const rows = await q.orderBy('canaries.order_id').execute();
    if (rows.length === 0) throw new NotFoundError('not a canary number');
    const at = new Date().toISOString();
    let first = false;
    for (const r of rows.filter((x) => x.plant_idx === null && x.hit_at === null)) {
      first = true;
      await trx
        .updateTable('canaries')
        .set({ hit_at: at, hit_source: source.slice(0, 100) })
        .where('order_id', '=', r.order_id)
        .execute();
    }
    // A logged canary's hit counts only if its planting opens with the number that was called.
    const logged = rows.flatMap((r) => (r.plant_idx === null ? [] : [{ ...r, plant_idx: r.plant_idx, phone_ref: phoneRef }]));
    if ((await logHits(c, trx, log, logged, by, source)) > 0) first = true;
    const orders = rows.map((r) => r.order_id);
    return { order: orders[0] as string, orders, first };
  });
}

/** What a registry test covered and found. */
export type RegistryTest = CanaryResult & {
  canaries: number;
  hits: number;
  /** Outlets not tested because a canary's route or registry row disagrees with the ledger. */
  refused: RefusedOutlet[];
  /** Canaries in reach planted before canaries were logged, which no test counts. */
  unlogged: number;
  /** log10 of the scopes this test's could have been chosen from (0 for everything in reach), charged to its threshold. */
  log10Scopes: number;
};

/** What a registry test covers (CanaryScope, everything in reach by default) and who runs it. */
export interface RegistryOptions {
  plantedSince?: string;
  plantedBefore?: string;
  reach?: Reach;
  by?: string;
  outlets?: ReadonlySet<string>;
}

/** The exact test over every logged canary within `reach` planted in [`plantedSince`, `plantedBefore`) (default: all), hit or not. */
export async function testCanaryRegistry(c: Custody, opts: RegistryOptions = {}): Promise<RegistryTest> {
  const { proven: _proven, ...r } = await registryTest(c, opts);
  return r;
}

async function registryTest(c: Custody, opts: RegistryOptions): Promise<RegistryTest & { proven: ProvenCanary[] }> {
  const reach = opts.reach ?? '*';
  const { canaries, refused, log10Scopes } = await provenCanaries(c, {
    reach,
    ...(opts.plantedSince ? { plantedSince: opts.plantedSince } : {}),
    ...(opts.plantedBefore ? { plantedBefore: opts.plantedBefore } : {}),
    ...(opts.outlets ? { outlets: opts.outlets } : {}),
  });
  let q = c.store.db
    .selectFrom('canaries')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('plant_idx', 'is', null);
  if (reach !== '*') q = reach.length === 0 ? q.where('planted_by', '=', '') : q.where('planted_by', 'in', reach);
  const unlogged = Number((await q.executeTakeFirstOrThrow()).n);
  const result = await canaryTests(c, canaries, opts.by, log10Scopes);
  return {
    ...result,
    canaries: canaries.length,
    hits: canaries.filter((o) => o.hit).length,
    refused,
    unlogged,
    log10Scopes,
    proven: canaries,
  };
}

/**
 * The exact test a caller asks for by naming canary orders and their outcomes. The caller's selection cannot
 * shape the test: it runs over every logged canary in the caller's reach, and hits are the ledger's.
 * A hit the caller reports that the ledger lacks is recorded first, as the caller's (a `canary_hit` entry by
 * `by`); a ledger hit the caller calls a miss still counts, and is listed. Orders that are no logged canary
 * within `reach` are listed and left out.
 */
export async function testCanaryOutcomes(
  c: Custody,
  outcomes: readonly { order: string; hit: boolean; number?: string | undefined }[],
  reach: Reach,
  by: string,
): Promise<
  RegistryTest & { not_canaries: string[]; hits_recorded: number; hits_unproven: string[]; ledger_hits_reported_missed: string[] }
> {
  const ids = [...new Set(outcomes.map((o) => o.order))];
  const said = new Map(outcomes.map((o) => [o.order, o.hit]));
  // A reported hit is recorded only with the monitored number that was called, the one the planting committed
  // to: a caller who merely names orders (police, a regulator) cannot add hits that were never calls.
  const calledRef = new Map<string, string>();
  for (const o of outcomes) {
    const canon = o.hit && o.number ? canonicalPhone(o.number) : null;
    if (canon?.startsWith('+86')) calledRef.set(o.order, canaryPhoneRef(c.keyring, canon.slice(3)));
  }
  // Read and record under the ledger's lock, so that two reports of one hit write one entry.
  const { logged, recorded, unproven } = await c.ledger.write(async (trx, log) => {
    const rows: {
      order_id: string;
      planted_by: string;
      plant_idx: number | null;
      phone_ref: string | null;
      station_id: string | null;
      courier_id: string | null;
    }[] = [];
    for (let i = 0; i < ids.length; i += 500)
      rows.push(
        ...(await trx
          .selectFrom('canaries')
          .innerJoin('orders', 'orders.id', 'canaries.order_id')
          .select([
            'canaries.order_id',
            'canaries.planted_by',
            'canaries.plant_idx',
            'canaries.phone_ref',
            'orders.station_id',
            'orders.courier_id',
          ])
          .where('canaries.order_id', 'in', ids.slice(i, i + 500))
          .execute()),
      );
    const logged = new Map(rows.filter((r) => r.plant_idx !== null && withinReach(reach, r.planted_by)).map((r) => [r.order_id, r]));
    const claimed = [...logged.values()].flatMap((r) => {
      const ref = calledRef.get(r.order_id);
      return said.get(r.order_id) === true && ref !== undefined && ref === r.phone_ref
        ? [{ ...r, plant_idx: r.plant_idx as number, phone_ref: ref }]
        : [];
    });
    const recorded = await logHits(c, trx, log, claimed, by, 'investigator');
    const proven = new Set(claimed.map((r) => r.order_id));
    return { logged, recorded, unproven: [...logged.keys()].filter((id) => said.get(id) === true && !proven.has(id)) };
  });
  const { proven: list, ...r } = await registryTest(c, { reach, by });
  const proven = new Map(list.map((x) => [x.order, x.hit]));
  return {
    ...r,
    not_canaries: ids.filter((id) => !logged.has(id)),
    hits_recorded: recorded,
    hits_unproven: unproven,
    ledger_hits_reported_missed: [...said].filter(([order, hit]) => !hit && proven.get(order) === true).map(([order]) => order),
  };
}
