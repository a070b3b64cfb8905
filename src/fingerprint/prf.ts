/** HMAC-SHA256 as the PRF behind every per-party choice: uniforms, aliases, numbers. */
import { createHmac } from 'node:crypto';

/** HMAC-SHA256 over the parts joined by '|'. */
export function prf(key: Buffer, ...parts: (string | number)[]): Buffer {
  return createHmac('sha256', key).update(parts.join('|')).digest();
}

/** Sixteen uniforms in (0, 1) from one PRF block, 16 bits each (enough: the smallest bias is about 1/1500). */
export function uniforms(block: Buffer): Float64Array {
  const out = new Float64Array(16);
  for (let i = 0; i < 16; i++) out[i] = (block.readUInt16BE(i * 2) + 0.5) / 65536;
  return out;
}
