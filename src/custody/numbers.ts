/**
 * The virtual number a release row keeps is sealed, and found through a blind index keyed by its consumer.
 * A clear number in the table would let anyone who reads the database (a backup, a replica, an operator)
 * copy a party's numbers into a dump with each order's item and minute and have trace name that party. The
 * index is per consumer (the binding check asks "does this consumer already hold this number?"), and a
 * consumer is never given a number twice while the pool has others (release.ts, `pickNumber`), so two rows
 * share an index only when the pool ran out for that consumer: equal indexes tell a reader nothing.
 */
import { prf } from '../fingerprint/index.ts';
import { decodeEntry } from '../ledger/index.ts';
import type { Store } from '../store/index.ts';
import { leafBinds } from './commitments.ts';
import type { Keyring } from './keyring.ts';
import { orderRef } from './refs.ts';
import { FIELD_AAD, openField, sealField, sealFieldWith } from './sealed-field.ts';

/** The row a sealed number belongs to (its additional data). */
export interface NumberRow {
  order_id: string;
  party_id: string;
}

/** Seals virtual number `vn` for the release row `r`. */
export function sealNumber(k: Keyring, r: NumberRow, vn: string): string {
  return sealField(k, vn, FIELD_AAD.virtualNumber(r));
}

/** `sealNumber` with the data key given (version and raw key), as a worker thread holds it. */
export function sealNumberWith(version: number, key: Buffer, r: NumberRow, vn: string): string {
  return sealFieldWith(version, key, vn, FIELD_AAD.virtualNumber(r));
}

/** Whether a row's stored number is sealed (rows written before sealing hold the number itself until the store adopts them). */
export function isSealedNumber(stored: string): boolean {
  return stored.includes('.');
}

/** The virtual number a release row keeps; throws SealError when the stored value does not open for this row. */
export function openNumber(k: Keyring, r: NumberRow & { virtual_number: string }): string {
  return isSealedNumber(r.virtual_number) ? openField(k, r.virtual_number, FIELD_AAD.virtualNumber(r)).toString('utf8') : r.virtual_number;
}

/** The blind index of number `vn` bound to the consumer with phone index `phoneBidx`, under the current index key. */
export function numberIndex(k: Keyring, phoneBidx: string, vn: string): string {
  return numberIndexWith(k.key('index'), phoneBidx, vn);
}

/** `numberIndex` with the index key given, as a worker thread holds it. */
export function numberIndexWith(indexKey: Buffer, phoneBidx: string, vn: string): string {
  // 128 bits: a collision among one consumer's few numbers is out of reach, and every release row carries one.
  return prf(indexKey, 'vn', phoneBidx, vn).subarray(0, 16).toString('base64url');
}

/** What adoption reads of the ledger: whether a leaf is the one the tree holds at its index. */
export type LeafCheck = (idx: number, leaf: string) => boolean;

/**
 * Seals the numbers of release rows written before sealing and gives them their index, a batch per
 * transaction; returns how many it adopted. A row is adopted only if its ledger leaf (held by the tree) is
 * a release by the row's party of the row's order and binds the number: otherwise adopting would tell
 * whoever wrote the row whether a guessed number is a party's (its index would match the real row's). Rows
 * left out keep no index, and `ledger verify` names them. Safe beside another process doing the same.
 */
export async function adoptClearNumbers(store: Store, k: Keyring, holds: LeafCheck, batch = 1000): Promise<number> {
  let done = 0;
  let after = -1;
  for (;;) {
    const rows = await store.db
      .selectFrom('releases as r')
      .leftJoin('ledger as l', 'l.idx', 'r.ledger_idx')
      .select(['r.order_id', 'r.party_id', 'r.phone_bidx', 'r.virtual_number', 'r.ledger_idx', 'r.fp_version', 'l.leaf'])
      .where('r.vn_bidx', 'is', null)
      .where('r.ledger_idx', '>', after)
      .orderBy('r.ledger_idx')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    after = (rows[rows.length - 1] as { ledger_idx: number }).ledger_idx;
    const adopt = rows.flatMap((r) => {
      const vn = boundNumber(k, r, r.leaf, holds);
      return vn === null ? [] : [{ r, vn }];
    });
    await store.db.transaction().execute(async (trx) => {
      for (const { r, vn } of adopt)
        await trx
          .updateTable('releases')
          .set({
            virtual_number: isSealedNumber(r.virtual_number) ? r.virtual_number : sealNumber(k, r, vn),
            vn_bidx: numberIndex(k, r.phone_bidx, vn),
          })
          .where('ledger_idx', '=', r.ledger_idx)
          .where('vn_bidx', 'is', null)
          .execute();
    });
    done += adopt.length;
  }
}

/** A release row as its ledger leaf is checked against it. */
export type ReleaseRowRef = NumberRow & { virtual_number: string; ledger_idx: number; fp_version: number };

/**
 * Holds a release row to its ledger leaf (`leaf`, which the tree must hold at the row's index): the leaf must
 * be this row's release (index, party, order, fingerprint key version) and bind the number the row keeps.
 * Returns that number, or the first difference.
 */
export function holdToLeaf(k: Keyring, r: ReleaseRowRef, leaf: string | null, holds: LeafCheck): { vn: string } | { problem: string } {
  if (leaf === null) return { problem: 'no ledger entry at this index' };
  if (!holds(r.ledger_idx, leaf)) return { problem: 'entry does not hash to the tree' };
  let e: ReturnType<typeof decodeEntry>;
  try {
    e = decodeEntry(leaf);
  } catch {
    return { problem: 'entry is not a ledger entry' };
  }
  if (e.i !== r.ledger_idx || e.t !== 'release') return { problem: 'entry is not this release' };
  if (e.party !== r.party_id) return { problem: 'party differs from the ledger' };
  if (e.order !== orderRef(k, r.order_id)) return { problem: 'order differs from the ledger' };
  if (e.fp !== r.fp_version) return { problem: 'fingerprint key version differs from the ledger' };
  let vn: string;
  try {
    vn = openNumber(k, r);
  } catch {
    return { problem: 'virtual number does not open for this row' };
  }
  return leafBinds(k, e.i, e.vn, vn) ? { vn } : { problem: 'virtual number differs from the ledger' };
}

/** The row's number if its leaf holds it (`holdToLeaf`); null otherwise. */
export function boundNumber(k: Keyring, r: ReleaseRowRef, leaf: string | null, holds: LeafCheck): string | null {
  const held = holdToLeaf(k, r, leaf, holds);
  return 'vn' in held ? held.vn : null;
}
