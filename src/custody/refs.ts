/** Keyed references: blind indexes for lookups and the ledger's order references (never plaintext). */
import { prf } from '../fingerprint/index.ts';
import type { Keyring } from './keyring.ts';

/**
 * Blind index of a phone number (HMAC-SHA256 under the current index key, as `prf`; lookups by equality
 * only). A process calls `Keyring.syncIndex` first, so that it never indexes under a rotated-away version.
 */
export function phoneIndex(k: Keyring, phone: string): string {
  return prf(k.key('index'), 'phone', phone).toString('hex');
}

/** Blind index of an address already normalised by `normalizeAddress`. */
export function addressIndex(k: Keyring, normalized: string): string {
  return prf(k.key('index'), 'address', normalized).toString('hex');
}

/**
 * The ledger's reference to an order: 128 bits of HMAC, which only the key holder can link to the order.
 * Always under index key version 1: ledger entries never change, so their references must not either.
 */
export function orderRef(k: Keyring, orderId: string): string {
  return prf(k.key('index', 1), 'order', orderId).toString('hex', 0, 16);
}

/** Additional data binding a ciphertext to its table, column, row and key version. */
export function aad(table: string, column: string, row: string, version: number): string {
  return `${table}|${column}|${row}|${version}`;
}

/** A blind index for any other lookup, separated by `domain` so equal values in two tables do not link. */
export function blindIndex(k: Keyring, domain: string, value: string): string {
  return prf(k.key('index'), domain, value).toString('hex');
}

/** The key ledger rows are tagged under (log.ts): fixed, like order references, so old rows keep verifying. */
export function ledgerRowKey(k: Keyring): Buffer {
  return prf(k.key('index', 1), 'ledger-row-tag', '');
}
