/**
 * L3: canary orders (memo §3.2). Canaries are routed at random within a stratum, so under "party j does not
 * leak" j's share of the hits is hypergeometric whatever the leakers do: an exact, design-based test.
 * Stations are tested within their outlet and couriers within their station (conditioning on the parent,
 * whose own leak would otherwise make all its children look guilty). Bonferroni over every test.
 */
import { getParties, releasesOfOrders, type Custody, type PartyKind } from '../custody/index.ts';
import type { Accusation } from './investigate.ts';
import { spendingWeight } from './tardos.ts';

/** A canary order and whether a scammer used its data. */
export interface CanaryOutcome {
  order: string;
  hit: boolean;
}

/** One hierarchy level the canaries were randomised over: orders' column for the party, and for its stratum. */
const LEVELS = [
  { party: 'station_id', stratum: 'outlet_id' },
  { party: 'courier_id', stratum: 'station_id' },
] as const;

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

/** One test: a party, its canaries and hits, and its stratum's. */
export interface CanaryTest {
  party: string;
  kind: PartyKind;
  canaries: number;
  hits: number;
  stratumCanaries: number;
  stratumHits: number;
  log10P: number;
}

/** The canary tests' outcome. */
export interface CanaryResult {
  tests: CanaryTest[];
  log10Threshold: number;
  accused: Accusation[];
}

/** Tests every station and courier that carried canaries; accuses those below ε / (tests · w_k). */
export async function canaryTests(
  c: Custody,
  outcomes: readonly CanaryOutcome[],
  opts: { epsilon?: number; investigation?: number } = {},
): Promise<CanaryResult> {
  const rows = await c.store.db
    .selectFrom('orders')
    .select(['id', 'outlet_id', 'station_id', 'courier_id'])
    .where(
      'id',
      'in',
      outcomes.map((o) => o.order),
    )
    .execute();
  const hit = new Map(outcomes.map((o) => [o.order, o.hit]));
  const tests: Omit<CanaryTest, 'kind'>[] = [];
  for (const level of LEVELS) {
    const strata = new Map<string, typeof rows>();
    for (const r of rows) {
      const s = r[level.stratum];
      if (s && r[level.party]) strata.set(s, [...(strata.get(s) ?? []), r]);
    }
    for (const members of strata.values()) {
      const N = members.length;
      const K = members.filter((r) => hit.get(r.id)).length;
      const byParty = new Map<string, typeof rows>();
      for (const r of members) byParty.set(r[level.party] as string, [...(byParty.get(r[level.party] as string) ?? []), r]);
      for (const [party, mine] of byParty) {
        const k = mine.filter((r) => hit.get(r.id)).length;
        tests.push({
          party,
          canaries: mine.length,
          hits: k,
          stratumCanaries: N,
          stratumHits: K,
          log10P: logHypergeometricTail(N, K, mine.length, k) / Math.LN10,
        });
      }
    }
  }
  const log10Threshold =
    Math.log10(opts.epsilon ?? 1e-6) - Math.log10(Math.max(1, tests.length)) - Math.log10(spendingWeight(opts.investigation ?? 1));
  const parties = await getParties(
    c,
    tests.map((t) => t.party),
  );
  const full = tests.map((t) => ({ ...t, kind: parties.get(t.party)?.kind ?? 'courier' })).sort((a, b) => a.log10P - b.log10P);
  const accused: Accusation[] = [];
  for (const t of full.filter((x) => x.log10P <= log10Threshold)) {
    // Proofs that the accused received the canaries that were then used.
    const hits = rows.filter((r) => hit.get(r.id) && (r.station_id === t.party || r.courier_id === t.party)).map((r) => r.id);
    const rels = (await releasesOfOrders(c.store.db, hits, t.party)).slice(0, 3);
    const proofs = [];
    for (const rel of rels) {
      const inc = await c.ledger.inclusion(rel.ledger_idx);
      proofs.push({ order: rel.order_id, index: inc.index, size: inc.size, leaf: inc.leaf, proof: inc.proof });
    }
    accused.push({
      party: t.party,
      kind: t.kind,
      name: parties.get(t.party)?.name ?? '',
      channel: 'L3',
      log10Bound: t.log10P,
      evidence: { canaries: t.canaries, hits: t.hits, stratum_canaries: t.stratumCanaries, stratum_hits: t.stratumHits },
      proofs,
    });
  }
  return { tests: full, log10Threshold, accused };
}
