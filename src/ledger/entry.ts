/** Ledger entries: what each access commits to, encoded as canonical JSON (fixed key order, no PII). */

/** An access or change the ledger records. `order` is a keyed reference, never the order's data. */
export type LedgerEntry =
  | { t: 'ingest'; at: string; party: string; order: string; fields: string[]; kv: number }
  /**
   * Releases, decrypts and exports name the API key the party used (`key`, last) when the request came with
   * one: a manager that can mint its subordinates' keys is then seen taking data under a key it minted.
   * Releases and decrypts name the order's previous release or decrypt entry (`prev`, null for its first;
   * absent from entries written before orders were chained), so that the consumer can check that none of an
   * order's records was left out between its first and its latest (custody/order-chain.ts).
   */
  | {
      t: 'release';
      at: string;
      party: string;
      order: string;
      fields: string[];
      variants: string;
      vn: string;
      fp: number;
      kv: number;
      prev?: number | null;
      key?: string;
    }
  /** `tk`: the ledger index of the registered CS ticket the decrypt named (custody/tickets.ts), when it named one. */
  | {
      t: 'decrypt';
      at: string;
      party: string;
      order: string;
      fields: string[];
      reason: string;
      note: string;
      kv: number;
      tk?: number;
      prev?: number | null;
      key?: string;
    }
  /** A CS ticket `party` (a platform) opened for an order; `ticket` commits (salted) to the platform's ticket id. */
  | { t: 'ticket'; at: string; party: string; order: string; ticket: string; agent?: string }
  | { t: 'export'; at: string; party: string; orders: number; manifest: string; fields: string[]; fp: number; key?: string }
  | {
      t: 'key_rotation';
      at: string;
      party: string;
      purpose: string;
      from: number;
      to: number;
      rows: number;
      values?: number;
      vkey?: string;
    }
  /**
   * `name` (a SHA-256 of the party's name) and `kind` are given for `party.create`; `via` for `key.create` and
   * `key.exchange` is the API key the minting party called with (custody/key-lineage.ts).
   */
  | { t: 'registry'; at: string; party: string; action: string; subject: string; name?: string; kind?: string; via?: string }
  | { t: 'contact'; at: string; party: string; order: string; channel: string; number: string; reason: string }
  | { t: 'case'; at: string; party: string; case: string; commitment: string }
  | { t: 'evidence'; at: string; party: string; case: string; sha256: string; size: number; mime: string }
  /**
   * A consumer flagged a row of "who has seen my order", filed with the order's platform (`party`). The order,
   * the flagged entry and party and the reason are behind a salted commitment, opened by the flag's stored row,
   * so that the flagged party cannot learn from the log which of its consumers flagged it.
   */
  | { t: 'flag'; at: string; party: string; commitment: string }
  /**
   * A canary planted by `party` in `outlet`: `route` commits (salted, commitments.ts) to the order's keyed
   * reference, station and courier, so that the log fixes every canary's route without telling anyone who
   * holds leaves which orders are canaries.
   */
  | { t: 'canary'; at: string; party: string; outlet: string; route: string }
  /** The canary planted at ledger index `canary` was hit (its monitored number was called or texted), as `party` recorded. */
  | { t: 'canary_hit'; at: string; party: string; canary: number }
  | { t: 'investigation'; at: string; party: string; n: number; kind: InvestigationKind; input: string; total: number }
  /** An investigation's recorded outcome: a SHA-256 of its row (kind, caller, records, accused, suspects). */
  | { t: 'outcome'; at: string; party: string; investigation: string; hash: string }
  /**
   * Ledger rows from index `from` on carry row tags (log.ts). Written once, before the first checkpoint a
   * tagging process signs, so that stripping every tag cannot pass new rows off as rows from before tags.
   */
  | { t: 'row_tags'; at: string; party: string; from: number };

/** What an investigation that may accuse was run on. */
export type InvestigationKind = 'dump' | 'report' | 'canaries';

/**
 * SQL that selects investigation leaves. Leaves begin `{"i":<index>,"t":"<kind>"`, and a quote inside a string
 * value is escaped, so no other leaf can match. Migration 014 indexes the ledger on exactly this predicate.
 */
export const INVESTIGATION_LEAF = `leaf like '{"i":%,"t":"investigation",%'`;

/** SQL that selects canary planting leaves (indexed by migration 019, as `INVESTIGATION_LEAF`). */
export const CANARY_LEAF = `leaf like '{"i":%,"t":"canary",%'`;

/** SQL that selects canary hit leaves (indexed by migration 019). */
export const CANARY_HIT_LEAF = `leaf like '{"i":%,"t":"canary_hit",%'`;

/** SQL that selects key rotation leaves (not indexed: read once per ledger key version, by the consumer page's handovers). */
export const KEY_ROTATION_LEAF = `leaf like '{"i":%,"t":"key_rotation",%'`;

/** SQL that selects the entry recording where row tags began (indexed by migration 025). */
export const ROW_TAGS_LEAF = `leaf like '{"i":%,"t":"row_tags",%'`;

/** The exact leaf bytes: the entry with its own index first, so a moved entry cannot verify in another place. */
export function encodeEntry(index: number, entry: LedgerEntry): string {
  // Exactly JSON.stringify({ i: index, ...entry }) without building that object: an entry has no `i` of its own.
  return `{"i":${JSON.stringify(index)},${JSON.stringify(entry).slice(1)}`;
}

/** What one release call's entries share. */
export interface ReleaseCommon {
  at: string;
  party: string;
  fields: readonly string[];
  /** The API key the party used, when it used one. */
  key?: string | undefined;
}

/** What differs between one release call's entries. */
export interface ReleaseOwn {
  order: string;
  variants: string;
  vn: string;
  fp: number;
  kv: number;
  /** The order's previous release or decrypt entry, null for its first. */
  prev: number | null;
}

/**
 * Encodes the entries of one release call, with what they share encoded once: byte for byte what
 * `encodeEntry` gives for `{ t: 'release', at, party, order, fields, variants, vn, fp, kv, prev, key }` (a test holds
 * the two together). A release encodes a thousand such entries at a time, and JSON.stringify of each whole
 * entry was a large share of its cost.
 */
export function releaseEncoder(common: ReleaseCommon): (index: number, own: ReleaseOwn) => string {
  const head = `,"t":"release","at":${JSON.stringify(common.at)},"party":${JSON.stringify(common.party)},"order":`;
  const fields = `,"fields":${JSON.stringify(common.fields)},"variants":`;
  const j = JSON.stringify;
  const tail = common.key === undefined ? '}' : `,"key":${j(common.key)}}`;
  return (index, own) =>
    `{"i":${j(index)}${head}${j(own.order)}${fields}${j(own.variants)},"vn":${j(own.vn)},"fp":${j(own.fp)},"kv":${j(own.kv)},"prev":${j(own.prev)}${tail}`;
}

/** Parses leaf bytes back into index and entry (structure only; the verifier checks hashes). */
export function decodeEntry(leaf: string): { i: number } & LedgerEntry {
  const v = JSON.parse(leaf) as { i: unknown; t: unknown };
  if (typeof v.i !== 'number' || typeof v.t !== 'string') throw new Error('not a ledger entry');
  return v as { i: number } & LedgerEntry;
}
