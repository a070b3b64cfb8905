/**
 * A dump investigation: map the records, then L1 (aliases and virtual numbers that name a party) and L2 (the
 * Tardos decoder). An accusation states its channel and its bound on having named an innocent party, and
 * carries ledger inclusion proofs of the releases it rests on.
 */
import { getParties, releasesOfOrders, type Custody, type PartyKind } from '../custody/index.ts';
import { DEFAULT_POOL, type NumberPool } from '../fingerprint/index.ts';
import { parseDump, type LeakedRecord } from './dump.ts';
import { decodeL2 } from './l2.ts';
import { mapRecords, type MappedRecord } from './match.ts';
import { spendingWeight } from './tardos.ts';

/** Inclusion proof of one release the evidence rests on. */
export interface ReleaseProof {
  order: string;
  index: number;
  size: number;
  leaf: string;
  proof: string[];
}

/** A party named, with the channel, the bound on this being an innocent party, and the evidence. */
export interface Accusation {
  party: string;
  kind: PartyKind;
  name: string;
  channel: 'L1' | 'L2' | 'L3';
  log10Bound: number;
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
  /** L2: how many (record, slot) positions and records the score rests on. */
  positions?: number;
  records?: number;
}

/** The outcome of a dump investigation. */
export interface DumpInvestigation {
  records: number;
  mapped: { alias: number; address: number; phone: number; time: number };
  epsilon: number;
  candidates: number;
  log10Threshold: number;
  accused: Accusation[];
  suspects: Suspect[];
}

/** Options: the false-accusation budget for this investigation and its number (for alpha-spending). */
export interface InvestigateOptions {
  epsilon?: number;
  investigation?: number;
  pool?: NumberPool;
  /** How many releases per accused party to prove inclusion of. */
  proofs?: number;
  /** The records' mapping to orders when the caller already made it (the dump report maps first). */
  mapped?: readonly MappedRecord[];
}

/** Investigates a dump (text in any supported format, or parsed records). */
export async function investigateDump(
  c: Custody,
  dump: string | readonly LeakedRecord[],
  opts: InvestigateOptions = {},
): Promise<DumpInvestigation> {
  const epsilon = opts.epsilon ?? 1e-6;
  const k = opts.investigation ?? 1;
  const pool = opts.pool ?? DEFAULT_POOL;
  const records = typeof dump === 'string' ? parseDump(dump) : dump;
  const mapped = opts.mapped ?? (await mapRecords(c, records));

  // L1: an alias names its party outright (18 random digits: 1e-18 per probe); a virtual number names the
  // party whose binding it was for that order, at 1/pool per record, so it takes several records to accuse.
  const aliasHits = new Map<string, number>();
  for (const m of mapped) if (m.aliasParty) aliasHits.set(m.aliasParty, (aliasHits.get(m.aliasParty) ?? 0) + 1);
  const vnHits = new Map<string, number>();
  const phones = mapped
    .map((m) => ({ m, vn: (records[m.index] as LeakedRecord).phone?.replace(/\D/g, '') }))
    .filter((x) => x.vn?.length === 11);
  for (let i = 0; i < phones.length; i += 500) {
    const chunk = phones.slice(i, i + 500);
    const rows = await releasesOfOrders(
      c.store.db,
      chunk.map((x) => x.m.orderId),
    );
    const want = new Set(chunk.map((x) => `${x.m.orderId}|${x.vn ?? ''}`));
    for (const r of rows) if (want.has(`${r.order_id}|${r.virtual_number}`)) vnHits.set(r.party_id, (vnHits.get(r.party_id) ?? 0) + 1);
  }
  const probes = records.filter((r) => r.order_no !== undefined).length;

  const l2 = await decodeL2(c, records, mapped, epsilon / 2, k);
  const l1Threshold = Math.log10(epsilon / 2) - Math.log10(spendingWeight(k)) - Math.log10(Math.max(1, l2.candidates));
  const named = new Map<string, Omit<Accusation, 'kind' | 'name' | 'proofs'> & { orders: string[] }>();
  for (const [party, n] of aliasHits) {
    const log10Bound = Math.log10(Math.max(1, probes)) - 18;
    if (log10Bound <= l1Threshold)
      named.set(party, {
        party,
        channel: 'L1',
        log10Bound,
        evidence: { aliases: n, probes },
        orders: mapped.filter((m) => m.aliasParty === party).map((m) => m.orderId),
      });
  }
  for (const [party, n] of vnHits) {
    const log10Bound = n * Math.log10(1 / pool.size);
    if (!named.has(party) && log10Bound <= l1Threshold)
      named.set(party, { party, channel: 'L1', log10Bound, evidence: { virtual_numbers: n }, orders: [] });
  }
  for (const s of l2.accused)
    if (!named.has(s.party))
      named.set(s.party, {
        party: s.party,
        channel: 'L2',
        log10Bound: s.log10Bound,
        evidence: { records: s.records, positions: s.positions, score: Number(s.score.toFixed(2)) },
        orders: s.orders,
      });

  const parties = await getParties(c, [...named.keys(), ...l2.scores.slice(0, 10).map((s) => s.party), ...vnHits.keys()]);
  const accused: Accusation[] = [];
  for (const a of named.values()) {
    const p = parties.get(a.party);
    const proofs: ReleaseProof[] = [];
    for (const order of a.orders.slice(0, opts.proofs ?? 3)) {
      const [rel] = await releasesOfOrders(c.store.db, [order], a.party);
      if (!rel) continue;
      const inc = await c.ledger.inclusion(rel.ledger_idx);
      proofs.push({ order, index: inc.index, size: inc.size, leaf: inc.leaf, proof: inc.proof });
    }
    accused.push({
      party: a.party,
      kind: p?.kind ?? 'merchant',
      name: p?.name ?? '',
      channel: a.channel,
      log10Bound: a.log10Bound,
      evidence: a.evidence,
      proofs,
    });
  }
  const suspects: Suspect[] = l2.scores
    .filter((s) => s.score > 0)
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
    mapped: {
      alias: mapped.filter((m) => m.via === 'alias').length,
      address: mapped.filter((m) => m.via === 'address').length,
      phone: mapped.filter((m) => m.via === 'phone').length,
      time: mapped.filter((m) => m.via === 'time').length,
    },
    epsilon,
    candidates: l2.candidates,
    log10Threshold: Math.min(l2.log10Threshold, l1Threshold),
    accused,
    suspects,
  };
}
