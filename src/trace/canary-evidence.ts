/**
 * A canary test's design and hits come from the ledger, not from rows. Every planting writes a `canary` entry
 * whose `route` commits to the order, station and courier it was routed to; every hit writes a `canary_hit`
 * entry naming the planting. The test takes every planting entry in scope (by planter, outlet and time) and
 * every hit entry, and opens each route from the registry row that claims the entry. Someone editing rows can
 * therefore neither add, drop nor re-route a canary, nor add or drop a hit: an edit leaves a route that does
 * not open, and the outlet it belongs to is not tested at all (dropping chosen canaries from a test would tilt
 * it as surely as adding hits).
 */
import { sql } from 'kysely';
import { canaryRoute, type Custody, type Reach } from '../custody/index.ts';
import { decodeEntry, leafHash } from '../ledger/index.ts';
import { CANARY_HIT_LEAF, CANARY_LEAF } from '../ledger/entry.ts';

/** A canary as the ledger proves it: where it was routed and whether it was hit. */
export interface ProvenCanary {
  order: string;
  outlet: string;
  station: string | null;
  courier: string | null;
  hit: boolean;
}

/** An outlet left out of the test because its registry disagrees with the ledger. */
export interface RefusedOutlet {
  outlet: string;
  /** Planting entries of the outlet in scope. */
  canaries: number;
  /** The first disagreements, each with the ledger index of the planting entry. */
  problems: { index: number; problem: string }[];
}

/**
 * Which canaries a test covers: planters within `reach`, planted from `plantedSince` and before `plantedBefore`,
 * in `outlets` (default: all). A scope holds whole plantings; choosing among them is choosing among tests, each of
 * which spends its own share of the budget.
 */
export interface CanaryScope {
  reach: Reach;
  plantedSince?: string;
  plantedBefore?: string;
  outlets?: ReadonlySet<string>;
}

/** Leaves selected by `predicate` whose bytes hash to the tree, decoded; entries that do not hash are skipped (the ledger's tamper case). */
async function treeLeaves(c: Custody, predicate: string): Promise<({ i: number } & Record<string, unknown>)[]> {
  await c.ledger.refresh();
  const rows = await c.store.db
    .selectFrom('ledger')
    .select(['idx', 'leaf'])
    .where(sql<boolean>`${sql.raw(predicate)}`)
    .orderBy('idx')
    .execute();
  return rows
    .filter((r) => r.idx < c.ledger.tree.size && leafHash(Buffer.from(r.leaf, 'utf8')).equals(c.ledger.tree.leaf(r.idx)))
    .map((r) => decodeEntry(r.leaf) as unknown as { i: number } & Record<string, unknown>);
}

/** The outlets of the planting entries at `indexes` (entries that are not plantings in the tree are ignored). */
export async function plantingOutlets(c: Custody, indexes: readonly number[]): Promise<Set<string>> {
  const wanted = new Set(indexes);
  const outlets = new Set<string>();
  if (wanted.size === 0) return outlets;
  for (const e of await treeLeaves(c, CANARY_LEAF)) if (e.t === 'canary' && wanted.has(e.i)) outlets.add(String(e.outlet));
  return outlets;
}

/** The canaries in `scope` as the ledger proves them, and the outlets refused because a route does not open. */
export async function provenCanaries(c: Custody, scope: CanaryScope): Promise<{ canaries: ProvenCanary[]; refused: RefusedOutlet[] }> {
  const inReach = (party: unknown): boolean => scope.reach === '*' || scope.reach.includes(String(party));
  const plantings = (await treeLeaves(c, CANARY_LEAF)).filter(
    (e) =>
      e.t === 'canary' &&
      inReach(e.party) &&
      (scope.plantedSince === undefined || String(e.at) >= scope.plantedSince) &&
      (scope.plantedBefore === undefined || String(e.at) < scope.plantedBefore) &&
      (scope.outlets === undefined || scope.outlets.has(String(e.outlet))),
  );
  const planted = new Set(plantings.map((e) => e.i));
  const hit = new Set(
    (await treeLeaves(c, CANARY_HIT_LEAF))
      .filter((e) => e.t === 'canary_hit' && planted.has(Number(e.canary)))
      .map((e) => Number(e.canary)),
  );
  const rows = new Map<number, { order_id: string; station_id: string | null; courier_id: string | null }[]>();
  const idxs = [...planted];
  for (let i = 0; i < idxs.length; i += 500) {
    const chunk = await c.store.db
      .selectFrom('canaries')
      .innerJoin('orders', 'orders.id', 'canaries.order_id')
      .select(['canaries.plant_idx', 'canaries.order_id', 'orders.station_id', 'orders.courier_id'])
      .where('canaries.plant_idx', 'in', idxs.slice(i, i + 500))
      .execute();
    for (const r of chunk) if (r.plant_idx !== null) rows.set(r.plant_idx, [...(rows.get(r.plant_idx) ?? []), r]);
  }
  const byOutlet = new Map<string, { proven: ProvenCanary[]; problems: { index: number; problem: string }[]; count: number }>();
  for (const e of plantings) {
    const outlet = String(e.outlet);
    const o = byOutlet.get(outlet) ?? { proven: [], problems: [], count: 0 };
    byOutlet.set(outlet, o);
    o.count++;
    const claims = rows.get(e.i) ?? [];
    const row = claims[0];
    if (row === undefined) o.problems.push({ index: e.i, problem: 'no registry row claims this canary' });
    else if (claims.length > 1) o.problems.push({ index: e.i, problem: 'several registry rows claim this canary' });
    else if (canaryRoute(c.keyring, e.i, row.order_id, row.station_id, row.courier_id) !== e.route)
      o.problems.push({ index: e.i, problem: 'the order, station or courier differs from the ledger' });
    else o.proven.push({ order: row.order_id, outlet, station: row.station_id, courier: row.courier_id, hit: hit.has(e.i) });
  }
  const canaries: ProvenCanary[] = [];
  const refused: RefusedOutlet[] = [];
  for (const [outlet, o] of byOutlet)
    if (o.problems.length === 0) canaries.push(...o.proven);
    else refused.push({ outlet, canaries: o.count, problems: o.problems.slice(0, 20) });
  return { canaries, refused };
}
