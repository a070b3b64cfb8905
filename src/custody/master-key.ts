/** The master key: GATEKEEPER_MASTER_KEY (32 bytes, base64 or hex), or a key file created with mode 0600. */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
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

/** Runs a file operation, turning its system error into a MasterKeyError that names the file and the cause. */
function onFile<T>(file: string, doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MasterKeyError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'no such file or directory' : undefined;
    throw new MasterKeyError(
      `cannot ${doing} key file ${file}: ${why ? `${why} (${code ?? ''})` : e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Creates a key file (mode 0600, never over an existing file) and flushes it. */
function writeKeyFile(file: string, key: Buffer): void {
  onFile(file, 'create', () => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    const fd = openSync(file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** Saves a rotation's new master key beside the key file, flushed, before the rotation commits (replacing one a rotation that never committed left). */
export function stagePendingKey(file: string, key: Buffer): void {
  onFile(pendingKeyFile(file), 'replace', () => {
    rmSync(pendingKeyFile(file), { force: true });
  });
  writeKeyFile(pendingKeyFile(file), key);
}

/**
 * Reads a key file that must be a regular file. Its mode is never changed on a file this user does not own
 * (a root-owned 0640 file for a service group is a sound set-up): loose modes are reported through `warn`;
 * a file of this user's that others may read is set to 0600, and that is reported too.
 */
function readKeyFile(file: string, warn: (message: string) => void): Buffer {
  const st = onFile(file, 'read', () => statSync(file));
  if (!st.isFile())
    throw new MasterKeyError(`key file ${file} is not a regular file (${st.isDirectory() ? 'a directory' : 'a special file'})`);
  const loose = st.mode & 0o077;
  const mine = typeof process.getuid === 'function' && st.uid === process.getuid();
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if (loose !== 0 && mine) {
    onFile(file, 'restrict the mode of', () => {
      chmodSync(file, 0o600);
    });
    warn(`key file ${file} was readable by others (mode ${mode}): set to 0600`);
  } else if ((st.mode & 0o007) !== 0)
    warn(`key file ${file} is readable by every user of this machine (mode ${mode}); it belongs to another user, so it is left as it is`);
  return decode(
    onFile(file, 'read', () => readFileSync(file, 'utf8')),
    `key file ${file}`,
  );
}

/** The pending key a rotation saved, if there is one. */
export function loadPendingKey(file: string, warn: (message: string) => void = warnOnStderr): Buffer | null {
  const pending = pendingKeyFile(file);
  return existsSync(pending) ? readKeyFile(pending, warn) : null;
}

/** Makes a committed rotation's pending key the key file (an atomic rename, then the directory flushed). */
export function promotePendingKey(file: string): void {
  onFile(file, 'replace', () => {
    renameSync(pendingKeyFile(file), file);
    const fd = openSync(dirname(file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** Where warnings about key files go by default: one line on stderr. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`gatekeeper: warning: ${message}\n`);
}

/** How `loadMasterKey` treats a missing key file, and where it reports loose modes. */
export interface LoadMasterKeyOptions {
  /**
   * Whether a missing key file may be created: only for a store that holds no keys yet. For a store that does,
   * a missing file is an error naming it: a new key would never open the store.
   */
  create?: boolean;
  /** Where the store is, for that error ("at data/gatekeeper.db"). */
  store?: string;
  warn?: (message: string) => void;
}

/** Loads the master key from the environment or the key file, creating the file (0600) when `create` allows. */
export function loadMasterKey(env: NodeJS.ProcessEnv = process.env, opts: LoadMasterKeyOptions = {}): Buffer {
  const source = masterKeySource(env);
  if (source.kind === 'env') return decode(env.GATEKEEPER_MASTER_KEY ?? '', 'GATEKEEPER_MASTER_KEY');
  const { file } = source;
  const warn = opts.warn ?? warnOnStderr;
  // lstat would refuse a symbolic link to the key, which operators use to point at a secrets mount.
  if (existsSync(file) || onFile(file, 'read', () => lstatExists(file))) return readKeyFile(file, warn);
  if (opts.create === false)
    throw new MasterKeyError(
      `key file ${file} is missing, and the store${opts.store ? ` ${opts.store}` : ''} already holds keys sealed under it: restore that file (or set GATEKEEPER_MASTER_KEY_FILE or GATEKEEPER_MASTER_KEY to the key); a new key would not open the store`,
    );
  const key = randomBytes(32);
  writeKeyFile(file, key);
  return key;
}

/** True when something is at `file` even though `existsSync` cannot see it (a dangling link, an unreadable directory). */
function lstatExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** The master keys a running process may find after another one rotated it: the key file and a staged one, or the environment's new key. */
export function masterKeyCandidates(env: NodeJS.ProcessEnv = process.env): Buffer[] {
  const source = masterKeySource(env);
  const out: Buffer[] = [];
  const quiet = (): void => undefined;
  const tryAdd = (read: () => Buffer | null): void => {
    try {
      const k = read();
      if (k) out.push(k);
    } catch {
      // A candidate that cannot be read is simply not one: the caller keeps the key it has.
    }
  };
  if (source.kind === 'env') {
    if (env.GATEKEEPER_NEW_MASTER_KEY) tryAdd(() => decode(env.GATEKEEPER_NEW_MASTER_KEY ?? '', 'GATEKEEPER_NEW_MASTER_KEY'));
    return out;
  }
  tryAdd(() => readKeyFile(source.file, quiet));
  tryAdd(() => loadPendingKey(source.file, quiet));
  return out;
}
