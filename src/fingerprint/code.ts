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

/** The PRF block that decides a principal's bits on an order: 16 uniforms of 2 bytes, the slots using the first ones. */
export function principalBlock(key: Buffer, version: number, principal: string, orderId: string): Buffer {
  return prf(key, 'bit', version, principal, orderId);
}

/** The uniforms that decide a principal's bits on an order; exported for the decoder. */
export function principalUniforms(key: Buffer, version: number, principal: string, orderId: string): Float64Array {
  return uniforms(principalBlock(key, version, principal, orderId));
}

/** The bits a recipient's view of an order carries, slot by slot (null where the slot is absent); pass the order's biases and applicable slots when already known. */
export function viewBits(...args: Parameters<typeof viewCode>): Bits {
  return viewCode(...args).bits;
}

/** A view's bits, and the recipient account's own PRF block they came from (its unused tail places the view's virtual number). */
export function viewCode(
  key: Buffer,
  version: number,
  orderId: string,
  to: Recipient,
  fields: readonly ViewField[],
  o: RenderInput,
  p: Float64Array = orderBiases(key, version, orderId),
  can: readonly boolean[] = applicableSlots(o),
): { bits: Bits; block: Buffer } {
  const block = principalBlock(key, version, to.account, orderId);
  const acct = uniforms(block);
  const org = to.account === to.org ? acct : principalUniforms(key, version, to.org, orderId);
  return { bits: slotBits(fields, can, org, acct, p), block };
}

/** A hiding, binding commitment to a view's bit vector (HMAC under the fingerprint key): whoever holds the key can open it. */
export function variantCommitment(key: Buffer, version: number, partyId: string, orderId: string, bits: Bits): string {
  return prf(key, 'commit', version, partyId, orderId, bits.map((b) => (b === null ? '-' : String(b))).join('')).toString('hex');
}
