/** Table types for Kysely. Times are ISO-8601 UTC strings and JSON columns are text, so both SQLite and PostgreSQL hold them alike. */
/** Organisations and accounts; `org_id` is the organisation whose code an account shares (itself for an organisation). */
export interface PartiesTable {
  id: string;
  kind: string;
  name: string;
  parent_id: string | null;
  org_id: string;
  erp_id: string | null;
  created_at: string;
}

/** API keys: only a SHA-256 of the secret is kept. */
export interface ApiKeysTable {
  id: string;
  party_id: string;
  hash: string;
  scopes: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

/** Data keys wrapped under the master key, by purpose and version. */
export interface KeyringTable {
  purpose: string;
  version: number;
  wrapped: string;
  created_at: string;
  retired_at: string | null;
}

/** Orders: name, phone and address are AES-256-GCM ciphertexts; the rest is what every view is cut from. */
export interface OrdersTable {
  id: string;
  platform_id: string;
  platform_order_id: string;
  merchant_id: string;
  carrier_id: string | null;
  outlet_id: string | null;
  station_id: string | null;
  courier_id: string | null;
  erp_id: string | null;
  province: string;
  city: string;
  district: string;
  item_title: string;
  item_spec: string;
  quantity: number;
  price_cents: number;
  ordered_at: string;
  paid_at: string;
  name_ct: string;
  phone_ct: string;
  address_ct: string;
  key_version: number;
  phone_bidx: string;
  /** Blind index of the normalised address (city to room), for matching leaked records without decrypting. */
  address_bidx: string;
  /** The ledger's keyed reference to this order (HMAC of the id; not personal data). */
  ref: string;
  created_at: string;
}

/** One row per (order, party) view: the identifiers and the rendering that party always sees. */
export interface ReleasesTable {
  order_id: string;
  party_id: string;
  alias: string;
  virtual_number: string;
  vn_expires_at: string;
  fp_version: number;
  ledger_idx: number;
  created_at: string;
}

/** The ledger's leaves in order; `hash` is SHA-256(0x00 || leaf), kept so the tree loads without rehashing. */
export interface LedgerTable {
  idx: number;
  leaf: string;
  hash: string;
  /** The party the entry is about (copied out of the leaf), so a party can audit its own entries. */
  party: string;
}

/** Signed checkpoints (C2SP signed notes) by tree size. */
export interface CheckpointsTable {
  size: number;
  note: string;
  created_at: string;
}

/** The whole database as Kysely sees it. */
export interface Database {
  parties: PartiesTable;
  api_keys: ApiKeysTable;
  keyring: KeyringTable;
  orders: OrdersTable;
  releases: ReleasesTable;
  ledger: LedgerTable;
  checkpoints: CheckpointsTable;
}
