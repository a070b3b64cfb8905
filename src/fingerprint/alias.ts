/** L1 identifiers: a per-(order, party) alias that looks like an order number, and a virtual number from a pool. */
import { prf } from './prf.ts';

/** Alias length in digits: 19 like a Taobao order number; 18 free digits carry about 59.8 bits. */
export const ALIAS_DIGITS = 19;
const FREE = 10n ** 18n;

/** The alias a party sees for an order: 19 digits, derived by PRF so the same party always sees the same one. */
export function orderAlias(key: Buffer, orderId: string, partyId: string, attempt = 0): string {
  const v = prf(key, 'alias', orderId, partyId, attempt).readBigUInt64BE(0) % FREE;
  return `2${v.toString().padStart(18, '0')}`;
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

/** Where a party's probe sequence into the pool starts for an order. */
export function poolStart(key: Buffer, pool: NumberPool, orderId: string, partyId: string): number {
  return prf(key, 'vn', orderId, partyId).readUInt32BE(0) % pool.size;
}
