/** Sealing for values outside the orders table: the data-key version travels with the ciphertext. */
import type { Keyring } from './keyring.ts';
import { open, seal } from './seal.ts';

/** Seals `plain` under the current data key, bound to `aad` (table|column|row); returns `version.ciphertext`. */
export function sealField(k: Keyring, plain: string | Buffer, aad: string): string {
  const v = k.version('data');
  return sealFieldWith(v, k.key('data', v), plain, aad);
}

/** `sealField` with the data key given (its version and raw key), as a worker thread holds it. */
export function sealFieldWith(version: number, key: Buffer, plain: string | Buffer, aad: string): string {
  return `${String(version)}.${seal(key, plain, `${aad}|${String(version)}`)}`;
}

/** Opens what `sealField` produced with the same `aad`; throws SealError on any mismatch. */
export function openField(k: Keyring, sealed: string, aad: string): Buffer {
  const dot = sealed.indexOf('.');
  const v = Number(sealed.slice(0, dot));
  return open(k.key('data', v), sealed.slice(dot + 1), `${aad}|${v}`);
}

/** The additional data of every sealed field, one builder per column, used to seal, open and re-seal it. */
export const FIELD_AAD = {
  caseFacts: (r: { id: string }) => `cases|facts|${r.id}`,
  evidenceName: (r: { id: string }) => `evidence|name|${r.id}`,
  evidenceBlob: (r: { id: string }) => `evidence|blob|${r.id}`,
  reputationValue: (r: { kind: string; bidx: string }) => `rep_subjects|value|${r.kind}|${r.bidx}`,
  appealReason: (r: { id: string }) => `appeals|reason|${r.id}`,
  virtualNumber: (r: { order_id: string; party_id: string }) => `releases|virtual_number|${r.order_id}|${r.party_id}`,
} as const;

/** A sealed column outside orders: where it lives, the columns its additional data is built from, and its batch size. */
export interface SealedColumn {
  table: 'cases' | 'evidence' | 'rep_subjects' | 'appeals' | 'releases';
  column: 'facts_ct' | 'name_ct' | 'blob_ct' | 'value_ct' | 'reason_ct' | 'virtual_number';
  /** The columns the additional data is built from; the first identifies the row. */
  keys: readonly ('id' | 'kind' | 'bidx' | 'ledger_idx' | 'order_id' | 'party_id')[];
  aad: (row: Record<string, string>) => string;
  /** Rows per re-sealing transaction: evidence files are up to 10 MB each. */
  batch: number;
}

/** Every column sealed with `sealField`, so that key rotation re-seals them all. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'cases', column: 'facts_ct', keys: ['id'], aad: (r) => FIELD_AAD.caseFacts(r as { id: string }), batch: 500 },
  { table: 'evidence', column: 'name_ct', keys: ['id'], aad: (r) => FIELD_AAD.evidenceName(r as { id: string }), batch: 500 },
  { table: 'evidence', column: 'blob_ct', keys: ['id'], aad: (r) => FIELD_AAD.evidenceBlob(r as { id: string }), batch: 8 },
  {
    table: 'rep_subjects',
    column: 'value_ct',
    keys: ['id', 'kind', 'bidx'],
    aad: (r) => FIELD_AAD.reputationValue(r as { kind: string; bidx: string }),
    batch: 500,
  },
  { table: 'appeals', column: 'reason_ct', keys: ['id'], aad: (r) => FIELD_AAD.appealReason(r as { id: string }), batch: 500 },
  {
    table: 'releases',
    column: 'virtual_number',
    keys: ['ledger_idx', 'order_id', 'party_id'],
    aad: (r) => FIELD_AAD.virtualNumber(r as { order_id: string; party_id: string }),
    batch: 1000,
  },
];
