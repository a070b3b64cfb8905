/**
 * L3: canary orders. Canaries are routed at random to a station of the outlet and a courier of
 * the station, so a party that does not leak gets at most its hypergeometric share of the hits, whatever
 * others leak: an exact, design-based test.
 *
 * Children are tested first. A courier is tested within its station (against its siblings), so its parent's
 * leak cannot make it look guilty. A station's hits are inflated just as much by one leaking courier as by
 * its own leak, so the station is tested through each of its children: each courier's canaries (and those
 * that went to no courier) against the outlet's canaries outside the station, and the station is named only
 * if every one of those tests rejects (its p-value is the largest). If the station and one of its couriers
 * are innocent, that courier's test has a valid null, so a single leaking courier never names its station.
 * Bonferroni over every test; the budget is the server's (budget.ts).
 */
import { getParties, releasesOfOrders, type Custody, type PartyKind } from '../custody/index.ts';
import { spendBudget } from './budget.ts';
import type { ProvenCanary } from './canary-evidence.ts';
import type { Accusation } from './investigate.ts';
import { checkReleases } from './ledger-evidence.ts';

/** ln P[X ≥ k] for X hypergeometric: n draws from N items of which K are marked. */
export function logHypergeometricTail(N: number, K: number, n: number, k: number): number {
  const lf = (x: number): number => {
    let s = 0;
    for (let i = 2; i <= x; i++) s += Math.log(i);
    return s;
  };
  const lc = (a: number, b: number): number => (b < 0 || b > a ? -Infinity : lf(a) - lf(b) - lf(a - b));
  let acc = -Infinity;
  for (let x = Math.max(k, 0); x <= Math.min(n, K); x++) {
    const t = lc(K, x) + lc(N - K, n - x) - lc(N, n);
    const m = Math.max(acc, t);
    if (m !== -Infinity) acc = m + Math.log(Math.exp(acc - m) + Math.exp(t - m));
  }
  return k <= 0 ? 0 : Math.min(0, acc);
}

/** One test: a party, its canaries and hits, and what they were compared with. */
export interface CanaryTest {
  party: string;
  kind: PartyKind;
  canaries: number;
  hits: number;
  /** Canaries and hits of the comparison: siblings for a courier, the outlet outside the station for a station. */
  stratumCanaries: number;
  stratumHits: number;
  log10P: number;
}

/** The canary tests' outcome. */
export interface CanaryResult {
  investigation: number;
  /** The ledger index of the `investigation` entry that took that number. */
  investigationEntry: number;
  epsilon: number;
  tests: CanaryTest[];
  log10Threshold: number;
  accused: Accusation[];
}

interface Row {
  id: string;
  outlet_id: string | null;
  station_id: string | null;
  courier_id: string | null;
}

/** log10 P[at least `k` of the hits fall on `mine`], comparing `mine` with `others`. */
function tail(mine: readonly Row[], others: readonly Row[], hit: (r: Row) => boolean): Omit<CanaryTest, 'party' | 'kind'> {
  const k = mine.filter(hit).length;
  const N = mine.length + others.length;
  const K = k + others.filter(hit).length;
  return {
    canaries: mine.length,
    hits: k,
    stratumCanaries: N,
    stratumHits: K,
    log10P: logHypergeometricTail(N, K, mine.length, k) / Math.LN10,
  };
}

const groupBy = (rows: readonly Row[], key: (r: Row) => string | null): Map<string, Row[]> => {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) m.set(k, [...(m.get(k) ?? []), r]);
  }
  return m;
};

/**
 * Tests every courier, then every station, that carried canaries; accuses those below ε_n / (tests · scopes),
 * where scopes = 10^log10Scopes counts the scopes the caller chose this set of canaries from. The canaries,
 * their routes and hits are the ledger's (canary-evidence.ts). `by` is the caller's party id.
 */
export async function canaryTests(c: Custody, canaries: readonly ProvenCanary[], by = 'cli', log10Scopes = 0): Promise<CanaryResult> {
  const budget = await spendBudget(c, { kind: 'canaries', input: JSON.stringify(canaries.map((o) => [o.order, o.hit])), by });
  const rows: Row[] = canaries.map((o) => ({ id: o.order, outlet_id: o.outlet, station_id: o.station, courier_id: o.courier }));
  const hits = new Map(canaries.map((o) => [o.order, o.hit]));
  const hit = (r: Row): boolean => hits.get(r.id) === true;
  const tests: Omit<CanaryTest, 'kind'>[] = [];
  // Couriers within their station.
  for (const members of groupBy(rows, (r) => r.station_id).values())
    for (const [courier, mine] of groupBy(members, (r) => r.courier_id))
      tests.push({
        party: courier,
        ...tail(
          mine,
          members.filter((r) => r.courier_id !== courier),
          hit,
        ),
      });
  // Stations within their outlet, through each child: the weakest child's evidence is the station's.
  for (const members of groupBy(rows, (r) => r.outlet_id).values())
    for (const [station, mine] of groupBy(members, (r) => r.station_id)) {
      const outside = members.filter((r) => r.station_id !== station);
      const children = [...groupBy(mine, (r) => r.courier_id ?? '').values()].map((g) => tail(g, outside, hit));
      const weakest = children.reduce((a, b) => (b.log10P > a.log10P ? b : a));
      tests.push({ party: station, ...tail(mine, outside, hit), log10P: weakest.log10P });
    }
  // Bonferroni over the tests, and over the scopes the caller could have chosen this one from (log10Scopes).
  const log10Threshold = Math.log10(budget.epsilon) - Math.log10(Math.max(1, tests.length)) - log10Scopes;
  const parties = await getParties(
    c,
    tests.map((t) => t.party),
  );
  const full = tests.map((t) => ({ ...t, kind: parties.get(t.party)?.kind ?? 'courier' })).sort((a, b) => a.log10P - b.log10P);
  const accused: Accusation[] = [];
  for (const t of full.filter((x) => x.log10P <= log10Threshold)) {
    // Proofs that the accused received the canaries that were then used, from rows that match their leaves.
    const used = rows.filter((r) => hit(r) && (r.station_id === t.party || r.courier_id === t.party)).map((r) => r.id);
    const rels = await releasesOfOrders(c.store.db, used.slice(0, 20), t.party);
    const { verified } = await checkReleases(c, rels);
    const proofs = [];
    for (const rel of rels.filter((r) => verified.has(r.ledger_idx)).slice(0, 3)) {
      const inc = await c.ledger.inclusion(rel.ledger_idx);
      proofs.push({ order: rel.order_id, index: inc.index, size: inc.size, leaf: inc.leaf, proof: inc.proof });
    }
    accused.push({
      party: t.party,
      kind: t.kind,
      name: parties.get(t.party)?.name ?? '',
      channel: 'L3',
      log10Bound: t.log10P,
      log10Threshold,
      evidence: { canaries: t.canaries, hits: t.hits, stratum_canaries: t.stratumCanaries, stratum_hits: t.stratumHits },
      proofs,
    });
  }
  return {
    investigation: budget.investigation,
    investigationEntry: budget.entry,
    epsilon: budget.epsilon,
    tests: full,
    log10Threshold,
    accused,
  };
}
