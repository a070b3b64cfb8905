/**
 * How each recipient saw each field, and the order of the chain the page lists them in. Browser-safe: the
 * consumer page imports this file to read a ledger leaf the way the server described it.
 */

/** The form a field reached a party in. */
export type FieldForm = 'alias' | 'virtual_number' | 'masked' | 'full' | 'region' | 'plain';

/** One field a party received, and in what form. */
export interface SeenField {
  field: string;
  form: FieldForm;
}

/**
 * A view's fields as the release policy renders them (custody/policy.ts, fingerprint/variants.ts): the order
 * number as the party's own alias, the phone as its own virtual number, the name as surname and stars, the
 * street address in full; a CS agent's phone is masked and its address only the region.
 */
const VIEW_FORM: Record<string, FieldForm> = {
  order_no: 'alias',
  phone: 'virtual_number',
  name: 'masked',
  phone_masked: 'masked',
  address: 'full',
  region: 'region',
};

/** The fields of a release (a view) with their forms. */
export function viewForms(fields: readonly string[]): SeenField[] {
  return fields.map((field) => ({ field: field === 'phone_masked' ? 'phone' : field, form: VIEW_FORM[field] ?? 'plain' }));
}

/** The fields of a CS decrypt: the real name, phone and address. */
export function decryptForms(fields: readonly string[]): SeenField[] {
  return fields.map((field) => ({ field, form: 'full' }));
}

/** Party kinds in the order an order's data travels: merchant side, then the carrier's chain, then customer service. */
export const CHAIN_ORDER = ['merchant', 'merchant_staff', 'erp', 'carrier', 'outlet', 'station', 'courier', 'cs_agent'] as const;

/** A kind's place in the chain (kinds not in it come last). */
export function chainRank(kind: string): number {
  const i = (CHAIN_ORDER as readonly string[]).indexOf(kind);
  return i < 0 ? CHAIN_ORDER.length : i;
}

/** SHA-256 of the empty string: a decrypt's `note` hash when the agent gave no ticket or note. */
export const EMPTY_NOTE = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
