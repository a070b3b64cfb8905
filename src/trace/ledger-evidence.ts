/**
 * Evidence rests on what the ledger proves, not on the mutable `releases` table. Before a release counts
 * against a party, its row is held to the leaf at `releases.ledger_idx`: the leaf must hash to the Merkle
 * tree's leaf at that index (the tree the signed checkpoints cover), be a release entry, and name the same
 * party, the same order (by its keyed reference) and fingerprint key version as the row, and bind its virtual
 * number (commitments.ts), which must open for the row and match the row's blind index (numbers.ts).
 */
import { holdToLeaf, numberIndex, type Custody } from '../custody/index.ts';
import { leavesAt } from '../ledger/index.ts';
import type { ReleasesTable } from '../store/index.ts';

/** A release row that disagrees with its ledger leaf, and what differs. */
export interface LeafMismatch {
  index: number;
  order: string;
  party: string;
  problem: string;
}

/** What a row must match in its leaf; returns the first difference or null. */
function compare(c: Custody, row: ReleasesTable, leaf: string | undefined): string | null {
  if (leaf === undefined || row.ledger_idx >= c.ledger.tree.size) return 'no ledger entry at this index';
  const held = holdToLeaf(c.keyring, row, leaf, (i, l) => c.ledger.holds(i, l));
  if ('problem' in held) return held.problem;
  if (row.vn_bidx !== null && row.vn_bidx !== numberIndex(c.keyring, row.phone_bidx, held.vn))
    return 'number index differs from the number';
  return null;
}

/** Checks release rows against their leaves; returns the ledger indexes that agree and the rows that do not. */
export async function checkReleases(
  c: Custody,
  rows: readonly ReleasesTable[],
): Promise<{ verified: Set<number>; mismatches: LeafMismatch[] }> {
  const verified = new Set<number>();
  const mismatches: LeafMismatch[] = [];
  // Entries another process committed since this one loaded the tree.
  if (rows.some((r) => r.ledger_idx >= c.ledger.tree.size)) await c.ledger.refresh();
  const unique = [...new Map(rows.map((r) => [`${r.ledger_idx}|${r.order_id}|${r.party_id}`, r])).values()];
  const leaves = await leavesAt(
    c.store.db,
    unique.map((r) => r.ledger_idx),
  );
  for (const r of unique) {
    const problem = compare(c, r, leaves.get(r.ledger_idx));
    if (problem === null) verified.add(r.ledger_idx);
    else mismatches.push({ index: r.ledger_idx, order: r.order_id, party: r.party_id, problem });
  }
  // Two rows claiming one leaf: at most one can be the release it records, so neither counts.
  const claims = new Map<number, number>();
  for (const r of unique) claims.set(r.ledger_idx, (claims.get(r.ledger_idx) ?? 0) + 1);
  for (const [idx, n] of claims)
    if (n > 1 && verified.delete(idx)) {
      const r = unique.find((u) => u.ledger_idx === idx) as ReleasesTable;
      mismatches.push({ index: idx, order: r.order_id, party: r.party_id, problem: 'several release rows claim this entry' });
    }
  return { verified, mismatches };
}
