/**
 * L1 identifiers: a per-(order, party) alias that looks like an order number, and a virtual number from a pool.
 * An alias is FF1 (a keyed permutation) of the ledger index of the release's first entry, so no two releases
 * share one and the key holder turns it back into that index; the parties see 18 digits they cannot predict.
 */
import { DecimalFF1 } from './ff1.ts';
import { prf } from './prf.ts';

/** Aliases have 19 digits like a Taobao order number: a leading 2, then 18 enciphered digits (about 59.8 bits). */
const DIGITS = 18;
const ALIAS = /^2\d{18}$/;

// One cipher per fingerprint key (an AES key schedule and FF1's per-length constants), built on first use.
const ciphers = new WeakMap<Buffer, DecimalFF1>();

function aliasCipher(key: Buffer): DecimalFF1 {
  let c = ciphers.get(key);
  if (!c) ciphers.set(key, (c = new DecimalFF1(prf(key, 'alias-ff1'))));
  return c;
}

/** The aliases of releases whose first ledger entries have these indexes, under fingerprint key `key`. */
export function aliasesOf(key: Buffer, ledgerIndexes: readonly number[]): string[] {
  return aliasCipher(key)
    .encrypt(ledgerIndexes.map((i) => String(i).padStart(DIGITS, '0')))
    .map((d) => `2${d}`);
}

/** The ledger index each alias stands for under `key` (null for what is not an alias); the release found there must still carry it. */
export function ledgerIndexesOf(key: Buffer, aliases: readonly string[]): (number | null)[] {
  const valid = aliases.filter((a) => ALIAS.test(a));
  const digits = aliasCipher(key).decrypt(valid.map((a) => a.slice(1)));
  let k = 0;
  return aliases.map((a) => (ALIAS.test(a) ? Number(digits[k++]) : null));
}

/**
 * Where a party's probe into the virtual-number pool starts for an order: from bytes 28-31 of the party's
 * own bit block for the order (`principalBlock`), which no slot reads (each slot takes 2 bytes from the start),
 * so the same party always starts at the same place and no PRF call of its own is needed.
 */
export function numberStart(accountBlock: Buffer, pool: NumberPool): number {
  return accountBlock.readUInt32BE(28) % pool.size;
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
