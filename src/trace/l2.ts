/**
 * L2: the Tardos decoder over a dump collapsed per order. Each (order, slot) a principal's view carried is a
 * position; organisation-level slots count for the organisation, account-level slots for the account
 * (two-level code). An order repeated in the dump is still one order: its copies' bits were merged first.
 */
import { getParties, loadRenderRows, plainOrder, ROLE_FIELDS, type Custody } from '../custody/index.ts';
import type { ReleasesTable } from '../store/index.ts';
import { applicableSlots, orderBiases, principalUniforms, readBits, slotBits, SLOTS } from '../fingerprint/index.ts';
import { at } from '../shared/at.ts';
import { mergeBits, type OrderEvidence } from './collapse.ts';
import type { LeakedRecord } from './dump.ts';
import { bitProbability, logInnocentBound, logInnocentLowerBound, tardosScore, type Position } from './tardos.ts';

/** One principal's L2 result. */
export interface L2Score {
  party: string;
  positions: number;
  /** Distinct orders the score rests on. */
  records: number;
  score: number;
  /**
   * The tail the score lies in: 'upper' when the source's bits agree with the leak more than chance, 'lower'
   * when they disagree more (a leaker that flipped its variants).
   */
  tail: 'upper' | 'lower';
  /** log10 of the bound on an innocent scoring this far out in that tail. */
  log10Bound: number;
  /** The orders it is scored on. */
  orders: string[];
}

/** What the decoder gathers for one source: its positions, the order and release each came from, and its distinct orders. */
export interface L2Source {
  pos: Position[];
  order: string[];
  release: number[];
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

/** The decode: every scored principal and its positions; the caller sets the threshold. */
export interface L2Result {
  scores: L2Score[];
  sources: Map<string, L2Source>;
  candidates: number;
}

/** Scores a source, optionally on the positions from some releases only. */
export function scoreSource(party: string, s: L2Source, keep?: (release: number) => boolean): L2Score {
  let pos = s.pos;
  let orders = s.orders;
  if (keep) {
    pos = [];
    const kept = new Set<string>();
    s.pos.forEach((p, i) => {
      if (!keep(s.release[i] as number)) return;
      pos.push(p);
      kept.add(s.order[i] as string);
    });
    orders = [...kept];
  }
  const score = tardosScore(pos);
  const tail = score < 0 ? 'lower' : 'upper';
  const bound = tail === 'lower' ? logInnocentLowerBound(pos, score) : logInnocentBound(pos, score);
  return { party, positions: pos.length, records: orders.length, score, tail, log10Bound: bound / Math.LN10, orders };
}

/** Scores every principal that handled an order of the dump, on the order's merged bits (both tails: see `L2Score.tail`). */
export async function decodeL2(
  c: Custody,
  records: readonly LeakedRecord[],
  evidence: readonly OrderEvidence[],
  releases: readonly ReleasesTable[],
): Promise<L2Result> {
  const orders = new Map(
    (
      await loadRenderRows(
        c.store.db,
        evidence.map((e) => e.orderId),
      )
    ).map((o) => [o.id, o]),
  );
  const handlers = new Map<string, ReleasesTable[]>();
  for (const r of releases) {
    const hs = handlers.get(r.order_id);
    if (hs) hs.push(r);
    else handlers.set(r.order_id, [r]);
  }
  const parties = await getParties(c, [...new Set(releases.map((h) => h.party_id))]);
  const sources = new Map<string, L2Source>();
  const keys = new Map<number, Buffer>();
  const keyOf = (v: number): Buffer => {
    let k = keys.get(v);
    if (!k) keys.set(v, (k = c.keyring.key('fingerprint', v)));
    return k;
  };
  const source = (id: string): L2Source => {
    let s = sources.get(id);
    if (!s) sources.set(id, (s = { pos: [], order: [], release: [], orders: [] }));
    return s;
  };
  for (const ev of evidence) {
    const o = orders.get(ev.orderId);
    const hs = handlers.get(ev.orderId);
    // An order nobody took a view of scores nobody: skip its decryption and reading.
    if (!o || !hs) continue;
    // Reading the variants needs the address parts (only when a copy kept an address); the name's
    // variants are read from the mask alone.
    const plain = plainOrder(c, o, '', { name: false, phone: false, address: ev.address });
    const can = applicableSlots(plain);
    const y = mergeBits(ev.records.map((i) => readBits(at(records, i, 'leaked record'), plain, can)));
    let readable = 0;
    for (let i = 0; i < SLOTS.length; i++) if (y[i] !== null && y[i] !== undefined) readable |= 1 << i;
    if (readable === 0) continue;
    const biases = new Map<number, Float64Array>();
    /** Each principal's uniforms on this order, by key version: an organisation's block serves its own account and its staff's org-level slots. */
    const drawn = new Map<number, Map<string, Float64Array>>();
    const uniformsOf = (version: number, principal: string): Float64Array => {
      let byPrincipal = drawn.get(version);
      if (!byPrincipal) drawn.set(version, (byPrincipal = new Map<string, Float64Array>()));
      let u = byPrincipal.get(principal);
      if (!u) byPrincipal.set(principal, (u = principalUniforms(keyOf(version), version, principal, o.id)));
      return u;
    };
    /** Org-level slots already counted on this order, per organisation (a bit per slot). */
    const orgSlots = new Map<string, number>();
    for (const h of hs) {
      const party = parties.get(h.party_id);
      const fields = party ? ROLE_FIELDS[party.kind] : undefined;
      if (!party || !fields) continue;
      // A handler whose view carried none of the slots the order shows (or only org-level ones its
      // organisation already counted) adds nothing: skip its PRF calls.
      const useful = readable & slotMask(party.kind, fields) & ~((orgSlots.get(party.orgId) ?? 0) & ORG_MASK);
      if (useful === 0) continue;
      const key = keyOf(h.fp_version);
      const p = biases.get(h.fp_version) ?? orderBiases(key, h.fp_version, o.id);
      biases.set(h.fp_version, p);
      // The bits viewBits gives; the organisation's uniforms only when one of its slots is still to count
      // (otherwise its slots are skipped below, whatever they hold).
      const acct = uniformsOf(h.fp_version, party.id);
      const org = useful & ORG_MASK ? uniformsOf(h.fp_version, party.orgId) : acct;
      const x = slotBits(fields, can, org, acct, p);
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
        // The bit was drawn as u < p with u on a 16-bit grid: score with that exact probability.
        s.pos.push({ p: bitProbability(p[i] as number), y: yi, x: xi });
        // A source's positions from one order are pushed together: a new order is a change from the last.
        if (s.orders[s.orders.length - 1] !== o.id) s.orders.push(o.id);
        s.order.push(o.id);
        s.release.push(h.ledger_idx);
      }
      orgSlots.set(party.orgId, done);
    }
  }
  const scores = [...sources].map(([party, s]) => scoreSource(party, s));
  scores.sort((a, b) => a.log10Bound - b.log10Bound || b.score - a.score);
  return { scores, sources, candidates: sources.size };
}
