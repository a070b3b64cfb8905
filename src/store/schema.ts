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
  /** The platform whose organisation tree the party belongs to (itself for a platform); null for an authority. */
  tenant_id: string | null;
  /** An authority's jurisdiction: JSON array of platform ids, or ["*"] for all; null for every other party. */
  jurisdiction: string | null;
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
  /** Who minted the key: a party id, or `operator:<name>` for the operator; null for keys from before this was kept. */
  created_by: string | null;
  /** The key the minting caller used (its key.create leaf's `via`), so a party can list what its keys minted; null from the operator. */
  via_key: string | null;
  /** The ledger index of the key's `key.create` entry, which names the minter in a leaf the checkpoints cover (null before it was kept). */
  ledger_idx: number | null;
}

/** Data keys wrapped under the master key, by purpose and version; `master_version` counts master-key rotations. */
export interface KeyringTable {
  purpose: string;
  version: number;
  wrapped: string;
  master_version: number;
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
  /** The number sealed under the data key (`version.ciphertext`, custody/numbers.ts); the clear number in rows not yet adopted. */
  virtual_number: string;
  /** Blind index of the number bound to this consumer; null until the row is adopted. */
  vn_bidx: string | null;
  vn_expires_at: string;
  fp_version: number;
  ledger_idx: number;
  created_at: string;
  /** The consumer's phone index (the order's), for the one-binding-per-consumer rule of virtual numbers; set on every row. */
  phone_bidx: string;
}

/** Aliases given before aliases were FF1 of the ledger index (migration 007): each one's release, by ledger index. */
export interface ReleaseAliasesTable {
  alias: string;
  ledger_idx: number;
}

/** The ledger's leaves in order; `hash` is SHA-256(0x00 || leaf), kept so the tree loads without rehashing. */
export interface LedgerTable {
  idx: number;
  leaf: string;
  hash: string;
  /** The party the entry is about (copied out of the leaf), so a party can audit its own entries. */
  party: string;
  /** HMAC of index and hash under a key only the service holds (log.ts): a row written into the table by anyone else has none that verifies. */
  tag: string | null;
}

/** Signed checkpoints (C2SP signed notes) by tree size. */
export interface CheckpointsTable {
  size: number;
  note: string;
  created_at: string;
}

/** Official channels a party registered: phone numbers, SMS sender ids, accounts, domains and the names consumers hear. */
export interface ChannelsTable {
  id: string;
  party_id: string;
  kind: string;
  value: string;
  label: string;
  created_at: string;
}

/** A party's machine-readable never-do policy: the asks (check vocabulary) its staff never make. */
export interface PoliciesTable {
  party_id: string;
  never: string;
  updated_at: string;
}

/**
 * Outbound contacts as consumers look them up: the first 30 bits of a salted slow hash of (consumer phone,
 * number used), 96 more bits as a tag, and a payload that opens only with that hash. Nothing names the
 * consumer, the order or the agent (the ledger records who filed what).
 */
export interface ContactEntriesTable {
  id: string;
  prefix: number;
  tag: string;
  payload: string;
  at: string;
}

/** Settings a store is made with, such as its contact-lookup salt (public: clients hash with it). */
export interface SettingsTable {
  name: string;
  value: string;
}

/** A reported number, account or domain: sealed value, blind index, and a score that decays with time. */
export interface RepSubjectsTable {
  id: string;
  kind: string;
  bidx: string;
  value_ct: string;
  display: string;
  score: number;
  score_at: string;
  reports: number;
  first_at: string;
  last_at: string;
  cleared_at: string | null;
  /** Distinct vouchers of its reports, an all-reach authority counting two: below two it stays below a known scam. */
  vouched: number;
}

/** One reporter's report of a subject (one per reporter, so repeats merge). */
export interface RepReportsTable {
  id: string;
  subject_id: string;
  reporter: string;
  source: string;
  case_id: string | null;
  weight: number;
  at: string;
  /** Who vouches for the report: `org:<platform>` (a victim's matched order, a signed-in party of that tree) or `authority:<id>`; null for none. */
  voucher: string | null;
}

/** An owner's appeal against a reputation entry. */
export interface AppealsTable {
  id: string;
  subject_id: string;
  status: string;
  reason_ct: string;
  token_hash: string;
  opened_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision: string | null;
}

/** Victim cases: the facts sealed, a salted commitment to them in the ledger. */
export interface CasesTable {
  id: string;
  status: string;
  dedup: string;
  facts_ct: string;
  commitment: string;
  order_id: string | null;
  loss_cents: number;
  ledger_idx: number;
  created_at: string;
}

/** Bearer tokens that open a case for the victim (SHA-256 of the secret). */
export interface CaseTokensTable {
  hash: string;
  case_id: string;
  created_at: string;
}

/** Evidence files, sealed; their SHA-256 is in the ledger. */
export interface EvidenceTable {
  id: string;
  case_id: string;
  sha256: string;
  mime: string;
  size: number;
  name_ct: string;
  blob_ct: string;
  ledger_idx: number;
  created_at: string;
}

/** One investigation's outcome: who was accused (party, kind, channel, bound), never the dump itself. */
export interface InvestigationsTable {
  id: string;
  kind: string;
  by_party: string;
  records: number;
  accused: string;
  suspects: number;
  created_at: string;
}

/** Canary orders (synthetic consumers whose numbers the platform monitors) and when a scammer first used one. */
export interface CanariesTable {
  order_id: string;
  phone_bidx: string;
  planted_by: string;
  planted_at: string;
  hit_at: string | null;
  hit_source: string | null;
  /** The ledger index of the canary's planting entry (null for canaries planted before they were logged). */
  plant_idx: number | null;
  /** The ledger index of its hit entry, once hit. */
  hit_idx: number | null;
  /** The monitored number's reference under index key version 1 (`canaryPhoneRef`), which the route commits to. */
  phone_ref: string | null;
}

/** The deployment's false-accusation budget E and how many investigations have drawn on it. */
export interface TraceBudgetTable {
  id: string;
  total: number;
  spent: number;
}

/** A consumer's access token for one order's recipients (SHA-256 of the secret), until it expires. */
export interface OrderAccessTokensTable {
  hash: string;
  order_id: string;
  /** The platform party (or the operator's tool) that issued it. */
  issued_by: string;
  created_at: string;
  expires_at: string;
}

/** A row of "who has seen my order" that the consumer flagged ("I never dealt with this party"). */
export interface OrderFlagsTable {
  id: string;
  order_id: string;
  platform_id: string;
  /** The party the flagged row names. */
  party_id: string;
  /** The ledger entry of the flagged row. */
  entry_idx: number;
  reason: string;
  /** Opens the flag entry's commitment (hex, 16 random bytes). */
  salt: string;
  /** The flag's own ledger entry. */
  ledger_idx: number;
  created_at: string;
  /** Who issued the link the flag came through (`order_access_tokens.issued_by`); null for older flags. */
  issued_by: string | null;
}

/** Each order's latest release or decrypt entry, which the next one names as `prev` (custody/order-chain.ts). */
export interface OrderChainTable {
  order_id: string;
  head: number;
}

/** Each CS decrypt by order (its ledger entry holds the reason). */
export interface OrderDecryptsTable {
  ledger_idx: number;
  order_id: string;
  party_id: string;
  /** The ledger entry of the ticket the decrypt named (its leaf's `tk`), so a ticket's uses are counted. */
  ticket_idx: number | null;
}

/** A CS ticket a platform registered for one of its orders: a decrypt that names it carries its ledger entry (`tk`). */
export interface TicketsTable {
  platform_id: string;
  /** The platform's own ticket id. */
  ticket: string;
  order_id: string;
  /** The CS agent the ticket is assigned to, or null for any of the platform's agents. */
  agent_id: string | null;
  opened_at: string;
  /** The ticket's `ticket` ledger entry. */
  ledger_idx: number;
}

/** Decrypts refused because the ticket named was not an open ticket of the order for the agent, once per agent, order and day. */
export interface TicketRefusalsTable {
  party_id: string;
  order_id: string;
  day: string;
  /** The first try that day. */
  at: string;
  tries: number;
}

/** A view custody refused: the order exists but was never routed to the party (no data handed over). */
export interface AccessRefusalsTable {
  party_id: string;
  order_id: string;
  /** The UTC day of the tries (YYYY-MM-DD): one row per party, order, day and key. */
  day: string;
  /** The API key the tries came with ('' for none, and for tries from before keys were kept). */
  key_id: string;
  /** The first try that day. */
  at: string;
  tries: number;
}

/** A webhook a platform or authority registered for accountability alerts; the secret signs each delivery. */
export interface AlertHooksTable {
  id: string;
  party_id: string;
  url: string;
  secret_ct: string;
  /** Leads at or above this score are sent; consumers' flags always are. */
  threshold: number;
  created_at: string;
  revoked_at: string | null;
}

/** One alert for one hook (its id, a hash of hook and subject, makes it once only), and its delivery. */
export interface AlertEventsTable {
  id: string;
  hook_id: string;
  kind: string;
  payload: string;
  created_at: string;
  attempts: number;
  next_at: string;
  delivered_at: string | null;
  last_status: number | null;
}

/** The whole database as Kysely sees it. */
export interface Database {
  parties: PartiesTable;
  api_keys: ApiKeysTable;
  keyring: KeyringTable;
  orders: OrdersTable;
  releases: ReleasesTable;
  release_aliases: ReleaseAliasesTable;
  ledger: LedgerTable;
  checkpoints: CheckpointsTable;
  channels: ChannelsTable;
  policies: PoliciesTable;
  contact_entries: ContactEntriesTable;
  settings: SettingsTable;
  rep_subjects: RepSubjectsTable;
  rep_reports: RepReportsTable;
  appeals: AppealsTable;
  cases: CasesTable;
  case_tokens: CaseTokensTable;
  evidence: EvidenceTable;
  investigations: InvestigationsTable;
  canaries: CanariesTable;
  trace_budget: TraceBudgetTable;
  order_access_tokens: OrderAccessTokensTable;
  order_flags: OrderFlagsTable;
  order_decrypts: OrderDecryptsTable;
  order_chain: OrderChainTable;
  tickets: TicketsTable;
  ticket_refusals: TicketRefusalsTable;
  access_refusals: AccessRefusalsTable;
  alert_hooks: AlertHooksTable;
  alert_events: AlertEventsTable;
}
