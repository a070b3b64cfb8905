/**
 * FF1 format-preserving encryption (NIST SP 800-38G, Algorithms 7 and 8) over decimal strings, on the
 * AES of node:crypto. It turns a sequence number into an order-number-shaped alias that is unique by
 * construction (a permutation) and that the key holder can turn back into the number: no index on the
 * aliases is needed to find a release. A batch of same-length values shares one AES call per round.
 */
import { createCipheriv, type Cipher } from 'node:crypto';

const ROUNDS = 10;
const BLOCK = 16;
/** Decimal FF1 needs 10^n >= 10^6 (SP 800-38G Rev. 1); halves of at most 9 digits keep the arithmetic exact in doubles. */
const MIN_DIGITS = 6;
const MAX_DIGITS = 18;

/** x mod m for 0 <= x < 2^53: a float division and a multiply, cheaper than `%` on numbers beyond 31 bits. */
function mod(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

/** (hi * 2^32 + lo) mod m for 32-bit hi and lo and m <= 10^9, by Horner in base 2^16 so every step is exact in doubles. */
function mod64(hi: number, lo: number, m: number): number {
  const t = mod(mod(hi, m) * 65536 + (lo >>> 16), m);
  return mod(t * 65536 + (lo & 0xffff), m);
}

/** Per-length constants: the halves' sizes, the bytes of NUM(B), and the CBC-MAC state after P and Q's constant blocks. */
interface Shape {
  u: number;
  v: number;
  b: number;
  /** The CBC-MAC chain value before Q's last block, XORed with that block's constant bytes (tweak tail, zero pad). */
  head: Buffer;
  pow: [number, number];
}

/** FF1 with radix 10 under one AES key (16, 24 or 32 bytes) and one tweak. */
export class DecimalFF1 {
  private readonly ecb: Cipher;
  private readonly shapes = new Map<number, Shape>();

  constructor(
    key: Uint8Array,
    private readonly tweak: Uint8Array = new Uint8Array(0),
  ) {
    if (![16, 24, 32].includes(key.length)) throw new RangeError('FF1 needs an AES key of 16, 24 or 32 bytes');
    // ECB over single blocks is the bare block cipher CIPH_K that FF1's PRF chains by hand.
    this.ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    this.ecb.setAutoPadding(false);
  }

  /** CIPH_K over each 16-byte block of `blocks`, in one call. */
  private ciph(blocks: Buffer): Buffer {
    return this.ecb.update(blocks);
  }

  private shape(n: number): Shape {
    let s = this.shapes.get(n);
    if (s) return s;
    if (!Number.isInteger(n) || n < MIN_DIGITS || n > MAX_DIGITS)
      throw new RangeError(`FF1 here takes ${MIN_DIGITS} to ${MAX_DIGITS} digits`);
    const u = Math.floor(n / 2);
    const v = n - u;
    const b = Math.ceil(Math.ceil(v * Math.log2(10)) / 8);
    const t = this.tweak.length;
    const p = Buffer.from([1, 2, 1, 0, 0, 10, 10, u % 256, 0, 0, 0, 0, 0, 0, 0, 0]);
    p.writeUInt32BE(n, 8);
    p.writeUInt32BE(t, 12);
    // Q = T || 0^((-t-b-1) mod 16) || [i] || NUM(B): every block but the last is the same for all values and rounds.
    const pad = (((-t - b - 1) % BLOCK) + BLOCK) % BLOCK;
    const q = Buffer.alloc(t + pad + 1 + b);
    q.set(this.tweak, 0);
    let y = this.ciph(p);
    for (let off = 0; off + BLOCK < q.length; off += BLOCK) {
      const x = Buffer.alloc(BLOCK);
      for (let k = 0; k < BLOCK; k++) x[k] = (y[k] as number) ^ (q[off + k] as number);
      y = this.ciph(x);
    }
    const last = q.subarray(q.length - BLOCK);
    const head = Buffer.alloc(BLOCK);
    for (let k = 0; k < BLOCK; k++) head[k] = (y[k] as number) ^ (last[k] as number);
    s = { u, v, b, head, pow: [10 ** u, 10 ** v] };
    this.shapes.set(n, s);
    return s;
  }

  /**
   * One Feistel round over the whole batch: for each value j, `into[j] = (from[j] ± y) mod m`, where
   * y = NUM(first 8 bytes of PRF(P || Q)) and Q carries round `i` and NUM(`nums[j]`).
   */
  private round(s: Shape, i: number, nums: Float64Array, from: Float64Array, into: Float64Array, m: number, sign: 1 | -1): void {
    const n = nums.length;
    const blocks = Buffer.allocUnsafe(n * BLOCK).fill(s.head);
    for (let j = 0; j < n; j++) {
      const o = j * BLOCK + BLOCK;
      blocks[o - 1 - s.b] = (blocks[o - 1 - s.b] as number) ^ i;
      // NUM(B) < 10^9 < 2^32, written big-endian into the block's last b bytes.
      const x = nums[j] as number;
      for (let k = 0; k < s.b; k++) blocks[o - 1 - k] = (blocks[o - 1 - k] as number) ^ ((x >>> (8 * k)) & 0xff);
    }
    const r = this.ciph(blocks);
    // d = 8 bytes for these lengths (b <= 4), so S is R's first 8 bytes.
    for (let j = 0; j < n; j++) {
      const y = mod64(r.readUInt32BE(j * BLOCK), r.readUInt32BE(j * BLOCK + 4), m);
      const z = (from[j] as number) + sign * y;
      into[j] = z >= m ? z - m : z < 0 ? z + m : z;
    }
  }

  /** Each string's two halves as numbers, checking that all are decimal and of one length. */
  private parse(values: readonly string[]): { s: Shape; a: Float64Array; b: Float64Array } | undefined {
    const first = values[0];
    if (first === undefined) return undefined;
    const s = this.shape(first.length);
    const a = new Float64Array(values.length);
    const b = new Float64Array(values.length);
    values.forEach((x, j) => {
      if (x.length !== first.length || !/^\d+$/.test(x))
        throw new RangeError('FF1 values in one batch must be decimal strings of one length');
      a[j] = Number(x.slice(0, s.u));
      b[j] = Number(x.slice(s.u));
    });
    return { s, a, b };
  }

  /** Encrypts decimal strings of one length to decimal strings of that length. */
  encrypt(values: readonly string[]): string[] {
    return this.run(values, 1);
  }

  /** Decrypts what `encrypt` produced under the same key and tweak. */
  decrypt(values: readonly string[]): string[] {
    return this.run(values, -1);
  }

  /**
   * The ten rounds. Encrypting, round i maps (A, B) to (B, A + y(B)); decrypting runs them backwards, (A, B)
   * to (B - y(A), A). Both keep the halves in three arrays that trade places instead of copying.
   */
  private run(values: readonly string[], sign: 1 | -1): string[] {
    const parsed = this.parse(values);
    if (!parsed) return [];
    const { s } = parsed;
    let a: Float64Array = parsed.a;
    let b: Float64Array = parsed.b;
    let spare: Float64Array = new Float64Array(a.length);
    for (let k = 0; k < ROUNDS; k++) {
      const i = sign === 1 ? k : ROUNDS - 1 - k;
      const m = i % 2 === 0 ? s.pow[0] : s.pow[1];
      if (sign === 1) {
        this.round(s, i, b, a, spare, m, 1);
        [a, b, spare] = [b, spare, a];
      } else {
        this.round(s, i, a, b, spare, m, -1);
        [a, b, spare] = [spare, a, b];
      }
    }
    const out: string[] = new Array<string>(a.length);
    for (let j = 0; j < a.length; j++) out[j] = String(a[j]).padStart(s.u, '0') + String(b[j]).padStart(s.v, '0');
    return out;
  }
}
