/** Sealing for values outside the orders table: the data-key version travels with the ciphertext. */
import type { Keyring } from './keyring.ts';
import { open, seal } from './seal.ts';

/** Seals `plain` under the current data key, bound to `aad` (table|column|row); returns `version.ciphertext`. */
export function sealField(k: Keyring, plain: string | Buffer, aad: string): string {
  const v = k.version('data');
  return `${v}.${seal(k.key('data', v), plain, `${aad}|${v}`)}`;
}

/** Opens what `sealField` produced with the same `aad`; throws SealError on any mismatch. */
export function openField(k: Keyring, sealed: string, aad: string): Buffer {
  const dot = sealed.indexOf('.');
  const v = Number(sealed.slice(0, dot));
  return open(k.key('data', v), sealed.slice(dot + 1), `${aad}|${v}`);
}
