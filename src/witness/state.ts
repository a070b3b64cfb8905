/** A witness's own files: its signing key and its state (the latest checkpoint it cosigned, per log). */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { cosignerKey, type NoteSigner } from '../ledger/index.ts';
import type { LogState } from './add-checkpoint.ts';

const keyFile = z.object({ name: z.string().regex(/^[^+\s]+$/), privateKey: z.string() });
const stateFile = z.object({
  logs: z.record(z.string(), z.object({ size: z.number().int().min(0), root: z.string(), note: z.string() })),
});
type State = z.infer<typeof stateFile>;

/** JSON, or undefined for text that is not (the caller names the file). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Creates a witness key file (mode 0600) named `name`; returns the cosigner verifier key to publish. */
export function createWitnessKey(file: string, name: string): string {
  if (!/^[^+\s]+$/.test(name)) throw new Error('a witness name has no spaces or "+" (a schema-less URL such as witness.example.org/w1)');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, `${JSON.stringify({ name, privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) })}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return cosignerKey(name, publicKey);
}

/** Loads a witness key file. */
export function loadWitnessKey(file: string): NoteSigner {
  const parsed = keyFile.safeParse(parseJson(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a witness key file`);
  const privateKey = createPrivateKey(parsed.data.privateKey);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 key`);
  return { name: parsed.data.name, privateKey, publicKey: createPublicKey(privateKey) };
}

/** Reads the state file (empty when it does not exist yet). */
export function readState(file: string): State {
  if (!existsSync(file)) return { logs: {} };
  const parsed = stateFile.safeParse(parseJson(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a witness state file`);
  return parsed.data;
}

/**
 * Runs `fn` on the state under a lock file, and saves what it returns (atomically, by rename) before the
 * lock goes: checking the old size and recording the new checkpoint must be one step, or two runs at once
 * could roll the witness back (tlog-witness).
 */
export function withState<T>(file: string, fn: (state: State) => { state?: State; out: T }): T {
  const lock = `${file}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch {
    throw new Error(`${lock} exists: another witness run holds the state (delete the lock file if none is running)`);
  }
  try {
    const { state, out } = fn(readState(file));
    if (state) {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    }
    return out;
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}

/** What the state holds for one log. */
export function logState(state: State, origin: string): LogState | null {
  return state.logs[origin] ?? null;
}
