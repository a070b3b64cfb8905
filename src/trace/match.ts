/**
 * Maps leaked records back to canonical orders: by an alias if one survives, else by the
 * address's blind index, else by the recipient's phone (its blind index), else by the minute and item. Only
 * unambiguous matches count; every other record gets the reason it was left out.
 */
import { addressIndex, phoneIndex, releasesByAlias, type Custody, type Reach } from '../custody/index.ts';
import { normalizeAddress } from '../fingerprint/index.ts';
import { at } from '../shared/at.ts';
import type { LeakedRecord } from './dump.ts';

/** A record tied to an order, and how. `aliasParty` is set when the record carried that party's alias. */
export interface MappedRecord {
  index: number;
  orderId: string;
  via: 'alias' | 'address' | 'phone' | 'time';
  aliasParty?: string;
}

/**
 * Why a record was not mapped, by the first key it carried: no key at all (no alias-shaped order number,
 * address, full phone, or minute with item), a key that names no order, or one that names several.
 */
export type UnmappedReason =
  | 'no_key'
  | 'order_no_unknown'
  | 'address_unknown'
  | 'address_ambiguous'
  | 'phone_unknown'
  | 'phone_ambiguous'
  | 'time_item_unknown'
  | 'time_item_ambiguous';

const ALIAS = /^2\d{18}$/;

/** The minute a leaked time names (2026-11-20 14:05, 2026/11/20 14:05, 2026年11月20日 14:05), as the UTC ISO prefix of its start, or null. */
export function leakedMinute(time: string | undefined): string | null {
  const m = time ? /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]?(\d{1,2}):(\d\d)/.exec(time.trim()) : null;
  if (!m) return null;
  const two = (s: string | undefined): string => (s ?? '').padStart(2, '0');
  const t = Date.parse(`${m[1]}-${two(m[2])}-${two(m[3])}T${two(m[4])}:${m[5]}:00+08:00`);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 16);
}

/** The 11-digit mainland mobile number a leaked phone spells out in full, or null (masked, virtual or short). */
export function fullPhone(phone: string | undefined): string | null {
  const d = phone?.replace(/\D/g, '').replace(/^86(?=\d{11}$)/, '') ?? '';
  return /^1[3-9]\d{9}$/.test(d) ? d : null;
}

const titleMatches = (item: string | undefined, title: string): boolean =>
  item === undefined || item.startsWith(title) || item.startsWith(Array.from(title).slice(0, 12).join(''));

interface Candidate {
  id: string;
  ordered_at: string;
  paid_at: string;
  item_title: string;
}

type When = 'ordered_at' | 'paid_at';

/** The one candidate whose `when` falls in the minute and whose title matches the item, or how many did (0 or several). */
function narrowBy(item: string | undefined, minute: string | null, cands: readonly Candidate[], when: When): string | number {
  const left = cands.filter((o) => (minute === null || o[when].startsWith(minute)) && titleMatches(item, o.item_title));
  return left.length === 1 ? (left[0] as Candidate).id : left.length;
}

/**
 * Narrows candidates with the record's time and item. A dump's time may be the order's or the payment's
 * (下单时间 or 付款时间), which differ by minutes or days: the payment's minute is tried only when no order was
 * placed in that minute, so an order-time dump reads as it always did.
 */
function narrow(r: LeakedRecord, cands: readonly Candidate[]): string | number {
  const minute = leakedMinute(r.time);
  const placed = narrowBy(r.item, minute, cands, 'ordered_at');
  return placed === 0 && minute !== null ? narrowBy(r.item, minute, cands, 'paid_at') : placed;
}

/** Orders whose blind index in `column` is one of `keys`, grouped by that index. */
async function ordersByIndex(
  c: Custody,
  column: 'address_bidx' | 'phone_bidx',
  keys: readonly string[],
  reach: Reach,
): Promise<Map<string, Candidate[]>> {
  const out = new Map<string, Candidate[]>();
  if (reach !== '*' && reach.length === 0) return out;
  for (let i = 0; i < keys.length; i += 500) {
    let q = c.store.db
      .selectFrom('orders')
      .select(['id', 'ordered_at', 'paid_at', 'item_title', column])
      .where(column, 'in', keys.slice(i, i + 500));
    if (reach !== '*') q = q.where('platform_id', 'in', reach);
    const rows = await q.execute();
    for (const r of rows) {
      const k = (r as unknown as Record<typeof column, string>)[column];
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
  }
  return out;
}

/** Orders placed (or paid) in each of these minutes (UTC ISO prefixes), read through the column's index. */
async function ordersInMinutes(c: Custody, minutes: readonly string[], reach: Reach, when: When): Promise<Map<string, Candidate[]>> {
  const byMinute = new Map<string, Candidate[]>();
  if (reach !== '*' && reach.length === 0) return byMinute;
  for (let i = 0; i < minutes.length; i += 200) {
    const chunk = minutes.slice(i, i + 200);
    let q = c.store.db
      .selectFrom('orders')
      .select(['id', 'ordered_at', 'paid_at', 'item_title'])
      .where((eb) => eb.or(chunk.map((m) => eb.and([eb(when, '>=', m), eb(when, '<', `${m}:59.999Z`)]))));
    if (reach !== '*') q = q.where('platform_id', 'in', reach);
    for (const r of await q.execute()) {
      const k = r[when].slice(0, 16);
      const list = byMinute.get(k);
      if (list) list.push(r);
      else byMinute.set(k, [r]);
    }
  }
  return byMinute;
}

/** Maps records to orders of the platforms in reach (default: all). */
export async function mapRecords(c: Custody, records: readonly LeakedRecord[], reach: Reach = '*'): Promise<MappedRecord[]> {
  return (await mapRecordsExplained(c, records, reach)).mapped;
}

/**
 * Maps records to orders of the platforms in reach (default: all), and says for each record left out why.
 * An order of a platform out of reach is never a candidate: a caller learns nothing of other tenants' orders.
 */
export async function mapRecordsExplained(
  c: Custody,
  records: readonly LeakedRecord[],
  reach: Reach = '*',
): Promise<{ mapped: MappedRecord[]; unmapped: Map<number, UnmappedReason> }> {
  const out: (MappedRecord | null)[] = records.map(() => null);
  const unmapped = new Map<number, UnmappedReason>();
  const fail = (index: number, reason: UnmappedReason): void => {
    if (!unmapped.has(index)) unmapped.set(index, reason);
  };
  const orderNos = records.map((r) => r.order_no?.replace(/\s/g, ''));
  const aliases = [...new Set(orderNos.filter((a): a is string => a !== undefined && ALIAS.test(a)))];
  // Only aliases the fingerprint key proves: a pre-scheme alias rests on an unsigned table.
  const byAlias = await releasesByAlias(c, aliases, { legacy: false });
  if (reach !== '*') {
    const hitOrders = [...new Set([...byAlias.values()].map((r) => r.order_id))];
    const inReach = new Set<string>();
    for (let i = 0; i < hitOrders.length; i += 500)
      for (const r of await c.store.db
        .selectFrom('orders')
        .select(['id', 'platform_id'])
        .where('id', 'in', hitOrders.slice(i, i + 500))
        .execute())
        if (reach.includes(r.platform_id)) inReach.add(r.id);
    for (const [alias, r] of byAlias) if (!inReach.has(r.order_id)) byAlias.delete(alias);
  }
  await c.keyring.syncIndex(c.store.db);
  const bidxOf = records.map((r) => (r.address ? addressIndex(c.keyring, normalizeAddress(r.address)) : null));
  const byAddress = await ordersByIndex(c, 'address_bidx', [...new Set(bidxOf.filter((b): b is string => b !== null))], reach);
  /** Maps a record by one blind-indexed key; false (and the reason noted) when the key names no single order. */
  const byKey = (index: number, via: 'address' | 'phone', key: string | null, found: Map<string, Candidate[]>): boolean => {
    if (!key) return false;
    const one = narrow(at(records, index, 'leaked record'), found.get(key) ?? []);
    if (typeof one === 'string') {
      out[index] = { index, orderId: one, via };
      unmapped.delete(index);
      return true;
    }
    fail(index, one === 0 ? `${via}_unknown` : `${via}_ambiguous`);
    return false;
  };
  const left: number[] = [];
  records.forEach((_, index) => {
    const a = orderNos[index];
    const hit = a ? byAlias.get(a) : undefined;
    if (hit) out[index] = { index, orderId: hit.order_id, via: 'alias', aliasParty: hit.party_id };
    else {
      if (a) fail(index, 'order_no_unknown');
      if (!byKey(index, 'address', bidxOf[index] ?? null, byAddress)) left.push(index);
    }
  });
  // The phone's index is computed and looked up only for records the alias and address left unmapped.
  const phoneOf = new Map<number, string>();
  for (const index of left) {
    const p = fullPhone(at(records, index, 'leaked record').phone);
    if (p) phoneOf.set(index, phoneIndex(c.keyring, p));
  }
  const byPhone = await ordersByIndex(c, 'phone_bidx', [...new Set(phoneOf.values())], reach);
  const pending: number[] = [];
  for (const index of left) {
    const r = at(records, index, 'leaked record');
    if (byKey(index, 'phone', phoneOf.get(index) ?? null, byPhone)) continue;
    // Time alone is too weak: it needs the item as well to pin one order.
    if (r.item && leakedMinute(r.time)) pending.push(index);
    else fail(index, 'no_key');
  }
  // Payment minutes are read only for the records no order placed in their minute matched.
  const minuteOf = (index: number): string => leakedMinute(at(records, index, 'leaked record').time) as string;
  const placedIn = await ordersInMinutes(c, [...new Set(pending.map(minuteOf))], reach, 'ordered_at');
  const byTime = new Map(
    pending.map((i) => [i, narrowBy(at(records, i, 'leaked record').item, minuteOf(i), placedIn.get(minuteOf(i)) ?? [], 'ordered_at')]),
  );
  const unplaced = pending.filter((i) => byTime.get(i) === 0);
  const paidIn = await ordersInMinutes(c, [...new Set(unplaced.map(minuteOf))], reach, 'paid_at');
  for (const i of unplaced)
    byTime.set(i, narrowBy(at(records, i, 'leaked record').item, minuteOf(i), paidIn.get(minuteOf(i)) ?? [], 'paid_at'));
  for (const [index, one] of byTime) {
    if (typeof one === 'string') {
      out[index] = { index, orderId: one, via: 'time' };
      unmapped.delete(index);
    } else fail(index, one === 0 ? 'time_item_unknown' : 'time_item_ambiguous');
  }
  return { mapped: out.filter((m): m is MappedRecord => m !== null), unmapped };
}
