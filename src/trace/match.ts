/**
 * Maps leaked records back to canonical orders (memo §1.8): by an alias if one survives, else by the
 * address's blind index, else by the minute and item. Only unambiguous matches count; the rest are dropped.
 */
import { addressIndex, releasesByAlias, type Custody } from '../custody/index.ts';
import { normalizeAddress } from '../fingerprint/index.ts';
import type { LeakedRecord } from './dump.ts';

/** A record tied to an order, and how. `aliasParty` is set when the record carried that party's alias. */
export interface MappedRecord {
  index: number;
  orderId: string;
  via: 'alias' | 'address' | 'time';
  aliasParty?: string;
}

const ALIAS = /^2\d{18}$/;

/** The minute a leaked time names, as the UTC ISO prefix of its start, or null. */
export function leakedMinute(time: string | undefined): string | null {
  const m = time ? /^(\d{4})[-/](\d\d)[-/](\d\d) (\d\d):(\d\d)/.exec(time.trim()) : null;
  if (!m) return null;
  const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 16);
}

const titleMatches = (item: string | undefined, title: string): boolean =>
  item === undefined || item.startsWith(title) || item.startsWith(Array.from(title).slice(0, 12).join(''));

interface Candidate {
  id: string;
  ordered_at: string;
  item_title: string;
}

/** Narrows candidates with the record's time and item; returns the one left, or null. */
function narrow(r: LeakedRecord, cands: Candidate[]): string | null {
  const minute = leakedMinute(r.time);
  const left = cands.filter((o) => (minute === null || o.ordered_at.startsWith(minute)) && titleMatches(r.item, o.item_title));
  return left.length === 1 ? (left[0] as Candidate).id : null;
}

/** Orders placed in each of these minutes (UTC ISO prefixes), read through the ordered_at index. */
async function ordersInMinutes(c: Custody, minutes: readonly string[]): Promise<Map<string, Candidate[]>> {
  const byMinute = new Map<string, Candidate[]>();
  for (let i = 0; i < minutes.length; i += 200) {
    const chunk = minutes.slice(i, i + 200);
    const rows = await c.store.db
      .selectFrom('orders')
      .select(['id', 'ordered_at', 'item_title'])
      .where((eb) => eb.or(chunk.map((m) => eb.and([eb('ordered_at', '>=', m), eb('ordered_at', '<', `${m}:59.999Z`)]))))
      .execute();
    for (const r of rows) {
      const k = r.ordered_at.slice(0, 16);
      byMinute.set(k, [...(byMinute.get(k) ?? []), r]);
    }
  }
  return byMinute;
}

/** Maps records to orders. */
export async function mapRecords(c: Custody, records: readonly LeakedRecord[]): Promise<MappedRecord[]> {
  const db = c.store.db;
  const out: (MappedRecord | null)[] = records.map(() => null);
  const aliases = [
    ...new Set(records.map((r) => r.order_no?.replace(/\s/g, '')).filter((a): a is string => a !== undefined && ALIAS.test(a))),
  ];
  const byAlias = await releasesByAlias(c, aliases);
  await c.keyring.syncIndex(c.store.db);
  const bidxOf = records.map((r) => (r.address ? addressIndex(c.keyring, normalizeAddress(r.address)) : null));
  const bidx = [...new Set(bidxOf.filter((b): b is string => b !== null))];
  const byAddress = new Map<string, Candidate[]>();
  for (let i = 0; i < bidx.length; i += 500) {
    const rows = await db
      .selectFrom('orders')
      .select(['id', 'ordered_at', 'item_title', 'address_bidx'])
      .where('address_bidx', 'in', bidx.slice(i, i + 500))
      .execute();
    for (const r of rows) byAddress.set(r.address_bidx, [...(byAddress.get(r.address_bidx) ?? []), r]);
  }
  const pending: number[] = [];
  records.forEach((r, index) => {
    const a = r.order_no?.replace(/\s/g, '');
    const hit = a ? byAlias.get(a) : undefined;
    if (hit) {
      out[index] = { index, orderId: hit.order_id, via: 'alias', aliasParty: hit.party_id };
      return;
    }
    const b = bidxOf[index];
    const byAddr = b ? narrow(r, byAddress.get(b) ?? []) : null;
    if (byAddr) out[index] = { index, orderId: byAddr, via: 'address' };
    // Time alone is too weak: it needs the item as well to pin one order.
    else if (r.item && leakedMinute(r.time)) pending.push(index);
  });
  const byMinute = await ordersInMinutes(c, [...new Set(pending.map((i) => leakedMinute((records[i] as LeakedRecord).time) as string))]);
  for (const index of pending) {
    const r = records[index] as LeakedRecord;
    const byTime = narrow(r, byMinute.get(leakedMinute(r.time) as string) ?? []);
    if (byTime) out[index] = { index, orderId: byTime, via: 'time' };
  }
  return out.filter((m): m is MappedRecord => m !== null);
}
