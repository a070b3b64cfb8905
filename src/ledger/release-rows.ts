/**
 * Every `releases` row must say what its ledger leaf says: the leaf is signed into the log, the row is not,
 * and an accusation found through the row (an alias, a virtual number) must not name anyone the leaf does not.
 */
import type { ReleasesTable, Store } from '../store/index.ts';
import type { LedgerEntry } from './entry.ts';
import type { LedgerProblem } from './problem.ts';

/** What checking release rows needs from the key holder. */
export interface ReleaseKeys {
  /** The ledger's reference to an order (the keyed reference its entries carry). */
  orderRef(orderId: string): string;
  /** The virtual number a release row keeps, opened; null when it does not open for that row. */
  openNumber(row: ReleasesTable): string | null;
  /** Whether the entry at `index` binds virtual number `vn` in its leaf field `field`. */
  bindsNumber(index: number, field: string, vn: string): boolean;
  /** The blind index of number `vn` bound to the consumer with phone index `phoneBidx`. */
  numberIndex(phoneBidx: string, vn: string): string;
  /** What the canary planting entry at `index` commits to for this route (commitments.ts). */
  canaryRoute(index: number, route: { orderId: string; phoneRef: string; station: string | null; courier: string | null }): string;
  /** The aliases of releases whose first entries have these indexes, under fingerprint key version `version`; null when that version is unknown. */
  aliases(version: number, ledgerIndexes: readonly number[]): string[] | null;
}

/**
 * Checks the release rows citing entries `from..to` against those entries (`entries`, by index; a row citing
 * an index not there cites a missing entry), and that the first release entry of each (party, order) in the
 * range has its row (`pairs` carries the pairs seen in earlier ranges); returns how many rows it checked.
 */
export async function checkReleaseRows(
  store: Store,
  keys: ReleaseKeys,
  from: number,
  to: number,
  entries: ReadonlyMap<number, LedgerEntry>,
  report: (p: LedgerProblem) => void,
  pairs: Set<string> = new Set(),
): Promise<number> {
  const rows = await store.db
    .selectFrom('releases')
    .selectAll()
    .where('ledger_idx', '>=', from)
    .where('ledger_idx', '<=', to)
    .orderBy('ledger_idx')
    .execute();
  // Only rows that still carry an alias need the one their index gives: rows keep none since migration 018.
  const byVersion = new Map<number, ReleasesTable[]>();
  for (const r of rows) {
    if (r.alias === '') continue;
    const list = byVersion.get(r.fp_version) ?? [];
    list.push(r);
    byVersion.set(r.fp_version, list);
  }
  const expected = new Map<number, string | null>();
  for (const [version, list] of byVersion) {
    const aliases = keys.aliases(
      version,
      list.map((r) => r.ledger_idx),
    );
    list.forEach((r, i) => expected.set(r.ledger_idx, aliases ? (aliases[i] as string) : null));
  }
  // Rows keep no alias (it is FF1 of the ledger index); aliases given before that scheme are kept, and in a
  // table of their own.
  const legacy = rows.filter((r) => r.alias !== '' && expected.get(r.ledger_idx) !== r.alias).map((r) => r.alias);
  const legacyIdx = new Map<string, number>();
  for (let i = 0; i < legacy.length; i += 500)
    for (const a of await store.db
      .selectFrom('release_aliases')
      .select(['alias', 'ledger_idx'])
      .where('alias', 'in', legacy.slice(i, i + 500))
      .execute())
      legacyIdx.set(a.alias, a.ledger_idx);
  for (const r of rows) {
    const at = `release row of order ${r.order_id} for party ${r.party_id} (entry ${r.ledger_idx})`;
    const bad = (what: string): void => {
      report({ kind: 'release', index: r.ledger_idx, message: `${at}: ${what}` });
    };
    const e = entries.get(r.ledger_idx);
    if (!e) {
      bad('its ledger entry is missing');
      continue;
    }
    if (e.t !== 'release') {
      bad(`its ledger entry is ${/^[aeiou]/.test(e.t) ? 'an' : 'a'} ${e.t} entry, not a release`);
      continue;
    }
    const diffs: string[] = [];
    if (e.party !== r.party_id) diffs.push(`the leaf names party ${e.party}`);
    if (e.order !== keys.orderRef(r.order_id)) diffs.push('the leaf is about another order');
    const vn = keys.openNumber(r);
    if (vn === null) diffs.push('its virtual number does not open for this row');
    else if (!keys.bindsNumber(r.ledger_idx, e.vn, vn)) diffs.push('the leaf records another virtual number');
    else if (r.vn_bidx === null) diffs.push('it has no number index (a row the service did not adopt)');
    else if (r.vn_bidx !== keys.numberIndex(r.phone_bidx, vn)) diffs.push('its number index is not that of its number');
    if (e.fp !== r.fp_version) diffs.push(`the leaf records fingerprint key version ${e.fp}`);
    if (r.alias !== '' && expected.get(r.ledger_idx) !== r.alias && legacyIdx.get(r.alias) !== r.ledger_idx)
      diffs.push('its alias is not the one this entry gives');
    if (diffs.length > 0) bad(`disagrees with its ledger leaf: ${diffs.join('; ')}`);
  }
  // A deleted row would hide a release from trace: a party's first release of an order must keep its row.
  const rowAt = new Set(rows.map((r) => r.ledger_idx));
  for (const [idx, e] of entries) {
    if (idx < from || idx > to || e.t !== 'release') continue;
    const pair = `${e.party}|${e.order}`;
    if (pairs.has(pair)) continue;
    pairs.add(pair);
    if (!rowAt.has(idx))
      report({
        kind: 'release',
        index: idx,
        message: `release entry ${idx} (party ${e.party}) has no release row: it was deleted, and trace cannot see that release`,
      });
  }
  return rows.length;
}
