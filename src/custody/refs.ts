/** Keyed references: blind indexes for lookups and the ledger's order references (never plaintext). */
import { createHmac } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/** Blind index of a phone number (HMAC under the index key; lookups by equality only). */
export function phoneIndex(k: Keyring, phone: string): string {
  return createHmac('sha256', k.key('index', 1)).update(`phone|${phone}`).digest('hex');
}

/** Blind index of an address already normalised by `normalizeAddress`. */
export function addressIndex(k: Keyring, normalized: string): string {
  return createHmac('sha256', k.key('index', 1)).update(`address|${normalized}`).digest('hex');
}

/** The ledger's reference to an order: 128 bits of HMAC, which only the key holder can link to the order. */
export function orderRef(k: Keyring, orderId: string): string {
  return createHmac('sha256', k.key('index', 1)).update(`order|${orderId}`).digest('hex').slice(0, 32);
}

/** Additional data binding a ciphertext to its table, column, row and key version. */
export function aad(table: string, column: string, row: string, version: number): string {
  return `${table}|${column}|${row}|${version}`;
}

/** A blind index for any other lookup, separated by `domain` so equal values in two tables do not link. */
export function blindIndex(k: Keyring, domain: string, value: string): string {
  return createHmac('sha256', k.key('index', 1)).update(`${domain}|${value}`).digest('hex');
}
