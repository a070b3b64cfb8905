/** Per-view Tardos bits (two levels: organisation, then account) and the ledger's commitment to them. */
import { prf, uniforms } from './prf.ts';
import { bias } from './tardos.ts';
import { applicableSlots, slotBits, type Bits, type RenderInput, type ViewField } from './variants.ts';

/** Who a view is for: the account, and the organisation whose org-level bits it shares. */
export interface Recipient {
  account: string;
  org: string;
}

/** The per-slot biases of an order (shared by everyone who sees it). */
export function orderBiases(key: Buffer, version: number, orderId: string): Float64Array {
  return uniforms(prf(key, 'bias', version, orderId)).map(bias);
}

/** The uniforms that decide a principal's bits on an order; exported for the decoder. */
export function principalUniforms(key: Buffer, version: number, principal: string, orderId: string): Float64Array {
  return uniforms(prf(key, 'bit', version, principal, orderId));
}

/** The bits a recipient's view of an order carries, slot by slot (null where the slot is absent); pass the order's biases and applicable slots when already known. */
export function viewBits(
  key: Buffer,
  version: number,
  orderId: string,
  to: Recipient,
  fields: readonly ViewField[],
  o: RenderInput,
  p: Float64Array = orderBiases(key, version, orderId),
  can: readonly boolean[] = applicableSlots(o),
): Bits {
  const org = principalUniforms(key, version, to.org, orderId);
  const acct = to.account === to.org ? org : principalUniforms(key, version, to.account, orderId);
  return slotBits(fields, can, org, acct, p);
}

/** A hiding, binding commitment to a view's bit vector (HMAC under the fingerprint key): whoever holds the key can open it. */
export function variantCommitment(key: Buffer, version: number, partyId: string, orderId: string, bits: Bits): string {
  return prf(key, 'commit', version, partyId, orderId, bits.map((b) => (b === null ? '-' : String(b))).join('')).toString('hex');
}
