import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at } from '../shared/at.ts';
import { EMPTY_ROOT, leafHash, nodeHash, splitPoint, verifyConsistency, verifyInclusion } from './merkle.ts';
import { MerkleTree } from './tree.ts';

// Reference vectors from the Certificate Transparency test data as published in
// github.com/transparency-dev/merkle, proof/verify_test.go (Apache-2.0), derived from RFC 6962's reference tree.
const h = (s: string): Buffer => Buffer.from(s, 'hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);
// [leaf number (1-based), tree size, proof]
const INCLUSION: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    2,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

/** MTH straight from the RFC's recursive definition, to cross-check the incremental tree. */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leafHash(at(leaves, 0));
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** Flips bits of the first byte, as the reference tests corrupt proofs. */
function flipBit(b: Buffer, mask: number): void {
  b.writeUInt8(b.readUInt8(0) ^ mask, 0);
}

function treeOf(entries: Buffer[]): MerkleTree {
  const t = new MerkleTree();
  for (const e of entries) t.append(leafHash(e));
  return t;
}

describe('RFC 6962 / 9162 Merkle tree', () => {
  const tree = treeOf(LEAVES);

  it('has the empty root of SHA-256 of nothing', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new MerkleTree().root().equals(EMPTY_ROOT)).toBe(true);
  });

  it('matches the CT reference roots for sizes 1 to 8', () => {
    ROOTS.forEach((root, i) => {
      expect(tree.root(i + 1).toString('hex')).toBe(root.toString('hex'));
    });
  });

  it('produces and verifies the CT reference inclusion proofs', () => {
    for (const [leaf, size, proof] of INCLUSION) {
      const got = tree.inclusionProof(leaf - 1, size).map((b) => b.toString('hex'));
      expect(got).toEqual(proof);
      expect(verifyInclusion(leaf - 1, size, leafHash(at(LEAVES, leaf - 1)), proof.map(h), at(ROOTS, size - 1))).toBe(true);
    }
  });

  it('produces and verifies the CT reference consistency proofs', () => {
    for (const [m, n, proof] of CONSISTENCY) {
      expect(tree.consistencyProof(m, n).map((b) => b.toString('hex'))).toEqual(proof);
      expect(verifyConsistency(m, n, at(ROOTS, m - 1), at(ROOTS, n - 1), proof.map(h))).toBe(true);
    }
  });

  it('rejects corrupted inclusion proofs as the reference tests do', () => {
    const [leaf, size, proofHex] = INCLUSION[2] as [number, number, string[]];
    const proof = proofHex.map(h);
    const lh = leafHash(at(LEAVES, leaf - 1));
    const root = at(ROOTS, size - 1);
    const bad: [number, number, Buffer, Buffer[], Buffer][] = [
      [leaf - 2, size, lh, proof, root],
      [leaf, size, lh, proof, root],
      [leaf - 1, size * 2, lh, proof, root],
      [leaf - 1, size / 2, lh, proof, root],
      [leaf - 1, size, leafHash(Buffer.from('WrongLeaf')), proof, root],
      [leaf - 1, size, lh, proof, EMPTY_ROOT],
      [leaf - 1, size, lh, [...proof, root], root],
      [leaf - 1, size, lh, [root, ...proof], root],
      [leaf - 1, size, lh, proof.slice(0, -1), root],
      ...proof.map((_, i): [number, number, Buffer, Buffer[], Buffer] => {
        const p = proof.map((b) => Buffer.from(b));
        flipBit(at(p, i), 8);
        return [leaf - 1, size, lh, p, root];
      }),
    ];
    for (const [i, n, l, p, r] of bad) expect(verifyInclusion(i, n, l, p, r)).toBe(false);
  });

  it('rejects corrupted consistency proofs as the reference tests do', () => {
    const [m, n, proofHex] = CONSISTENCY[2] as [number, number, string[]];
    const proof = proofHex.map(h);
    const r1 = at(ROOTS, m - 1);
    const r2 = at(ROOTS, n - 1);
    const bad: [number, number, Buffer, Buffer, Buffer[]][] = [
      [m - 1, n, r1, r2, proof],
      [m + 1, n, r1, r2, proof],
      [m ^ 2, n, r1, r2, proof],
      [m, n * 2, r1, r2, proof],
      [m, n / 2, r1, r2, proof],
      [m, n, r2, r1, proof],
      [m, n, r1, r2, []],
      [m, n, r1, r2, [...proof, r1]],
      [m, n, r1, r2, [r2, ...proof]],
      [m, n, r1, r2, proof.slice(0, -1)],
      ...proof.map((_, i): [number, number, Buffer, Buffer, Buffer[]] => {
        const p = proof.map((b) => Buffer.from(b));
        flipBit(at(p, i), 16);
        return [m, n, r1, r2, p];
      }),
    ];
    for (const [a, b, x, y, p] of bad) expect(verifyConsistency(a, b, x, y, p)).toBe(false);
  });

  it('agrees with the recursive definition for every size, index and prefix up to 70 leaves', () => {
    const entries = Array.from({ length: 70 }, (_, i) => Buffer.from(`entry ${i}`));
    const t = treeOf(entries);
    let checks = 0;
    for (let n = 1; n <= 70; n++) {
      const root = referenceRoot(entries.slice(0, n));
      expect(t.root(n).equals(root)).toBe(true);
      for (let i = 0; i < n; i++) {
        const ok = verifyInclusion(i, n, t.leaf(i), t.inclusionProof(i, n), root);
        const wrongIndex = n > 1 && verifyInclusion((i + 1) % n, n, t.leaf(i), t.inclusionProof(i, n), root);
        expect([ok, wrongIndex]).toEqual([true, false]);
        checks++;
      }
      for (let m = 0; m <= n; m++) {
        const p = t.consistencyProof(m, n);
        expect(verifyConsistency(m, n, t.root(m), root, p)).toBe(true);
        if (m > 0 && m < n) expect(verifyConsistency(m, n, t.root(m), t.root(n - 1), p)).toBe(false);
        checks++;
      }
    }
    expect(checks).toBe(2485 + 2555);
  });
});
