/** What a party is: its kinds, and the shape the rest of the system sees. */
/** Every kind of party. Accounts (cs_agent, merchant_staff) share their organisation's org-level code. */
export const PARTY_KINDS = [
  'platform',
  'cs_agent',
  'merchant',
  'merchant_staff',
  'erp',
  'carrier',
  'outlet',
  'station',
  'courier',
  'regulator',
  'police',
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** A party as the rest of the system sees it. */
export interface Party {
  id: string;
  kind: PartyKind;
  name: string;
  parentId: string | null;
  orgId: string;
  erpId: string | null;
  /** The platform whose tree it belongs to (itself for a platform; the creating platform, or null, for an authority). */
  tenantId: string | null;
  /** An authority's jurisdiction: platform ids, or `['*']` for all; null for other parties. */
  jurisdiction: string[] | null;
}
