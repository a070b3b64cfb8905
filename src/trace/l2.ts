/**
 * L2: the Tardos decoder over a mapped dump. Each (record, slot) a principal's view carried is a position;
 * organisation-level slots count for the organisation, account-level slots for the account (two-level code).
 */
import { getParties, loadOrders, plainOrder, ROLE_FIELDS, type Custody, type Party } from '../custody/index.ts';
import { applicableSlots, orderBiases, readBits, SLOTS, viewBits } from '../fingerprint/index.ts';
import type { LeakedRecord } from './dump.ts';
import type { MappedRecord } from './match.ts';
import { logInnocentBound, spendingWeight, tardosScore, type Position } from './tardos.ts';

/** One principal's L2 result. */
export interface L2Score {
  party: string;
  positions: number;
  records: number;
  score: number;
  /** log10 of the bound on an innocent scoring this high. */
  log10Bound: number;
  /** One record index per order it is scored on, for evidence. */
  orders: string[];
}

/** The decode: every scored principal, the threshold, and who passes it. */
export interface L2Result {
  scores: L2Score[];
  candidates: number;
  log10Threshold: number;
  accused: L2Score[];
}

/** Scores every principal that handled a mapped record; accuses those whose bound is below ε / (candidates · w_k). */
export async function decodeL2(
  c: Custody,
  records: readonly LeakedRecord[],
  mapped: readonly MappedRecord[],
  epsilon: number,
  investigation = 1,
): Promise<L2Result> {
  const orderIds = [...new Set(mapped.map((m) => m.orderId))];
  const orders = new Map((await loadOrders(c.store.db, orderIds)).map((o) => [o.id, o]));
  const handlers = new Map<string, { party_id: string; fp_version: number }[]>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await c.store.db
      .selectFrom('releases')
      .select(['order_id', 'party_id', 'fp_version'])
      .where('order_id', 'in', orderIds.slice(i, i + 500))
      .execute();
    for (const r of rows) handlers.set(r.order_id, [...(handlers.get(r.order_id) ?? []), r]);
  }
  const parties = await getParties(c, [...new Set([...handlers.values()].flat().map((h) => h.party_id))]);
  // Per source: its positions, keyed by record and slot so that an organisation's accounts count once.
  const positions = new Map<string, Map<number, Position>>();
  const ordersOf = new Map<string, Set<string>>();
  for (const m of mapped) {
    const o = orders.get(m.orderId);
    if (!o) continue;
    // Reading the variants needs the address parts (only when the record kept an address); the name's
    // variants are read from the mask alone.
    const record = records[m.index] as LeakedRecord;
    const plain = plainOrder(c, o, '', { name: false, phone: false, address: record.address !== undefined });
    const can = applicableSlots(plain);
    const y = readBits(record, plain, can);
    if (y.every((b) => b === null)) continue;
    const biases = new Map<number, Float64Array>();
    for (const h of handlers.get(o.id) ?? []) {
      const party = parties.get(h.party_id) as Party;
      const fields = ROLE_FIELDS[party.kind];
      if (!fields) continue;
      const key = c.keyring.key('fingerprint', h.fp_version);
      const p = biases.get(h.fp_version) ?? orderBiases(key, h.fp_version, o.id);
      biases.set(h.fp_version, p);
      const x = viewBits(key, h.fp_version, o.id, { account: party.id, org: party.orgId }, fields, plain, p, can);
      for (let i = 0; i < SLOTS.length; i++) {
        const yi = y[i];
        const xi = x[i];
        if (yi === null || yi === undefined || xi === null || xi === undefined) continue;
        const source = (SLOTS[i] as (typeof SLOTS)[number]).level === 'org' ? party.orgId : party.id;
        let mine = positions.get(source);
        if (!mine) {
          mine = new Map();
          positions.set(source, mine);
          ordersOf.set(source, new Set());
        }
        const k = m.index * SLOTS.length + i;
        if (!mine.has(k)) mine.set(k, { p: p[i] as number, y: yi, x: xi });
        (ordersOf.get(source) as Set<string>).add(o.id);
      }
    }
  }
  const candidates = positions.size;
  const log10Threshold = (Math.log(epsilon) - Math.log(Math.max(1, candidates)) - Math.log(spendingWeight(investigation))) / Math.LN10;
  const scores: L2Score[] = [...positions].map(([party, map]) => {
    const pos = [...map.values()];
    const score = tardosScore(pos);
    return {
      party,
      positions: pos.length,
      records: new Set([...map.keys()].map((k) => Math.floor(k / SLOTS.length))).size,
      score,
      log10Bound: logInnocentBound(pos, score) / Math.LN10,
      orders: [...(ordersOf.get(party) ?? [])],
    };
  });
  scores.sort((a, b) => a.log10Bound - b.log10Bound || b.score - a.score);
  return { scores, candidates, log10Threshold, accused: scores.filter((s) => s.log10Bound <= log10Threshold) };
}
