/** C2SP signed notes with Ed25519 (c2sp.org/signed-note) and their verifier keys. */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const DASH = '\u2014';
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A named Ed25519 signer. */
export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The raw 32-byte Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key string `name+hex(key ID)+base64(0x01 || public key)`. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey);
  return `${name}+${keyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

/** A parsed verifier key. */
export interface Verifier {
  name: string;
  id: Buffer;
  publicKey: KeyObject;
}

/** Parses a verifier key string, checking its key ID. */
export function parseVerifierKey(vkey: string): Verifier {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  if (!m) throw new Error('verifier key must be name+keyid+key');
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 33 || key[0] !== ED25519) throw new Error('not an Ed25519 verifier key');
  const raw = key.subarray(1);
  const id = keyId(name, raw);
  if (id.toString('hex') !== idHex) throw new Error('verifier key ID does not match its key');
  return { name, id, publicKey: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }) };
}

/** Signs `text` (which must end in a newline) by each signer, one signature line each, and returns the full note. */
export function signNote(text: string, ...signers: NoteSigner[]): string {
  if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
  const lines = signers.map((signer) => {
    const sig = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
    const id = keyId(signer.name, rawPublicKey(signer.publicKey));
    return `${DASH} ${signer.name} ${Buffer.concat([id, sig]).toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** Verifies a note against one trusted key; returns its text, or throws saying why not. */
export function openNote(note: string, verifier: Verifier): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new Error('malformed signature line');
    const sig = Buffer.from(m[2] as string, 'base64');
    if (m[1] !== verifier.name || sig.length < 4 || !sig.subarray(0, 4).equals(verifier.id)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, sig.subarray(4))) throw new Error('signature does not verify');
    verified = true;
  }
  if (!verified) throw new Error('no signature from the trusted key');
  return text;
}
