/** AES-256-GCM sealing with additional data, stored as base64(nonce || tag || ciphertext). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE = 12;
const TAG = 16;

/** Raised when a ciphertext does not open: wrong key, wrong binding (table, column, row) or tampering. */
export class SealError extends Error {
  override name = 'SealError';
}

/** Encrypts `plain` under `key`, binding it to `aad`. */
export function seal(key: Buffer, plain: Buffer | string, aad: string): string {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), c.final()]);
  return Buffer.concat([nonce, c.getAuthTag(), ct]).toString('base64');
}

/** Decrypts what `seal` produced with the same key and `aad`, or throws SealError. */
export function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < NONCE + TAG) throw new SealError('ciphertext too short');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(raw.subarray(NONCE, NONCE + TAG));
  try {
    return Buffer.concat([d.update(raw.subarray(NONCE + TAG)), d.final()]);
  } catch {
    throw new SealError('authentication failed');
  }
}
