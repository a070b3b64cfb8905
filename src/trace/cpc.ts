/**
 * L4: common-point-of-compromise triage over victim reports. For each party that handled a reported
 * order, a one-sided binomial test of how many reported orders it handled against its share of all orders,
 * and the same test within its parent (hierarchical descent), with Benjamini-Hochberg q-values for the queue
 * and a Bonferroni flag for escalation. Observational: it ranks
 * suspects and routes canaries; it never accuses anyone on its own.
 */
import { getParties, releasesOfOrders, type PartyKind, type StoreReader } from '../custody/index.ts';

/** One ranked suspect. */
export interface CpcSuspect {
  party: string;
  kind: PartyKind;
  name: string;
  /** Reported orders this party handled. */
  reports: number;
  /** How many it would handle by chance: reports × its share of orders. */
  expected: number;
  log10P: number;
  /** The same test among the reported orders its parent (station, outlet, merchant…) handled; null at the top. */
  log10PWithinParent: number | null;
  /** Benjamini-Hochberg q-value over every party tested. */
  q: number;
  /** Below the Bonferroni line at `alpha`: worth escalating (canaries, access review), still not an accusation. */
  escalate: boolean;
}

/** One source of the reports as the mixture model sees it. */
export interface CpcSource {
  /** A party, or 'elsewhere' for data that did not come from any handler. */
  party: string;
  /** Estimated share of all reports that came from it. */
  share: number;
  /** Expected number of reports from it. */
  reports: number;
}

/** The triage queue. */
export interface CpcResult {
  reports: number;
  tested: number;
  /** EM attribution when several sources feed the reports: shares of the reports by source, largest first. */
  sources: CpcSource[];
  accused: never[];
  suspects: CpcSuspect[];
}

const ROUTING = ['merchant_id', 'erp_id', 'carrier_id', 'outlet_id', 'station_id', 'courier_id'] as const;

/** ln P[Bin(n, p) ≥ x], summed in log space. */
export function logBinomialTail(n: number, p: number, x: number): number {
  if (x <= 0) return 0;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const lgam = (k: number): number => {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  };
  const ln = lgam(n);
  let acc = -Infinity;
  for (let k = x; k <= n; k++) {
    const t = ln - lgam(k) - lgam(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    const m = Math.max(acc, t);
    acc = m + Math.log(Math.exp(acc - m) + Math.exp(t - m));
  }
  return Math.min(0, acc);
}

/**
 * EM for a mixture of sources: each report's data came from one handler of its order, chosen by a
 * leaking source with its own share θ_s and then uniformly among the orders that source handled, or from
 * elsewhere (uniformly among all orders). Returns the sources whose expected report count is at least one.
 */
export function emSources(
  handlerSets: readonly Set<string>[],
  share: ReadonlyMap<string, number>,
  total: number,
  iterations = 200,
): CpcSource[] {
  const parties = [...new Set(handlerSets.flatMap((h) => [...h]))];
  const theta = new Map<string, number>(parties.map((p) => [p, 1 / (parties.length + 1)]));
  let elsewhere = 1 / (parties.length + 1);
  const n = handlerSets.length;
  if (n === 0) return [];
  const like = (p: string): number => 1 / Math.max(1, share.get(p) ?? 1);
  const counts = new Map<string, number>();
  for (let it = 0; it < iterations; it++) {
    counts.clear();
    let rest = 0;
    for (const h of handlerSets) {
      const bg = elsewhere / Math.max(1, total);
      let z = bg;
      for (const p of h) z += (theta.get(p) ?? 0) * like(p);
      for (const p of h) counts.set(p, (counts.get(p) ?? 0) + ((theta.get(p) ?? 0) * like(p)) / z);
      rest += bg / z;
    }
    for (const p of parties) theta.set(p, (counts.get(p) ?? 0) / n);
    elsewhere = rest / n;
  }
  const out: CpcSource[] = parties.map((p) => ({ party: p, share: theta.get(p) ?? 0, reports: (theta.get(p) ?? 0) * n }));
  out.push({ party: 'elsewhere', share: elsewhere, reports: elsewhere * n });
  return out.filter((s) => s.reports >= 1).sort((a, b) => b.reports - a.reports);
}

/**
 * Ranks the parties common to the reported orders. Several reports by one consumer (the same phone on the
 * orders: a case is linked to an order only through its victim's phone) count once, on the first order
 * given, so one person cannot make a pattern alone. Shares are taken among the orders of the platforms the
 * reports concern, not of every tenant in the store.
 */
export async function cpcTriage(c: StoreReader, reportedOrders: readonly string[], opts: { alpha?: number } = {}): Promise<CpcResult> {
  const alpha = opts.alpha ?? 1e-3;
  const db = c.store.db;
  const given = [...new Set(reportedOrders)];
  const routedById = new Map<
    string,
    { id: string; phone_bidx: string; platform_id: string } & Record<(typeof ROUTING)[number], string | null>
  >();
  for (let i = 0; i < given.length; i += 500)
    for (const r of await db
      .selectFrom('orders')
      .select(['id', 'phone_bidx', 'platform_id', ...ROUTING])
      .where('id', 'in', given.slice(i, i + 500))
      .execute())
      routedById.set(r.id, r);
  const victims = new Set<string>();
  const orders: string[] = [];
  /** Reports counted on each platform: a party is tested against the platforms it works for. */
  const reportsOn = new Map<string, number>();
  for (const id of given) {
    const r = routedById.get(id);
    if (!r || victims.has(r.phone_bidx)) continue;
    victims.add(r.phone_bidx);
    orders.push(id);
    reportsOn.set(r.platform_id, (reportsOn.get(r.platform_id) ?? 0) + 1);
  }
  const platforms = [...reportsOn.keys()];
  const handled = new Map<string, number>();
  const handlerSets: Set<string>[] = [];
  for (let i = 0; i < orders.length; i += 500) {
    const chunk = orders.slice(i, i + 500);
    const viewed = await releasesOfOrders(db, chunk);
    const sets = new Map<string, Set<string>>();
    for (const id of chunk) {
      const r = routedById.get(id);
      if (r) sets.set(id, new Set(ROUTING.map((col) => r[col]).filter((x): x is string => x !== null)));
    }
    for (const v of viewed) sets.get(v.order_id)?.add(v.party_id);
    for (const s of sets.values()) {
      handlerSets.push(s);
      for (const p of s) handled.set(p, (handled.get(p) ?? 0) + 1);
    }
  }
  // Each platform's orders, so that a large tenant's orders (or its reports) in the same store change nobody's
  // expectation on a small one.
  const totals = new Map<string, number>();
  if (platforms.length > 0)
    for (const r of await db
      .selectFrom('orders')
      .select(['platform_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('platform_id', 'in', platforms)
      .groupBy('platform_id')
      .execute())
      totals.set(r.platform_id, Number(r.n));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  const parties = await getParties(c, [...handled.keys()]);
  // A party's orders on each of those platforms: by routing for the organisations orders are routed to, by views for accounts.
  const sharesOn = new Map<string, Map<string, number>>();
  const addShare = (party: string, platform: string, count: number): void => {
    let m = sharesOn.get(party);
    if (!m) sharesOn.set(party, (m = new Map<string, number>()));
    m.set(platform, (m.get(platform) ?? 0) + count);
  };
  const ids = [...handled.keys()];
  for (const col of ROUTING) {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('orders')
        .select([col, 'platform_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where(col, 'in', ids.slice(i, i + 500))
        .where('platform_id', 'in', platforms)
        .groupBy([col, 'platform_id'])
        .execute();
      for (const r of rows) addShare(r[col] as string, r.platform_id, Number(r.n));
    }
  }
  const accounts = ids.filter((id) => !sharesOn.has(id));
  for (let i = 0; i < accounts.length; i += 500) {
    const rows = await db
      .selectFrom('releases as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select(['r.party_id', 'o.platform_id', (eb) => eb.fn.count<number | string>('r.order_id').distinct().as('n')])
      .where('r.party_id', 'in', accounts.slice(i, i + 500))
      .where('o.platform_id', 'in', platforms)
      .groupBy(['r.party_id', 'o.platform_id'])
      .execute();
    for (const r of rows) addShare(r.party_id, r.platform_id, Number(r.n));
  }
  const share = new Map([...sharesOn].map(([party, m]) => [party, [...m.values()].reduce((a, b) => a + b, 0)]));
  /** The reports a party could have handled and its chance per report: over the platforms it works for. */
  const baseline = (party: string): { reports: number; p: number } => {
    let reports = 0;
    let orders = 0;
    for (const pl of sharesOn.get(party)?.keys() ?? []) {
      reports += reportsOn.get(pl) ?? 0;
      orders += totals.get(pl) ?? 0;
    }
    return { reports, p: Math.min(1, (share.get(party) ?? 1) / Math.max(1, orders)) };
  };
  const n = orders.length;
  const tested = ids.map((id) => {
    const { reports, p: pi } = baseline(id);
    const x = handled.get(id) ?? 0;
    // Descent: among the reported orders its parent handled, does this party take more than its share of the
    // parent's orders? This separates the leaking courier from its station's other couriers.
    const parent = parties.get(id)?.parentId ?? null;
    const px = parent ? handled.get(parent) : undefined;
    const pShare = parent ? share.get(parent) : undefined;
    const within =
      px !== undefined && pShare !== undefined && pShare > 0
        ? logBinomialTail(px, Math.min(1, (share.get(id) ?? 1) / pShare), x) / Math.LN10
        : null;
    return { id, x, expected: reports * pi, log10P: logBinomialTail(Math.max(reports, x), pi, x) / Math.LN10, within };
  });
  tested.sort((a, b) => a.log10P - b.log10P);
  const m = tested.length;
  // BH: q_(i) = min over j >= i of p_(j)·m/j.
  const q = new Array<number>(m);
  let running = 1;
  for (let i = m - 1; i >= 0; i--) {
    running = Math.min(running, (10 ** (tested[i] as { log10P: number }).log10P * m) / (i + 1));
    q[i] = running;
  }
  const line = Math.log10(alpha / Math.max(1, m));
  return {
    reports: n,
    tested: m,
    sources: emSources(handlerSets, share, total),
    accused: [],
    suspects: tested.slice(0, 20).map((t, i) => ({
      party: t.id,
      kind: parties.get(t.id)?.kind ?? 'merchant',
      name: parties.get(t.id)?.name ?? '',
      reports: t.x,
      expected: Number(t.expected.toFixed(3)),
      log10P: t.log10P,
      log10PWithinParent: t.within,
      q: q[i] as number,
      escalate: t.log10P <= line,
    })),
  };
}
