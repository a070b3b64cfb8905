/**
 * C2SP tlog-cosignature/v1 with Ed25519: a witness's timestamped signature over a checkpoint, carried as one
 * more signature line of the checkpoint note. Verifiers that do not know the witness key (Go's note.Open among
 * them) skip the line as a signature from an unknown key.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { rawPublicKey, type NoteSigner } from './note.ts';

/** The signature type byte of Ed25519 cosignatures, in key IDs and verifier keys. */
const COSIGNATURE_V1 = 0x04;
const DASH = '\u2014';
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Cosignature timestamps are u64 but must not exceed 2^63 - 1; seconds beyond 2^53 are not a real time. */
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** A cosigner (witness) key as verifiers hold it. */
export interface Cosigner {
  name: string;
  id: Buffer;
  publicKey: KeyObject;
}

/** key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4]. */
function cosignerKeyId(name: string, raw: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([COSIGNATURE_V1]))
    .update(raw)
    .digest()
    .subarray(0, 4);
}

/** The cosigner's verifier key `name+hex(key ID)+base64(0x04 || public key)`. */
export function cosignerKey(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey);
  return `${name}+${cosignerKeyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE_V1]), raw]).toString('base64')}`;
}

/** Parses a cosigner verifier key, checking its type and key ID. */
export function parseCosignerKey(vkey: string): Cosigner {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  if (!m) throw new Error('witness key must be name+keyid+key');
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 33 || key[0] !== COSIGNATURE_V1) throw new Error('not an Ed25519 cosignature/v1 witness key (type 0x04)');
  const raw = key.subarray(1);
  const id = cosignerKeyId(name, raw);
  if (id.toString('hex') !== idHex) throw new Error('witness key ID does not match its key');
  return { name, id, publicKey: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }) };
}

/** What a cosignature signs: the header, the time line, then the checkpoint body. */
function message(body: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
}

/** The cosignature line (ending in a newline) of `signer` over checkpoint `body` at POSIX time `time`. */
export function cosign(body: string, signer: NoteSigner, time: number): string {
  if (!body.endsWith('\n')) throw new Error('checkpoint body must end with a newline');
  if (!Number.isSafeInteger(time) || time < 0 || time > MAX_TIME) throw new Error('cosignature time out of range');
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const sig = sign(null, message(body, time), signer.privateKey);
  const id = cosignerKeyId(signer.name, rawPublicKey(signer.publicKey));
  return `${DASH} ${signer.name} ${Buffer.concat([id, stamp, sig]).toString('base64')}\n`;
}

/** The body and the signature lines of a signed note. */
export function splitNote(note: string): { body: string; lines: string[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  return { body: note.slice(0, split + 1), lines: note.slice(split + 2, -1).split('\n') };
}

/**
 * The time of `cosigner`'s cosignature on the note, or null when it carries none. Throws when a line with the
 * cosigner's name and key ID does not verify (a forged or damaged cosignature).
 */
export function cosignatureTime(note: string, cosigner: Cosigner): number | null {
  const { body, lines } = splitNote(note);
  let found: number | null = null;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== cosigner.name) continue;
    const sig = Buffer.from(m[2] as string, 'base64');
    if (sig.length < 4 || !sig.subarray(0, 4).equals(cosigner.id)) continue;
    if (sig.length !== 4 + 8 + 64) throw new Error(`the cosignature of ${cosigner.name} is malformed`);
    const time = sig.readBigUInt64BE(4);
    if (time > BigInt(MAX_TIME)) throw new Error(`the cosignature of ${cosigner.name} has an impossible time`);
    if (!verify(null, message(body, Number(time)), cosigner.publicKey, sig.subarray(12)))
      throw new Error(`the cosignature of ${cosigner.name} does not verify`);
    found = Math.max(found ?? 0, Number(time));
  }
  return found;
}

/** The note with `lines` added to its signatures; a line from a key already there replaces that key's line. */
export function withSignatureLines(note: string, lines: readonly string[]): string {
  const { body, lines: old } = splitNote(note);
  const keyOf = (l: string): string => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(l);
    if (!m) throw new Error('malformed signature line');
    return `${m[1] as string} ${Buffer.from(m[2] as string, 'base64')
      .subarray(0, 4)
      .toString('hex')}`;
  };
  const added = new Set(lines.map(keyOf));
  const kept = old.filter((l) => !added.has(keyOf(l)));
  return `${body}\n${[...kept, ...lines].join('\n')}\n`;
}
