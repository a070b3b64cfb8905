/** Ledger entries: what each access commits to, encoded as canonical JSON (fixed key order, no PII). */

/** An access or change the ledger records. `order` is a keyed reference, never the order's data. */
export type LedgerEntry =
  | { t: 'ingest'; at: string; party: string; order: string; fields: string[]; kv: number }
  | { t: 'release'; at: string; party: string; order: string; fields: string[]; variants: string; vn: string; fp: number; kv: number }
  | { t: 'decrypt'; at: string; party: string; order: string; fields: string[]; reason: string; note: string; kv: number }
  | { t: 'export'; at: string; party: string; orders: number; manifest: string; fields: string[]; fp: number }
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
  | { t: 'registry'; at: string; party: string; action: string; subject: string }
  | { t: 'contact'; at: string; party: string; order: string; channel: string; number: string; reason: string }
  | { t: 'case'; at: string; party: string; case: string; commitment: string }
  | { t: 'evidence'; at: string; party: string; case: string; sha256: string; size: number; mime: string };

/** The exact leaf bytes: the entry with its own index first, so a moved entry cannot verify in another place. */
export function encodeEntry(index: number, entry: LedgerEntry): string {
  // Exactly JSON.stringify({ i: index, ...entry }) without building that object: an entry has no `i` of its own.
  return `{"i":${JSON.stringify(index)},${JSON.stringify(entry).slice(1)}`;
}

/** Parses leaf bytes back into index and entry (structure only; the verifier checks hashes). */
export function decodeEntry(leaf: string): { i: number } & LedgerEntry {
  const v = JSON.parse(leaf) as { i: unknown; t: unknown };
  if (typeof v.i !== 'number' || typeof v.t !== 'string') throw new Error('not a ledger entry');
  return v as { i: number } & LedgerEntry;
}
