/**
 * Salted commitments in ledger leaves, for values a leaf must bind but not show: the virtual number a party
 * was given, a decrypt's ticket note and a canary's route. A leaf is read by the platform, authorities, the party itself and
 * the consumer of the order; a virtual number shown in clear there could be copied into a forged dump that
 * frames the party. Each entry's salt is derived from its ledger index under index key version 1 (fixed, as
 * the ledger's order references are), so the key holder can open one entry without opening any other.
 *
 * Format: `c:` + base64url(SHA-256(salt || UTF-8 value)), salt = HMAC-SHA256(index key v1, "ledger-salt" || index).
 */
import { hash } from 'node:crypto';
import { prf } from '../fingerprint/index.ts';
import type { Keyring } from './keyring.ts';
import { orderRef } from './refs.ts';

const PREFIX = 'c:';

/** The salt of the entry at ledger index `index` (32 bytes; revealed only to open that entry). */
export function entrySalt(k: Keyring, index: number): Buffer {
  return prf(k.key('index', 1), 'ledger-salt', String(index));
}

/** The commitment to `value` under `salt`, as a leaf carries it. */
export function commitTo(salt: Buffer, value: string): string {
  return PREFIX + hash('sha256', Buffer.concat([salt, Buffer.from(value, 'utf8')]), 'base64url');
}

/** Whether a leaf field holds a commitment (leaves written earlier carry the value itself). */
export function isCommitment(field: string): boolean {
  return field.startsWith(PREFIX);
}

/**
 * Whether the leaf field `field` of the entry at `index` binds `value`: its commitment opens to it, or, in a
 * leaf written before commitments, it is the value itself.
 */
export function leafBinds(k: Keyring, index: number, field: string, value: string): boolean {
  return isCommitment(field) ? field === commitTo(entrySalt(k, index), value) : field === value;
}

/**
 * A monitored number's reference under index key version 1: fixed, like the ledger's order references, so a
 * planting's commitment still opens after the index key turns.
 */
export function canaryPhoneRef(k: Keyring, phone: string): string {
  return prf(k.key('index', 1), 'canary-phone', phone).toString('hex');
}

/** The route a canary's planting entry at `index` commits to: the order's keyed reference, its monitored number's, its station and courier. */
export interface CanaryRoute {
  orderId: string;
  phoneRef: string;
  station: string | null;
  courier: string | null;
}

/** What a canary's planting entry at `index` commits to (`route`). */
export function canaryRoute(k: Keyring, index: number, r: CanaryRoute): string {
  return commitTo(entrySalt(k, index), JSON.stringify([orderRef(k, r.orderId), r.phoneRef, r.station ?? '', r.courier ?? '']));
}
