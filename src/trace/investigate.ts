/**
 * A dump investigation: map the records, collapse them per order, then L1 (aliases and virtual numbers that
 * name a party) and L2 (the Tardos decoder). An accusation states its channel and its bound on having named
 * an innocent party, rests only on releases whose rows agree with their ledger leaves, and carries ledger
 * inclusion proofs of the releases it rests on. docs/trace-bounds.md gives the argument for each bound.
 */
import {
  entrySalt,
  getParties,
  numberIndex,
  openNumber,
  releasesOfOrders,
  type Custody,
  type PartyKind,
  type Reach,
} from '../custody/index.ts';
import { DEFAULT_POOL, type NumberPool } from '../fingerprint/index.ts';
import type { ReleasesTable } from '../store/index.ts';
import { must } from '../shared/at.ts';
import { spendBudget } from './budget.ts';
import { collapseByOrder, type OrderEvidence } from './collapse.ts';
import { parseDump, type LeakedRecord } from './dump.ts';
import { decodeL2, scoreSource } from './l2.ts';
import { checkReleases, type LeafMismatch } from './ledger-evidence.ts';
import { mapRecords, type MappedRecord } from './match.ts';

/** Inclusion proof of one release the evidence rests on. */
export interface ReleaseProof {
  order: string;
  index: number;
  size: number;
  leaf: string;
  proof: string[];
  /**
   * For an accusation by virtual numbers: the number and the entry's salt, which open the leaf's `vn`
   * commitment (SHA-256(salt || number)), so that anyone can check the dump's number is the one released.
   */
  opening?: { virtual_number: string; salt: string };
}

/** A party named, with the channel, the bound on this being an innocent party, and the evidence. */
export interface Accusation {
  party: string;
  kind: PartyKind;
  name: string;
  channel: 'L1' | 'L2' | 'L3';
  log10Bound: number;
  /** The threshold of the test that named it (its channel's share of this investigation's ε). */
  log10Threshold: number;
  evidence: Record<string, number | string>;
  proofs: ReleaseProof[];
}

/** A ranked suspect: not an accusation. */
export interface Suspect {
  party: string;
  kind: PartyKind;
  name: string;
  channel: 'L1' | 'L2';
  log10Bound: number;
  score?: number;
  /** L2: how many (order, slot) positions and distinct orders the score rests on. */
  positions?: number;
  records?: number;
}

/** The outcome of a dump investigation. */
export interface DumpInvestigation {
  records: number;
  /** Distinct orders the mapped records name (repeated records count once). */
  orders: number;
  mapped: { alias: number; address: number; phone: number; time: number };
  /** This investigation's number in the deployment, kept by the server. */
  investigation: number;
  /** The ledger index of the `investigation` entry that took that number (outsiders count the entries up to it). */
  investigationEntry: number;
  /** ε_n, this investigation's share of the deployment's false-accusation budget. */
  epsilon: number;
  /** Principals L2 scored (the Bonferroni count of its threshold). */
  candidates: number;
  /** L2's threshold. */
  log10Threshold: number;
  /** Each test's threshold: alias hits, virtual-number hits, L2. */
  thresholds: { alias: number; virtualNumber: number; l2: number };
  accused: Accusation[];
  suspects: Suspect[];
  /** Release rows held to their ledger leaves before they counted, and those that disagreed (never used). */
  ledger: { checked: number; mismatches: LeafMismatch[] };
}

/** Options: the virtual-number pool and how many releases per accused party to prove inclusion of. */
export interface InvestigateOptions {
  pool?: NumberPool;
  proofs?: number;
  /** The records' mapping to orders when the caller already made it (the dump report maps first). */
  mapped?: readonly MappedRecord[];
  /** The platforms whose orders the dump is matched against (the caller's reach; default all). */
  reach?: Reach;
  /** The caller's party id, logged with the investigation ('cli' by default: the command line). */
  by?: string;
  /** The text the records were read from, when the caller parsed it (its SHA-256 is logged). */
  input?: string;
}

const ALIAS = /^2\d{18}$/;

/** log10 n!, from a table grown on demand. */
const LF: number[] = [0];
function log10Factorial(n: number): number {
  for (let i = LF.length; i <= n; i++) LF.push((LF[i - 1] as number) + Math.log10(i));
  return LF[n] as number;
}

/**
 * L1 alias bound for a party named by aliases on `n` distinct orders. A number not taken from a view
 * deciphers (under each of `versions` fingerprint keys) to one of `entries` ledger indexes with probability
 * entries / 10^18, so some n of `probes` distinct numbers all hitting: at most C(probes, n)·(versions·entries / 10^18)^n,
 * summed over every party at once (their entries add up to at most `entries`).
 */
export function log10AliasBound(n: number, probes: number, entries: number, versions: number): number {
  if (n <= 0 || probes < n) return 0;
  const choose = log10Factorial(probes) - log10Factorial(n) - log10Factorial(probes - n);
  return Math.min(0, choose + n * (Math.log10(Math.max(1, entries * versions)) - 18));
}

/**
 * L1 virtual-number bound for `n` hits on distinct orders, where `load` = Σ over the party's orders in the
 * dump of (distinct numbers the dump shows for it) × (1 + bindings of its consumer): each order hits with
 * probability at most its share load_o / pool, so ≥ n hits has probability at most (load / pool)^n / n!.
 */
export function log10NumberBound(n: number, load: number, poolSize: number): number {
  if (n <= 0) return 0;
  return Math.min(0, n * Math.log10(load / poolSize) - log10Factorial(n));
}

/** Bindings each consumer holds (by phone index): an upper bound on the numbers taken when one was chosen. */
async function bindingsOf(c: Custody, bidx: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(bidx)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await c.store.db
      .selectFrom('releases')
      .select((eb) => ['phone_bidx', eb.fn.countAll().as('n')])
      .where('phone_bidx', 'in', unique.slice(i, i + 500))
      .groupBy('phone_bidx')
      .execute();
    for (const r of rows) out.set(r.phone_bidx, Number(r.n));
  }
  return out;
}

/** A possible accusation: its channel, its bound on a set of trusted releases, and the releases it uses. */
interface Claim {
  channel: 'L1' | 'L2';
  /** Virtual-number hits: the proofs open the leaves' number commitments. */
  opens?: true;
  threshold: number;
  releases: ReleasesTable[];
  judge: (keep: (idx: number) => boolean) => { log10Bound: number; evidence: Record<string, number | string>; orders: string[] };
}

/** Investigates a dump (text in any supported format, or parsed records). */
export async function investigateDump(
  c: Custody,
  dump: string | readonly LeakedRecord[],
  opts: InvestigateOptions = {},
): Promise<DumpInvestigation> {
  // The number is taken before anything is read: an investigation that fails still spent its share.
  const input = opts.input ?? (typeof dump === 'string' ? dump : JSON.stringify(dump));
  const budget = await spendBudget(c, { kind: 'dump', input, by: opts.by ?? 'cli' });
  const epsilon = budget.epsilon;
  const pool = opts.pool ?? DEFAULT_POOL;
  const records = typeof dump === 'string' ? parseDump(dump) : dump;
  const mapped = opts.mapped ?? (await mapRecords(c, records, opts.reach));
  const evidence = collapseByOrder(records, mapped);
  const evOf = new Map<string, OrderEvidence>(evidence.map((e) => [e.orderId, e]));
  const releases = await releasesOfOrders(
    c.store.db,
    evidence.map((e) => e.orderId),
  );
  const byIdx = new Map(releases.map((r) => [r.ledger_idx, r]));
  const handlers = new Set(releases.map((r) => r.party_id)).size;

  // ε splits in four: a quarter for alias hits (the bound covers every party at once), a quarter for
  // virtual-number hits (Bonferroni over the orders' handlers), half for L2 (Bonferroni over its sources and
  // its two tails: a source is tested on the tail its score lies in, at ε/4 per source and tail).
  const l2 = await decodeL2(c, records, evidence, releases);
  const thresholds = {
    alias: Math.log10(epsilon / 4),
    virtualNumber: Math.log10(epsilon / 4) - Math.log10(Math.max(1, handlers)),
    l2: Math.log10(epsilon / 4) - Math.log10(Math.max(1, l2.candidates)),
  };
  const claims = new Map<string, Claim[]>();
  const claim = (party: string, cl: Claim): void => {
    claims.set(party, [...(claims.get(party) ?? []), cl]);
  };

  // L1 aliases: one hit per distinct order, against every alias-shaped number the dump holds.
  const probes = new Set(records.map((r) => r.order_no?.replace(/\s/g, '')).filter((a): a is string => a !== undefined && ALIAS.test(a)))
    .size;
  const entries = c.ledger.tree.size;
  // Each fingerprint key version deciphers a number to an index, and pre-FF1 aliases are looked up as well.
  const versions = c.keyring.versions('fingerprint').length + 1;
  const aliasRel = new Map<string, ReleasesTable[]>();
  // Only dumps that kept aliases need releases by (order, party).
  const releaseOf = evidence.some((e) => e.aliasParties.size > 0)
    ? new Map(releases.map((r) => [`${r.order_id}|${r.party_id}`, r]))
    : new Map<string, ReleasesTable>();
  for (const ev of evidence)
    for (const party of ev.aliasParties) {
      const r = releaseOf.get(`${ev.orderId}|${party}`);
      if (!r) continue;
      const rels = aliasRel.get(party);
      if (rels) rels.push(r);
      else aliasRel.set(party, [r]);
    }
  for (const [party, rels] of aliasRel) {
    const judge = (keep: (idx: number) => boolean) => {
      const kept = rels.filter((r) => keep(r.ledger_idx));
      return {
        log10Bound: log10AliasBound(kept.length, probes, entries, versions),
        evidence: { aliases: kept.length, probes, ledger_entries: entries },
        orders: kept.map((r) => r.order_id),
      };
    };
    if (judge(() => true).log10Bound <= thresholds.alias)
      claim(party, { channel: 'L1', threshold: thresholds.alias, releases: rels, judge });
  }

  // L1 virtual numbers: a hit is an order whose copies show the number this party's binding carried. A row
  // is found by its blind index and counts only once its sealed number opens to a number the copies show; a
  // row without an index (one the service has not adopted, or whose index was removed) is opened directly.
  const tagsOf = new Map<string, Set<string>>();
  const shows = (r: ReleasesTable): boolean => {
    const phones = evOf.get(r.order_id)?.phones;
    if (!phones || phones.size === 0) return false;
    let tags = tagsOf.get(r.order_id);
    if (!tags) tagsOf.set(r.order_id, (tags = new Set([...phones].map((p) => numberIndex(c.keyring, r.phone_bidx, p)))));
    if (r.vn_bidx !== null && !tags.has(r.vn_bidx)) return false;
    try {
      return phones.has(openNumber(c.keyring, r));
    } catch {
      return false;
    }
  };
  const vnRel = new Map<string, ReleasesTable[]>();
  for (const r of releases)
    if (shows(r)) {
      const rels = vnRel.get(r.party_id);
      if (rels) rels.push(r);
      else vnRel.set(r.party_id, [r]);
    }
  if (vnRel.size > 0) {
    const exposed = releases.filter((r) => vnRel.has(r.party_id) && (evOf.get(r.order_id)?.phones.size ?? 0) > 0);
    const bindings = await bindingsOf(
      c,
      exposed.map((r) => r.phone_bidx),
    );
    for (const [party, rels] of vnRel) {
      const mine = exposed.filter((r) => r.party_id === party);
      const judge = (keep: (idx: number) => boolean) => {
        const kept = rels.filter((r) => keep(r.ledger_idx));
        const load = mine.reduce((s, r) => s + (evOf.get(r.order_id)?.phones.size ?? 0) * (1 + (bindings.get(r.phone_bidx) ?? 0)), 0);
        return {
          log10Bound: log10NumberBound(kept.length, load, pool.size),
          evidence: { virtual_numbers: kept.length, orders_with_numbers: mine.length, pool: pool.size },
          orders: kept.map((r) => r.order_id),
        };
      };
      if (judge(() => true).log10Bound <= thresholds.virtualNumber)
        claim(party, { channel: 'L1', opens: true, threshold: thresholds.virtualNumber, releases: rels, judge });
    }
  }

  // L2: every source at or below its threshold, on the positions of releases the ledger confirms.
  for (const s of l2.scores) {
    if (s.log10Bound > thresholds.l2) break;
    const src = l2.sources.get(s.party);
    if (!src) continue;
    claim(s.party, {
      channel: 'L2',
      threshold: thresholds.l2,
      releases: [...new Set(src.release)].map((i) => must(byIdx.get(i), 'release row')),
      judge: (keep) => {
        const r = scoreSource(s.party, src, keep);
        // Judged again on the tail first found: the score on fewer positions may not change sides.
        return {
          log10Bound: r.tail === s.tail ? r.log10Bound : 0,
          evidence: { records: r.records, positions: r.positions, score: Number(r.score.toFixed(2)), tail: r.tail },
          orders: r.orders,
        };
      },
    });
  }

  // Every release a claim rests on is held to its ledger leaf; a row that disagrees never counts.
  const checked = await checkReleases(
    c,
    [...claims.values()].flat().flatMap((cl) => cl.releases),
  );
  const keep = (idx: number): boolean => checked.verified.has(idx);
  const named: { party: string; cl: Claim; j: ReturnType<Claim['judge']> }[] = [];
  for (const [party, cls] of claims)
    for (const cl of cls) {
      const j = cl.judge(keep);
      if (j.log10Bound <= cl.threshold) {
        named.push({ party, cl, j });
        break;
      }
    }

  const parties = await getParties(c, [...named.map((n) => n.party), ...l2.scores.slice(0, 10).map((s) => s.party)]);
  const accused: Accusation[] = [];
  for (const { party, cl, j } of named) {
    const p = parties.get(party);
    const proofs: ReleaseProof[] = [];
    const rels = cl.releases.filter((r) => keep(r.ledger_idx) && j.orders.includes(r.order_id));
    for (const rel of rels.slice(0, opts.proofs ?? 3)) {
      const inc = await c.ledger.inclusion(rel.ledger_idx);
      proofs.push({
        order: rel.order_id,
        index: inc.index,
        size: inc.size,
        leaf: inc.leaf,
        proof: inc.proof,
        ...(cl.opens
          ? { opening: { virtual_number: openNumber(c.keyring, rel), salt: entrySalt(c.keyring, rel.ledger_idx).toString('hex') } }
          : {}),
      });
    }
    accused.push({
      party,
      kind: p?.kind ?? 'merchant',
      name: p?.name ?? '',
      channel: cl.channel,
      log10Bound: j.log10Bound,
      log10Threshold: cl.threshold,
      evidence: j.evidence,
      proofs,
    });
  }
  const suspects: Suspect[] = l2.scores
    .filter((s) => s.log10Bound < 0)
    .slice(0, 10)
    .map((s) => ({
      party: s.party,
      kind: parties.get(s.party)?.kind ?? 'merchant',
      name: parties.get(s.party)?.name ?? '',
      channel: 'L2',
      log10Bound: s.log10Bound,
      score: s.score,
      positions: s.positions,
      records: s.records,
    }));
  return {
    records: records.length,
    orders: evidence.length,
    mapped: {
      alias: mapped.filter((m) => m.via === 'alias').length,
      address: mapped.filter((m) => m.via === 'address').length,
      phone: mapped.filter((m) => m.via === 'phone').length,
      time: mapped.filter((m) => m.via === 'time').length,
    },
    investigation: budget.investigation,
    investigationEntry: budget.entry,
    epsilon,
    candidates: l2.candidates,
    log10Threshold: thresholds.l2,
    thresholds,
    accused,
    suspects,
    ledger: { checked: checked.verified.size + checked.mismatches.length, mismatches: checked.mismatches },
  };
}
