/** The master key: GATEKEEPER_MASTER_KEY (32 bytes, base64 or hex), or a key file created with mode 0600. */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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

/** Where the master key comes from: the environment, or a key file. */
export type MasterKeySource = { kind: 'env' } | { kind: 'file'; file: string };

/** The master key's source under `env`. */
export function masterKeySource(env: NodeJS.ProcessEnv = process.env): MasterKeySource {
  return env.GATEKEEPER_MASTER_KEY ? { kind: 'env' } : { kind: 'file', file: env.GATEKEEPER_MASTER_KEY_FILE ?? DEFAULT_KEY_FILE };
}

/** The new master key an operator who keeps the key in the environment passes to a rotation (GATEKEEPER_NEW_MASTER_KEY). */
export function newMasterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (!env.GATEKEEPER_NEW_MASTER_KEY)
    throw new MasterKeyError('the master key comes from GATEKEEPER_MASTER_KEY: put the new key in GATEKEEPER_NEW_MASTER_KEY to rotate it');
  const next = decode(env.GATEKEEPER_NEW_MASTER_KEY, 'GATEKEEPER_NEW_MASTER_KEY');
  if (env.GATEKEEPER_MASTER_KEY && next.equals(decode(env.GATEKEEPER_MASTER_KEY, 'GATEKEEPER_MASTER_KEY')))
    throw new MasterKeyError('GATEKEEPER_NEW_MASTER_KEY is the key in use: give a new one');
  return next;
}

/** The file a rotation writes the new master key to before it commits (`<key file>.next`). */
export const pendingKeyFile = (file: string): string => `${file}.next`;

/** Creates a key file (mode 0600, never over an existing file) and flushes it. */
function writeKeyFile(file: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Saves a rotation's new master key beside the key file, flushed, before the rotation commits (replacing one a rotation that never committed left). */
export function stagePendingKey(file: string, key: Buffer): void {
  rmSync(pendingKeyFile(file), { force: true });
  writeKeyFile(pendingKeyFile(file), key);
}

/** The pending key a rotation saved, if there is one. */
export function loadPendingKey(file: string): Buffer | null {
  const pending = pendingKeyFile(file);
  return existsSync(pending) ? decode(readFileSync(pending, 'utf8'), `key file ${pending}`) : null;
}

/** Makes a committed rotation's pending key the key file (an atomic rename, then the directory flushed). */
export function promotePendingKey(file: string): void {
  renameSync(pendingKeyFile(file), file);
  const fd = openSync(dirname(file), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Loads the master key from the environment or the key file, creating the file (0600) on first use. */
export function loadMasterKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const source = masterKeySource(env);
  if (source.kind === 'env') return decode(env.GATEKEEPER_MASTER_KEY ?? '', 'GATEKEEPER_MASTER_KEY');
  const { file } = source;
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return decode(readFileSync(file, 'utf8'), `key file ${file}`);
  }
  const key = randomBytes(32);
  writeKeyFile(file, key);
  return key;
}
