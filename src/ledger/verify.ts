/** Recomputes the whole ledger from its stored leaves and checks every hash, index and checkpoint. */
import type { Store } from '../store/index.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { decodeEntry } from './entry.ts';
import { leafHash } from './merkle.ts';
import { openNote, parseVerifierKey } from './note.ts';
import { MerkleTree } from './tree.ts';

/** One thing wrong with the ledger. */
export interface LedgerProblem {
  kind: 'missing' | 'reordered' | 'edited' | 'hash_mismatch' | 'bad_checkpoint' | 'root_mismatch' | 'truncated';
  index?: number;
  message: string;
}

/** What `ledger verify` found. */
export interface VerifyReport {
  ok: boolean;
  size: number;
  root: string;
  checkpoints: number;
  problems: LedgerProblem[];
}

const MAX_PROBLEMS = 100;

/**
 * Streams every leaf, recomputes every hash and root, and checks every checkpoint against `vkey` (the log's
 * first signing key), following each logged rotation of the signing key from its cosigned handover checkpoint.
 */
export async function verifyLedger(store: Store, vkey: string, onProgress?: (done: number) => void): Promise<VerifyReport> {
  const verifier = parseVerifierKey(vkey);
  const problems: LedgerProblem[] = [];
  const report = (p: LedgerProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const tree = new MerkleTree();
  /** Ledger signing-key rotations, in order: where each was logged and the verifier key it hands over to. */
  const handovers: { index: number; vkey: string }[] = [];
  const CHUNK = 20_000;
  let lastIdx = -1;
  for (;;) {
    const rows = await store.db.selectFrom('ledger').selectAll().where('idx', '>', lastIdx).orderBy('idx').limit(CHUNK).execute();
    for (const r of rows) {
      if (r.idx !== lastIdx + 1)
        report({ kind: 'missing', index: lastIdx + 1, message: `entries ${lastIdx + 1}..${r.idx - 1} are missing (deleted)` });
      const bytes = Buffer.from(r.leaf, 'utf8');
      const h = leafHash(bytes);
      let own: number | null = null;
      try {
        const e = decodeEntry(r.leaf);
        own = e.i;
        if (e.t === 'key_rotation' && e.purpose === 'ledger' && e.vkey) handovers.push({ index: r.idx, vkey: e.vkey });
        if (e.party !== r.party)
          report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} is filed under another party than its leaf names` });
      } catch {
        report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} is not a well-formed entry` });
      }
      if (own !== null && own !== r.idx)
        report({ kind: 'reordered', index: r.idx, message: `entry stored at ${r.idx} was written as entry ${own}` });
      if (h.toString('hex') !== r.hash)
        report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} does not match its recorded hash (edited)` });
      tree.append(h);
      lastIdx = r.idx;
    }
    onProgress?.(tree.size);
    if (rows.length < CHUNK) break;
  }
  const cps = await store.db.selectFrom('checkpoints').select(['size', 'note']).orderBy('size').execute();
  // The signing key in force: the one the caller trusts, then each key a rotation entry names, from the
  // first checkpoint after that entry, which must carry the signatures of both the old and the new key.
  let trusted = verifier;
  let next = 0;
  for (const cp of cps) {
    let parsed;
    try {
      let text = openNote(cp.note, trusted);
      for (let h = handovers[next]; h && h.index < cp.size; h = handovers[++next]) {
        trusted = parseVerifierKey(h.vkey);
        text = openNote(cp.note, trusted);
      }
      parsed = parseCheckpoint(text);
    } catch (e) {
      report({ kind: 'bad_checkpoint', message: `checkpoint at size ${cp.size}: ${(e as Error).message}` });
      continue;
    }
    if (parsed.size !== cp.size || parsed.origin !== verifier.name) {
      report({ kind: 'bad_checkpoint', message: `checkpoint stored at size ${cp.size} says size ${parsed.size}, origin ${parsed.origin}` });
    } else if (parsed.size > tree.size) {
      report({ kind: 'truncated', message: `a checkpoint signed ${parsed.size} entries but only ${tree.size} remain (entries deleted)` });
    } else if (!tree.root(parsed.size).equals(parsed.root)) {
      report({
        kind: 'root_mismatch',
        message: `the first ${parsed.size} entries no longer give the signed root: an entry before ${parsed.size} was changed, removed or reordered`,
      });
    }
  }
  return { ok: problems.length === 0, size: tree.size, root: tree.root().toString('hex'), checkpoints: cps.length, problems };
}
