/**
 * The virtual number a release row keeps is sealed, and found through a blind index keyed by its consumer.
 * A clear number in the table would let anyone who reads the database (a backup, a replica, an operator)
 * copy a party's numbers into a dump with each order's item and minute and have trace name that party. The
 * index is per consumer (the binding check asks "does this consumer already hold this number?"), and a
 * consumer is never given a number twice while the pool has others (release.ts, `pickNumber`), so two rows
 * share an index only when the pool ran out for that consumer: equal indexes tell a reader nothing.
 */
import { prf } from '../fingerprint/index.ts';
import type { Store } from '../store/index.ts';
import type { Keyring } from './keyring.ts';
import { FIELD_AAD, openField, sealField } from './sealed-field.ts';

/** The row a sealed number belongs to (its additional data). */
export interface NumberRow {
  order_id: string;
  party_id: string;
}

/** Seals virtual number `vn` for the release row `r`. */
export function sealNumber(k: Keyring, r: NumberRow, vn: string): string {
  return sealField(k, vn, FIELD_AAD.virtualNumber(r));
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
  return prf(k.key('index'), 'vn', phoneBidx, vn).toString('hex');
}

/**
 * Seals the numbers of release rows written before sealing and gives them their index, a batch per
 * transaction; returns how many it adopted. Safe beside another process doing the same: a row is updated
 * only while it still has no index.
 */
export async function adoptClearNumbers(store: Store, k: Keyring, batch = 1000): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await store.db
      .selectFrom('releases')
      .select(['order_id', 'party_id', 'phone_bidx', 'virtual_number', 'ledger_idx'])
      .where('vn_bidx', 'is', null)
      .orderBy('ledger_idx')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    await store.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const vn = openNumber(k, r);
        await trx
          .updateTable('releases')
          .set({
            virtual_number: isSealedNumber(r.virtual_number) ? r.virtual_number : sealNumber(k, r, vn),
            vn_bidx: numberIndex(k, r.phone_bidx, vn),
          })
          .where('ledger_idx', '=', r.ledger_idx)
          .where('vn_bidx', 'is', null)
          .execute();
      }
    });
    done += rows.length;
  }
}
