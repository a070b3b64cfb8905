/**
 * L2: the Tardos decoder over a mapped dump. Each (record, slot) a principal's view carried is a position;
 * organisation-level slots count for the organisation, account-level slots for the account (two-level code).
 */
import { getParties, plainOrder, ROLE_FIELDS, type Custody, type Party } from '../custody/index.ts';
import { orderBiases, readBits, SLOTS, viewBits } from '../fingerprint/index.ts';
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
  const orders = new Map<string, Awaited<ReturnType<typeof loadOrders>>[number]>();
  for (const o of await loadOrders(c, orderIds)) orders.set(o.id, o);
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
  const positions = new Map<string, Map<string, Position>>();
  const ordersOf = new Map<string, Set<string>>();
  for (const m of mapped) {
    const o = orders.get(m.orderId);
    if (!o) continue;
    const plain = plainOrder(c, o, '', { name: true, phone: false, address: true });
    const y = readBits(records[m.index] as LeakedRecord, plain);
    if (y.every((b) => b === null)) continue;
    for (const h of handlers.get(o.id) ?? []) {
      const party = parties.get(h.party_id) as Party;
      const fields = ROLE_FIELDS[party.kind];
      if (!fields) continue;
      const key = c.keyring.key('fingerprint', h.fp_version);
      const p = orderBiases(key, h.fp_version, o.id);
      const x = viewBits(key, h.fp_version, o.id, { account: party.id, org: party.orgId }, fields, plain);
      SLOTS.forEach((slot, i) => {
        const yi = y[i];
        const xi = x[i];
        if (yi === null || yi === undefined || xi === null || xi === undefined) return;
        const source = slot.level === 'org' ? party.orgId : party.id;
        const mine = positions.get(source) ?? new Map<string, Position>();
        positions.set(source, mine);
        const k = `${m.index}:${i}`;
        if (!mine.has(k)) mine.set(k, { p: p[i] as number, y: yi, x: xi });
        ordersOf.set(source, (ordersOf.get(source) ?? new Set()).add(o.id));
      });
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
      records: new Set([...map.keys()].map((k) => k.split(':')[0])).size,
      score,
      log10Bound: logInnocentBound(pos, score) / Math.LN10,
      orders: [...(ordersOf.get(party) ?? [])],
    };
  });
  scores.sort((a, b) => a.log10Bound - b.log10Bound || b.score - a.score);
  return { scores, candidates, log10Threshold, accused: scores.filter((s) => s.log10Bound <= log10Threshold) };
}

async function loadOrders(c: Custody, ids: readonly string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await c.store.db
        .selectFrom('orders')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}
