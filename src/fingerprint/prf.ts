/**
 * HMAC-SHA256 as the PRF behind every per-party choice: uniforms, aliases, numbers.
 *
 * Built from node:crypto's one-shot SHA-256 (RFC 2104: H(K ^ opad || H(K ^ ipad || m))) rather than
 * createHmac, which a release calls three or four times a view: every Hmac object is a native object with a
 * weak handle that the garbage collector must finalise, and on the release workers those finalisers took
 * most of each young-generation collection. The one-shot digests allocate only strings.
 * prf.test.ts checks it against createHmac.
 */
import { createHash, hash } from 'node:crypto';

const BLOCK = 64;

/** The key XOR ipad and XOR opad, each one SHA-256 block, kept per key object. */
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

function padsOf(key: Buffer): { inner: Buffer; outer: Buffer } {
  let p = pads.get(key);
  if (!p) {
    const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
    const inner = Buffer.alloc(BLOCK, 0x36);
    const outer = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < k.length; i++) {
      inner[i] = (inner[i] as number) ^ (k[i] as number);
      outer[i] = (outer[i] as number) ^ (k[i] as number);
    }
    pads.set(key, (p = { inner, outer }));
  }
  return p;
}

// Scratch space for the two hash inputs, reused by every call (JavaScript runs one call at a time per thread).
let innerInput = Buffer.alloc(BLOCK + 256);
const outerInput = Buffer.alloc(BLOCK + 32);

/** HMAC-SHA256 over the parts joined by '|'. */
export function prf(key: Buffer, ...parts: (string | number)[]): Buffer {
  const msg = parts.join('|');
  const { inner, outer } = padsOf(key);
  // A UTF-16 code unit takes at most 3 bytes of UTF-8.
  if (innerInput.length < BLOCK + msg.length * 3) innerInput = Buffer.alloc(BLOCK + msg.length * 3);
  inner.copy(innerInput, 0);
  const n = innerInput.write(msg, BLOCK, 'utf8');
  outer.copy(outerInput, 0);
  // 'binary' (latin1) strings carry the digest's bytes one per character, without a Buffer of their own.
  outerInput.write(hash('sha256', innerInput.subarray(0, BLOCK + n), 'binary'), BLOCK, 'binary');
  const out = Buffer.allocUnsafe(32);
  out.write(hash('sha256', outerInput, 'binary'), 0, 'binary');
  return out;
}

/** Sixteen uniforms in (0, 1) from one PRF block, 16 bits each (enough: the smallest bias is about 1/1500). */
export function uniforms(block: Buffer): Float64Array {
  const out = new Float64Array(16);
  for (let i = 0; i < 16; i++) out[i] = (block.readUInt16BE(i * 2) + 0.5) / 65536;
  return out;
}
