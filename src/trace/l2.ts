/**
 * L2: the Tardos decoder over a mapped dump. Each (record, slot) a principal's view carried is a position;
 * organisation-level slots count for the organisation, account-level slots for the account (two-level code).
 */
import { getParties, loadRenderRows, plainOrder, releasesOfOrders, ROLE_FIELDS, type Custody, type Party } from '../custody/index.ts';
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

/** The org-level slots, as a bit mask. */
const ORG_MASK = SLOTS.reduce((m, s, i) => (s.level === 'org' ? m | (1 << i) : m), 0);
const MASKS = new Map<string, number>();

/** The slots a role's view can carry, as a bit mask. */
function slotMask(kind: string, fields: readonly string[]): number {
  let m = MASKS.get(kind);
  if (m === undefined) MASKS.set(kind, (m = SLOTS.reduce((acc, s, i) => (fields.includes(s.field) ? acc | (1 << i) : acc), 0)));
  return m;
}

/** What the decoder gathers for one source. */
interface Source {
  pos: Position[];
  records: number;
  lastRecord: number;
  orders: Set<string>;
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
  const orders = new Map((await loadRenderRows(c.store.db, orderIds)).map((o) => [o.id, o]));
  const handlers = new Map<string, { party_id: string; fp_version: number }[]>();
  for (const r of await releasesOfOrders(c.store.db, orderIds)) handlers.set(r.order_id, [...(handlers.get(r.order_id) ?? []), r]);
  const parties = await getParties(c, [...new Set([...handlers.values()].flat().map((h) => h.party_id))]);
  // Per source (organisation for org-level slots, account for account-level ones): its positions, the
  // records they come from and the orders. An organisation's accounts share its org-level bits, so each
  // (record, org-level slot) counts once for the organisation, whichever of its accounts came first.
  const positions = new Map<string, Source>();
  const keys = new Map<number, Buffer>();
  const keyOf = (v: number): Buffer => {
    let k = keys.get(v);
    if (!k) keys.set(v, (k = c.keyring.key('fingerprint', v)));
    return k;
  };
  const source = (id: string): Source => {
    let s = positions.get(id);
    if (!s) positions.set(id, (s = { pos: [], records: 0, lastRecord: -1, orders: new Set() }));
    return s;
  };
  for (const m of mapped) {
    const o = orders.get(m.orderId);
    const hs = handlers.get(m.orderId);
    // An order nobody took a view of scores nobody: skip its decryption and reading.
    if (!o || !hs) continue;
    // Reading the variants needs the address parts (only when the record kept an address); the name's
    // variants are read from the mask alone.
    const record = records[m.index] as LeakedRecord;
    const plain = plainOrder(c, o, '', { name: false, phone: false, address: record.address !== undefined });
    const can = applicableSlots(plain);
    const y = readBits(record, plain, can);
    if (y.every((b) => b === null)) continue;
    let readable = 0;
    for (let i = 0; i < SLOTS.length; i++) if (y[i] !== null && y[i] !== undefined) readable |= 1 << i;
    const biases = new Map<number, Float64Array>();
    /** Org-level slots already counted on this record, per organisation (a bit per slot). */
    const orgSlots = new Map<string, number>();
    for (const h of hs) {
      const party = parties.get(h.party_id) as Party;
      const fields = ROLE_FIELDS[party.kind];
      if (!fields) continue;
      // A handler whose view carried none of the slots the record shows (or only org-level ones its
      // organisation already counted) adds nothing: skip its PRF calls.
      const useful = readable & slotMask(party.kind, fields) & ~((orgSlots.get(party.orgId) ?? 0) & ORG_MASK);
      if (useful === 0) continue;
      const key = keyOf(h.fp_version);
      const p = biases.get(h.fp_version) ?? orderBiases(key, h.fp_version, o.id);
      biases.set(h.fp_version, p);
      const x = viewBits(key, h.fp_version, o.id, { account: party.id, org: party.orgId }, fields, plain, p, can);
      let done = orgSlots.get(party.orgId) ?? 0;
      for (let i = 0; i < SLOTS.length; i++) {
        const yi = y[i];
        const xi = x[i];
        if (yi === null || yi === undefined || xi === null || xi === undefined) continue;
        const org = (SLOTS[i] as (typeof SLOTS)[number]).level === 'org';
        if (org) {
          if (done & (1 << i)) continue;
          done |= 1 << i;
        }
        const s = source(org ? party.orgId : party.id);
        if (s.lastRecord !== m.index) {
          s.lastRecord = m.index;
          s.records++;
          s.orders.add(o.id);
        }
        s.pos.push({ p: p[i] as number, y: yi, x: xi });
      }
      orgSlots.set(party.orgId, done);
    }
  }
  const candidates = positions.size;
  const log10Threshold = (Math.log(epsilon) - Math.log(Math.max(1, candidates)) - Math.log(spendingWeight(investigation))) / Math.LN10;
  const scores: L2Score[] = [...positions].map(([party, s]) => {
    const score = tardosScore(s.pos);
    return {
      party,
      positions: s.pos.length,
      records: s.records,
      score,
      log10Bound: logInnocentBound(s.pos, score) / Math.LN10,
      orders: [...s.orders],
    };
  });
  scores.sort((a, b) => a.log10Bound - b.log10Bound || b.score - a.score);
  return { scores, candidates, log10Threshold, accused: scores.filter((s) => s.log10Bound <= log10Threshold) };
}
