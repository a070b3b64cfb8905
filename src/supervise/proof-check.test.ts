import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText, leafHash, MerkleTree, signNote, verifierKey } from '../ledger/index.ts';
import { at } from '../shared/at.ts';
import { CheckFailure, consistent, openCheckpoint, rootFromInclusion } from './proof-check.ts';

const keys = () => ({ name: 'gatekeeper.local/ledger', ...generateKeyPairSync('ed25519') });

describe('the browser-side check (WebCrypto) against the ledger’s own code', () => {
  it('finds the same root as the ledger’s tree for every index of trees of size 1 to 33, and no root for a wrong index', async () => {
    const tree = new MerkleTree();
    const leaves: Buffer[] = [];
    for (let n = 1; n <= 33; n++) {
      const leaf = leafHash(Buffer.from(`{"i":${String(n - 1)}}`));
      leaves.push(leaf);
      tree.append(leaf);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        const root = await rootFromInclusion(i, n, at(leaves, i), proof);
        expect(Buffer.from(root ?? []).equals(tree.root(n)), `size ${String(n)} index ${String(i)}`).toBe(true);
        if (n > 1) {
          const moved = await rootFromInclusion((i + 1) % n, n, at(leaves, i), proof);
          expect(moved !== null && Buffer.from(moved).equals(tree.root(n))).toBe(false);
        }
      }
    }
    expect(await rootFromInclusion(5, 5, at(leaves, 0), [])).toBeNull();
  });

  it('opens a checkpoint signed by the trusted key only, as sumdb/note does', async () => {
    const log = keys();
    const other = keys();
    const text = checkpointText({ origin: log.name, size: 7, root: Buffer.alloc(32, 3) });
    const vkey = verifierKey(log.name, log.publicKey);
    const both = signNote(text, other, log);
    expect(await openCheckpoint(both, vkey)).toMatchObject({ origin: log.name, size: 7 });
    const code = async (note: string, key: string): Promise<string> =>
      openCheckpoint(note, key).then(
        () => 'opened',
        (e: unknown) => (e instanceof CheckFailure ? e.code : String(e)),
      );
    expect(await code(signNote(text, other), vkey)).toBe('not_signed_by_key');
    expect(await code(both.replace('\n7\n', '\n8\n'), vkey)).toBe('bad_signature');
    expect(await code(both, vkey.replace(/\+([0-9a-f]{8})\+/, '+00000000+'))).toBe('bad_key');
    expect(await code(text, vkey)).toBe('bad_note');
    const named = signNote(checkpointText({ origin: 'elsewhere.example/log', size: 7, root: Buffer.alloc(32, 3) }), log);
    expect(await code(named, vkey)).toBe('bad_checkpoint');
  });
});

describe('the browser-side consistency check against the ledger’s own tree', () => {
  it('accepts every proof the tree gives from size m to n (1 <= m <= n <= 33), and refuses a wrong root or size', async () => {
    const tree = new MerkleTree();
    for (let n = 1; n <= 33; n++) {
      tree.append(leafHash(Buffer.from(`{"i":${String(n - 1)}}`)));
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(await consistent(m, n, tree.root(m), tree.root(n), proof), `${String(m)}..${String(n)}`).toBe(true);
        if (m < n) {
          expect(await consistent(m, n, tree.root(m), tree.root(n - 1), proof)).toBe(false);
          expect(await consistent(m, n, Buffer.alloc(32, 7), tree.root(n), proof)).toBe(false);
        }
      }
    }
    expect(await consistent(3, 2, tree.root(3), tree.root(2), [])).toBe(false);
  });
});
