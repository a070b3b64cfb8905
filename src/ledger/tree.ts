/** An append-only RFC 9162 Merkle tree kept in memory as flat per-level hash arrays, with proofs. */
import { EMPTY_ROOT, nodeHash, splitPoint } from './merkle.ts';

const HASH = 32;

/** One level of complete subtree hashes: 32 bytes per node, grown by doubling. */
class Level {
  buf = Buffer.alloc(HASH * 1024);
  count = 0;
  push(h: Uint8Array): void {
    if ((this.count + 1) * HASH > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.count * HASH);
      this.buf = bigger;
    }
    this.buf.set(h, this.count * HASH);
    this.count++;
  }
  get(i: number): Buffer {
    return this.buf.subarray(i * HASH, (i + 1) * HASH);
  }
}

/**
 * Level k holds the hash of every complete, aligned subtree of 2^k leaves, so each append costs one
 * node hash amortised and any proof needs only lookups plus the hashes of the ragged right edge.
 */
export class MerkleTree {
  /** Level 0: the leaf hashes themselves. */
  private readonly leaves = new Level();
  private readonly levels: Level[] = [this.leaves];
  /** Right-edge subtree hashes for the current size; cleared on append. */
  private edge = new Map<number, Buffer>();

  /** Number of leaves. */
  get size(): number {
    return this.leaves.count;
  }

  /** Appends a leaf hash (already SHA-256(0x00 || entry)). */
  append(leaf: Uint8Array): void {
    let level = 0;
    let h: Uint8Array = leaf;
    for (;;) {
      const lv = (this.levels[level] ??= new Level());
      lv.push(h);
      if (lv.count % 2 === 1) break;
      h = nodeHash(lv.get(lv.count - 2), lv.get(lv.count - 1));
      level++;
    }
    if (this.edge.size > 0) this.edge = new Map();
  }

  /** The hash of leaf i. */
  leaf(i: number): Buffer {
    if (i < 0 || i >= this.size) throw new RangeError(`leaf ${i} outside tree of size ${this.size}`);
    return Buffer.from(this.leaves.get(i));
  }

  /** Root of the tree formed by the first n leaves (default: all). */
  root(n = this.size): Buffer {
    this.checkSize(n);
    return n === 0 ? Buffer.from(EMPTY_ROOT) : Buffer.from(this.hash(0, n, n === this.size));
  }

  /** Inclusion proof for leaf `index` in the tree of the first `n` leaves. */
  inclusionProof(index: number, n = this.size): Buffer[] {
    this.checkSize(n);
    if (index < 0 || index >= n) throw new RangeError(`index ${index} outside tree of size ${n}`);
    const cache = n === this.size;
    const proof: Buffer[] = [];
    let lo = 0;
    let hi = n;
    let m = index;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (m < k) {
        proof.push(this.hash(lo + k, hi, cache));
        hi = lo + k;
      } else {
        proof.push(this.hash(lo, lo + k, cache));
        lo += k;
        m -= k;
      }
    }
    return proof.reverse();
  }

  /** Consistency proof from the tree of the first `m` leaves to that of the first `n` (RFC 9162 §2.1.4.1). */
  consistencyProof(m: number, n = this.size): Buffer[] {
    this.checkSize(n);
    if (m < 0 || m > n) throw new RangeError(`size ${m} is not within 0..${n}`);
    if (m === 0 || m === n) return [];
    const cache = n === this.size;
    const proof: Buffer[] = [];
    let lo = 0;
    let hi = n;
    let mm = m;
    let whole = true;
    while (mm !== hi - lo) {
      const k = splitPoint(hi - lo);
      if (mm <= k) {
        proof.push(this.hash(lo + k, hi, cache));
        hi = lo + k;
      } else {
        proof.push(this.hash(lo, lo + k, cache));
        lo += k;
        mm -= k;
        whole = false;
      }
    }
    if (!whole) proof.push(this.hash(lo, hi, cache));
    return proof.reverse();
  }

  private checkSize(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size) throw new RangeError(`tree size ${n} is not within 0..${this.size}`);
  }

  /** MTH(D[lo:hi]); complete aligned subtrees are looked up, the ragged right edge is hashed once per size. */
  private hash(lo: number, hi: number, cacheEdge: boolean): Buffer {
    const len = hi - lo;
    let level = 0;
    while (2 ** level < len) level++;
    if (2 ** level === len && lo % len === 0) {
      const lv = this.levels[level];
      if (lv && lo / len < lv.count) return lv.get(lo / len);
    }
    if (cacheEdge && hi === this.size) {
      const hit = this.edge.get(lo);
      if (hit) return hit;
    }
    const k = splitPoint(len);
    const h = nodeHash(this.hash(lo, lo + k, cacheEdge), this.hash(lo + k, hi, cacheEdge));
    if (cacheEdge && hi === this.size) this.edge.set(lo, h);
    return h;
  }
}
