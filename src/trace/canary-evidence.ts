/**
 * A canary test's design and hits come from the ledger, not from rows. Every planting writes a `canary` entry
 * whose `route` commits to the order, its monitored number, station and courier; every hit writes a
 * `canary_hit` entry naming the planting, and only once the planting opens with the number that was called.
 * The test takes every planting entry in its scope and every hit entry, and opens each route from the registry
 * row that claims it. Someone editing rows can therefore neither add, drop nor re-route a canary, nor move a
 * hit to another canary: an edit leaves a route that does not open, and the outlet it belongs to is not tested
 * at all (dropping chosen canaries would tilt the test as surely as adding hits). A canary entry whose bytes
 * no longer hash to the tree stops every test until the log is restored.
 */
import { sql, type Kysely } from 'kysely';
import { canaryRoute, withinReach, type CanaryRoute, type Custody, type Reach } from '../custody/index.ts';
import { decodeEntry } from '../ledger/index.ts';
import { CANARY_HIT_LEAF, CANARY_LEAF } from '../ledger/entry.ts';
import type { Database } from '../store/index.ts';

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
  /** The outlet, or '*' when the log itself is damaged and no outlet is tested. */
  outlet: string;
  /** Planting entries of the outlet in scope. */
  canaries: number;
  /** The first disagreements, each with the ledger index it concerns. */
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

type Leaf = { i: number } & Record<string, unknown>;

/** Leaves selected by `predicate` (and `extra`), split into those whose bytes hash to the tree and the indexes of those that do not. */
async function treeLeaves(
  c: Custody,
  db: Kysely<Database>,
  predicate: string,
  extra?: ReturnType<typeof sql<boolean>>,
): Promise<{ ok: Leaf[]; broken: number[] }> {
  let q = db
    .selectFrom('ledger')
    .select(['idx', 'leaf'])
    .where(sql<boolean>`${sql.raw(predicate)}`);
  if (extra) q = q.where(extra);
  const ok: Leaf[] = [];
  const broken: number[] = [];
  for (const r of await q.orderBy('idx').execute()) {
    if (c.ledger.holds(r.idx, r.leaf)) ok.push(decodeEntry(r.leaf));
    else broken.push(r.idx);
  }
  return { ok, broken };
}

/** The planting entry at `index` if it is one in the tree, else null. */
async function plantingAt(c: Custody, db: Kysely<Database>, index: number): Promise<Leaf | null> {
  const row = await db.selectFrom('ledger').select('leaf').where('idx', '=', index).executeTakeFirst();
  if (!row || !c.ledger.holds(index, row.leaf)) return null;
  const e = decodeEntry(row.leaf) as unknown as Leaf;
  return e.t === 'canary' && e.i === index ? e : null;
}

/** Whether the planting entry at `index` opens to `route`. */
export async function plantingOpens(c: Custody, db: Kysely<Database>, index: number, route: CanaryRoute): Promise<boolean> {
  const e = await plantingAt(c, db, index);
  return e !== null && e.route === canaryRoute(c.keyring, index, route);
}

/** The plantings among `indexes` that have a hit entry in the tree. */
export async function loggedHits(c: Custody, db: Kysely<Database>, indexes: readonly number[]): Promise<Set<number>> {
  const hit = new Set<number>();
  const wanted = new Set(indexes);
  for (let i = 0; i < indexes.length; i += 200) {
    const chunk = indexes.slice(i, i + 200);
    // A hit leaf ends with the planting's index (`…,"canary":N}`): the pattern narrows the indexed hit leaves.
    const { ok } = await treeLeaves(
      c,
      db,
      CANARY_HIT_LEAF,
      sql<boolean>`(${sql.join(
        chunk.map((n) => sql`leaf like ${`%"canary":${String(n)}}`}`),
        sql` or `,
      )})`,
    );
    for (const e of ok) if (e.t === 'canary_hit' && wanted.has(Number(e.canary))) hit.add(Number(e.canary));
  }
  return hit;
}

/** log10 of the binomial coefficient C(n, k). */
function log10Choose(n: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log10(n - i) - Math.log10(i + 1);
  return s;
}

/**
 * log10 of how many scopes like `scope` a caller could have chosen among the plantings in its reach: a time
 * window is one of P(P+1)/2 runs of its P plantings (by planting time), and m outlets are C(K, m) of its K.
 * A scope picked after looking at the hits is then still within the budget (Bonferroni over the choices).
 */
function log10Scopes(plantings: readonly Leaf[], scope: CanaryScope): number {
  let w = 0;
  if (scope.plantedSince !== undefined || scope.plantedBefore !== undefined) {
    const p = new Set(plantings.map((e) => String(e.at))).size;
    w += Math.log10(Math.max(1, (p * (p + 1)) / 2));
  }
  if (scope.outlets !== undefined) {
    const k = new Set(plantings.map((e) => String(e.outlet))).size;
    w += log10Choose(Math.max(k, scope.outlets.size), scope.outlets.size);
  }
  return w;
}

/** The canaries in `scope` as the ledger proves them, and the outlets refused because a route does not open. */
export async function provenCanaries(
  c: Custody,
  scope: CanaryScope,
): Promise<{ canaries: ProvenCanary[]; refused: RefusedOutlet[]; log10Scopes: number }> {
  await c.ledger.refresh();
  const inReach = (party: unknown): boolean => withinReach(scope.reach, String(party));
  const inScope = (outlet: string): boolean => scope.outlets === undefined || scope.outlets.has(outlet);
  const plantLeaves = await treeLeaves(c, c.store.db, CANARY_LEAF);
  const hitLeaves = await treeLeaves(c, c.store.db, CANARY_HIT_LEAF);
  const broken = [...plantLeaves.broken, ...hitLeaves.broken];
  if (broken.length > 0)
    return {
      canaries: [],
      log10Scopes: 0,
      refused: [
        {
          outlet: '*',
          canaries: 0,
          problems: broken
            .slice(0, 20)
            .map((index) => ({ index, problem: 'a canary entry does not hash to the log: run `gatekeeper ledger verify`' })),
        },
      ],
    };
  const plantings = plantLeaves.ok.filter(
    (e) =>
      e.t === 'canary' &&
      inReach(e.party) &&
      (scope.plantedSince === undefined || String(e.at) >= scope.plantedSince) &&
      (scope.plantedBefore === undefined || String(e.at) < scope.plantedBefore) &&
      inScope(String(e.outlet)),
  );
  const planted = new Set(plantings.map((e) => e.i));
  const anyPlanting = new Set(plantLeaves.ok.filter((e) => e.t === 'canary').map((e) => e.i));
  const hitEntries = new Map<number, number>();
  for (const e of hitLeaves.ok) if (e.t === 'canary_hit' && planted.has(Number(e.canary))) hitEntries.set(Number(e.canary), e.i);

  // Every registry row in reach that says it was logged: its planting and its hit must be in the log.
  let q = c.store.db
    .selectFrom('canaries')
    .innerJoin('orders', 'orders.id', 'canaries.order_id')
    .select([
      'canaries.plant_idx',
      'canaries.hit_idx',
      'canaries.order_id',
      'canaries.phone_ref',
      'orders.outlet_id',
      'orders.station_id',
      'orders.courier_id',
    ])
    .where('canaries.plant_idx', 'is not', null);
  if (scope.reach !== '*')
    q = scope.reach.length === 0 ? q.where('canaries.planted_by', '=', '') : q.where('canaries.planted_by', 'in', scope.reach);
  const rows = await q.execute();
  const byOutlet = new Map<string, { proven: ProvenCanary[]; problems: { index: number; problem: string }[]; count: number }>();
  const outletOf = (o: string): { proven: ProvenCanary[]; problems: { index: number; problem: string }[]; count: number } => {
    let v = byOutlet.get(o);
    if (!v) byOutlet.set(o, (v = { proven: [], problems: [], count: 0 }));
    return v;
  };
  const claims = new Map<number, typeof rows>();
  for (const r of rows) {
    const idx = r.plant_idx as number;
    claims.set(idx, [...(claims.get(idx) ?? []), r]);
    // A row whose planting is not in the log (edited, or moved out of its kind) cannot be placed by the log:
    // its outlet, as the row says, is refused rather than tested without it.
    const rowOutlet = r.outlet_id ?? '';
    if (!anyPlanting.has(idx) && inScope(rowOutlet))
      outletOf(rowOutlet).problems.push({ index: idx, problem: 'the registry row names no planting entry in the log' });
    if (r.hit_idx !== null && planted.has(idx) && hitEntries.get(idx) !== r.hit_idx)
      outletOf(rowOutlet).problems.push({ index: r.hit_idx, problem: 'the registry row names a hit the log does not hold' });
  }
  for (const e of plantings) {
    const o = outletOf(String(e.outlet));
    o.count++;
    const mine = claims.get(e.i) ?? [];
    const row = mine[0];
    if (row === undefined) o.problems.push({ index: e.i, problem: 'no registry row claims this canary' });
    else if (mine.length > 1) o.problems.push({ index: e.i, problem: 'several registry rows claim this canary' });
    else if (
      e.route !==
      canaryRoute(c.keyring, e.i, {
        orderId: row.order_id,
        phoneRef: row.phone_ref ?? '',
        station: row.station_id,
        courier: row.courier_id,
      })
    )
      o.problems.push({ index: e.i, problem: 'the order, number, station or courier differs from the ledger' });
    else
      o.proven.push({
        order: row.order_id,
        outlet: String(e.outlet),
        station: row.station_id,
        courier: row.courier_id,
        hit: hitEntries.has(e.i),
      });
  }
  const canaries: ProvenCanary[] = [];
  const refused: RefusedOutlet[] = [];
  for (const [outlet, o] of byOutlet)
    if (o.problems.length === 0) canaries.push(...o.proven);
    else refused.push({ outlet, canaries: o.count, problems: o.problems.slice(0, 20) });
  return {
    canaries,
    refused,
    log10Scopes: log10Scopes(
      plantLeaves.ok.filter((e) => e.t === 'canary' && inReach(e.party)),
      scope,
    ),
  };
}
