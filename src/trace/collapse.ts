/**
 * Records collapsed per order. A dump repeats orders (overlapping daily manifests, merged lots); the same
 * bits seen twice are one observation, not two. Every statistic downstream counts distinct orders: each
 * order's copies become one, and a slot whose copies disagree becomes an erasure.
 */
import type { Bits } from '../fingerprint/index.ts';
import { at } from '../shared/at.ts';
import type { LeakedRecord } from './dump.ts';
import type { MappedRecord } from './match.ts';

/** One order as the dump shows it, however many records repeat it. */
export interface OrderEvidence {
  orderId: string;
  /** The dump's records mapped to this order. */
  records: number[];
  /** Parties whose alias some copy carried. */
  aliasParties: Set<string>;
  /** Distinct 11-digit phone numbers across the copies. */
  phones: Set<string>;
  /** Whether some copy kept an address (reading its variants needs the order's address parts). */
  address: boolean;
}

/** Groups mapped records by order, in order of first appearance. */
export function collapseByOrder(records: readonly LeakedRecord[], mapped: readonly MappedRecord[]): OrderEvidence[] {
  const byOrder = new Map<string, OrderEvidence>();
  for (const m of mapped) {
    let ev = byOrder.get(m.orderId);
    if (!ev) byOrder.set(m.orderId, (ev = { orderId: m.orderId, records: [], aliasParties: new Set(), phones: new Set(), address: false }));
    const r = at(records, m.index, 'leaked record');
    ev.records.push(m.index);
    if (m.aliasParty !== undefined) ev.aliasParties.add(m.aliasParty);
    const phone = r.phone?.replace(/\D/g, '');
    if (phone?.length === 11) ev.phones.add(phone);
    if (r.address !== undefined) ev.address = true;
  }
  return [...byOrder.values()];
}

/** One order's leaked bits from its copies: a slot keeps a value only where every copy that shows it agrees. */
export function mergeBits(reads: readonly Bits[]): Bits {
  const first = reads[0];
  if (!first) return [];
  if (reads.length === 1) return first;
  const out: Bits = [...first];
  const conflict = new Array<boolean>(out.length).fill(false);
  for (const y of reads.slice(1))
    for (let i = 0; i < out.length; i++) {
      const a = out[i];
      const b = y[i];
      if (conflict[i] || b === null || b === undefined) continue;
      // A slot one copy erased takes the value another copy shows; only a disagreement erases it, for good.
      if (a === null || a === undefined) out[i] = b;
      else if (a !== b) {
        out[i] = null;
        conflict[i] = true;
      }
    }
  return out;
}
