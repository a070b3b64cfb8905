/**
 * The k-anonymity scheme for "did the platform really contact me?", in Web Crypto so the server, the CLI and
 * the browser share one implementation.
 *
 * A contact is filed under a slow hash of (consumer phone, number used). The consumer computes that hash
 * locally and sends only its first BUCKET_HEX hex digits; the server returns every entry of that bucket in
 * the time window, each as a tag (more digits of the hash) and a payload sealed under a key derived from the
 * whole hash. The server never sees the consumer's phone at lookup, and an entry means nothing to anyone who
 * does not know both numbers. The slow hash makes trying every phone against a scraped bucket expensive.
 */

/** Hex digits of the hash the client reveals: 2^20 buckets. */
export const BUCKET_HEX = 5;
/** Hex digits that identify an entry inside a bucket (the rest of the first 16 bytes). */
const TAG_END = 32;
/** PBKDF2 rounds: a few milliseconds per contact when recording, and per guess for anyone guessing. */
export const LOOKUP_ITERATIONS = 20_000;
const SALT = new TextEncoder().encode('gatekeeper contact lookup v1');

/** The bucket a lookup asks for, the tag it looks for, and the key that opens matching payloads. */
export interface LookupKey {
  bucket: string;
  tag: string;
  key: CryptoKey;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Derives the lookup key from both numbers, each already in canonical form (E.164 or service digits). */
export async function lookupKey(consumerPhone: string, numberUsed: string): Promise<LookupKey> {
  const material = new TextEncoder().encode(`gatekeeper/contact/v1|${consumerPhone}|${numberUsed}`);
  const base = await subtle().importKey('raw', material, 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: SALT, iterations: LOOKUP_ITERATIONS }, base, 256);
  const h = hex(bits);
  const ikm = await subtle().importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  const key = await subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('payload') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { bucket: h.slice(0, BUCKET_HEX), tag: h.slice(BUCKET_HEX, TAG_END), key };
}

const toB64 = (u: Uint8Array): string => {
  let s = '';
  for (const b of u) s += String.fromCharCode(b);
  return btoa(s);
};
const fromB64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Seals a contact's details for whoever knows both numbers; base64(iv || ciphertext+tag). */
export async function sealPayload(k: LookupKey, payload: unknown): Promise<string> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const aad = new TextEncoder().encode(`${k.bucket}${k.tag}`);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad }, k.key, new TextEncoder().encode(JSON.stringify(payload)));
  const out = new Uint8Array(12 + ct.byteLength);
  out.set(iv);
  out.set(new Uint8Array(ct), 12);
  return toB64(out);
}

/** Opens a payload sealed by `sealPayload`, or returns undefined when it is not for this key. */
export async function openPayload<T>(k: LookupKey, sealed: string): Promise<T | undefined> {
  try {
    const raw = fromB64(sealed);
    const aad = new TextEncoder().encode(`${k.bucket}${k.tag}`);
    const pt = await subtle().decrypt({ name: 'AES-GCM', iv: raw.subarray(0, 12), additionalData: aad }, k.key, raw.subarray(12));
    return JSON.parse(new TextDecoder().decode(pt)) as T;
  } catch {
    return undefined;
  }
}

/** What a contact payload tells the consumer. */
export interface ContactPayload {
  platform: string;
  at: string;
  channel: string;
  number: string;
  reason: string;
  /** The last four characters of the platform's order number, as the consumer sees it in the app. */
  orderTail: string | null;
  /** The agent's public display name or job number. */
  agent: string;
}

/** One entry of a bucket as the server returns it: opaque without both numbers. */
export interface BucketEntry {
  tag: string;
  payload: string;
}

/**
 * The consumer's side of a lookup, for numbers already in canonical form: hash locally, fetch the bucket
 * (the only thing sent), keep the entries whose tag matches and that open.
 */
export async function openBucket(
  consumerPhone: string,
  caller: string,
  window: { from: string; to: string },
  fetchBucket: (q: { bucket: string; from: string; to: string }) => Promise<BucketEntry[]>,
): Promise<ContactPayload[]> {
  const k = await lookupKey(consumerPhone, caller);
  const out: ContactPayload[] = [];
  for (const e of await fetchBucket({ bucket: k.bucket, ...window })) {
    if (e.tag !== k.tag) continue;
    const p = await openPayload<ContactPayload>(k, e.payload);
    if (p) out.push(p);
  }
  return out;
}
