/** L1 identifiers: a per-(order, party) alias that looks like an order number, and a virtual number from a pool. */
import { prf } from './prf.ts';

/** Aliases have 19 digits like a Taobao order number: a leading 2, then 18 free digits (about 59.8 bits). */
const FREE = 10n ** 18n;

/** A party's L1 identifiers for an order, from one PRF block so the same party always gets the same ones. */
export interface Identifiers {
  /** 19 digits, like an order number. */
  alias: string;
  /** Where the party's probe into the virtual-number pool starts. */
  poolStart: number;
}

/**
 * The alias and virtual-number start a party gets for an order. `attempt` > 0 derives another alias for the
 * rare pair whose first one is already taken (two of 10^18); the alias given is stored and kept.
 */
export function identifiers(key: Buffer, pool: NumberPool, orderId: string, partyId: string, attempt = 0): Identifiers {
  const block = attempt === 0 ? prf(key, 'id', orderId, partyId) : prf(key, 'id', orderId, partyId, attempt);
  return { alias: `2${(block.readBigUInt64BE(0) % FREE).toString().padStart(18, '0')}`, poolStart: block.readUInt32BE(8) % pool.size };
}

/** A pool of virtual numbers (X numbers of an AXB service), as inclusive ranges of 11-digit numbers. */
export interface NumberPool {
  ranges: [number, number][];
  size: number;
}

/** Parses "17000000000-17000099999,17100000000-17100000999". */
export function parsePool(spec: string): NumberPool {
  const ranges = spec.split(',').map((r): [number, number] => {
    const m = /^\s*(1\d{10})\s*-\s*(1\d{10})\s*$/.exec(r);
    if (!m || Number(m[1]) > Number(m[2])) throw new Error('GATEKEEPER_VN_POOL must be ranges like 17000000000-17000099999');
    return [Number(m[1]), Number(m[2])];
  });
  return { ranges, size: ranges.reduce((s, [a, b]) => s + b - a + 1, 0) };
}

/** Default pool: 100,000 numbers in the 170 virtual-operator range. */
export const DEFAULT_POOL = parsePool(process.env.GATEKEEPER_VN_POOL ?? '17000000000-17000099999');

/** The k-th number of the pool. */
export function poolNumber(pool: NumberPool, k: number): string {
  let i = ((k % pool.size) + pool.size) % pool.size;
  for (const [a, b] of pool.ranges) {
    if (i <= b - a) return String(a + i);
    i -= b - a + 1;
  }
  throw new Error('unreachable: index within pool size');
}
