/**
 * The k-anonymity scheme for "did the platform really contact me?", in Web Crypto so the server, the CLI and
 * the browser share one implementation.
 *
 * A contact is filed under a slow hash h of (consumer phone, number used), salted per deployment. The consumer
 * computes h locally and sends only its first `bits` bits, the bucket; the server returns every entry of that
 * bucket in the time window, each as a tag (bits 32 to 127 of h) and a payload sealed under a key derived
 * from h. The server sizes `bits` to its contact volume so that every bucket holds at least K_ANONYMITY
 * distinct (consumer, number) pairs (contacts.ts, `lookupParams`); docs/verify-privacy.md says what it learns.
 */

/** Bits of h the store keeps for bucketing (an integer column both stores hold exactly). */
export const PREFIX_BITS = 30;
/** The most bits a client ever reveals, whatever a server asks: 2^24 buckets suit a billion contacts. */
export const MAX_BUCKET_BITS = 24;
/** PBKDF2 rounds: a few milliseconds per contact when recording, and per guess for anyone guessing. */
export const LOOKUP_ITERATIONS = 20_000;

/** What a client needs to look up: the deployment's salt (hex) and how many bits of its hash to send. */
export interface LookupParams {
  salt: string;
  bits: number;
}

/** The whole-hash facts a lookup needs: the stored prefix, the tag it looks for, and the key that opens payloads. */
export interface LookupKey {
  /** The first PREFIX_BITS bits of h, as an unsigned integer. */
  prefix: number;
  tag: string;
  key: CryptoKey;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array<ArrayBuffer> => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** Derives the lookup key from both numbers, each already in canonical form (E.164 or service digits), under the deployment's salt. */
export async function lookupKey(consumerPhone: string, numberUsed: string, salt: string): Promise<LookupKey> {
  const material = new TextEncoder().encode(`gatekeeper/contact/v2|${consumerPhone}|${numberUsed}`);
  const base = await subtle().importKey('raw', material, 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromHex(salt), iterations: LOOKUP_ITERATIONS },
    base,
    256,
  );
  const h = hex(bits);
  const ikm = await subtle().importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  const key = await subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('payload') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { prefix: parseInt(h.slice(0, 8), 16) >>> (32 - PREFIX_BITS), tag: h.slice(8, 32), key };
}

/** The bucket a key falls in when buckets are `bits` bits wide (0 bits: one bucket, nothing revealed). */
export function bucketOf(k: Pick<LookupKey, 'prefix'>, bits: number): number {
  return bits === 0 ? 0 : k.prefix >>> (PREFIX_BITS - bits);
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
  const aad = new TextEncoder().encode(`${String(k.prefix)}|${k.tag}`);
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
    const aad = new TextEncoder().encode(`${String(k.prefix)}|${k.tag}`);
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

/** One lookup as the client sends it: the bucket, its width, and the window. */
export interface BucketRequest {
  bits: number;
  bucket: number;
  from: string;
  to: string;
}

/**
 * The consumer's side of a lookup, for numbers already in canonical form: hash locally under the deployment's
 * salt, fetch the bucket (the only thing sent), keep the entries whose tag matches and that open. A server
 * asking for more than MAX_BUCKET_BITS bits is refused before anything is sent.
 */
export async function openBucket(
  consumerPhone: string,
  caller: string,
  window: { from: string; to: string },
  params: LookupParams,
  fetchBucket: (q: BucketRequest) => Promise<BucketEntry[]>,
): Promise<ContactPayload[]> {
  if (!Number.isInteger(params.bits) || params.bits < 0 || params.bits > MAX_BUCKET_BITS || !/^(?:[0-9a-f]{2}){16,64}$/.test(params.salt))
    throw new Error('the server asked for a lookup this client does not make');
  const k = await lookupKey(consumerPhone, caller, params.salt);
  const out: ContactPayload[] = [];
  for (const e of await fetchBucket({ bits: params.bits, bucket: bucketOf(k, params.bits), ...window })) {
    if (e.tag !== k.tag) continue;
    const p = await openPayload<ContactPayload>(k, e.payload);
    if (p) out.push(p);
  }
  return out;
}
