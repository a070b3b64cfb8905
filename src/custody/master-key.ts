/** The master key: GATEKEEPER_MASTER_KEY (32 bytes, base64 or hex), or a key file created with mode 0600. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Default key file, beside the default database. */
export const DEFAULT_KEY_FILE = 'data/master.key';

/** Raised when the master key is missing, malformed or not the one this store was made with. */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

function decode(text: string, source: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new MasterKeyError(`${source} must hold 32 bytes as 64 hex digits or base64`);
  return key;
}

/** Loads the master key from the environment or the key file, creating the file (0600) on first use. */
export function loadMasterKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.GATEKEEPER_MASTER_KEY) return decode(env.GATEKEEPER_MASTER_KEY, 'GATEKEEPER_MASTER_KEY');
  const file = env.GATEKEEPER_MASTER_KEY_FILE ?? DEFAULT_KEY_FILE;
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return decode(readFileSync(file, 'utf8'), `key file ${file}`);
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
