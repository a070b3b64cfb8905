/**
 * The consumer page's own check of "who has seen my order", with WebCrypto only (SHA-256, Ed25519) so that
 * it runs in the browser as it runs in Node: the checkpoint's C2SP signed note against a trusted verifier
 * key, each row's RFC 9162 inclusion proof against the checkpoint's root, and each leaf against what the row
 * says (index, kind, fields, time, reason), so that a row cannot describe one thing and prove another.
 */
import { ticketCovers, withinTicketLimits, type DecryptLeafFields, type TicketLeafFields } from '../custody/ticket-cover.ts';
import { decryptForms, viewForms } from './forms.ts';
import { MAX_CHAIN, type AccessRow, type KeyHandover, type OrderAccess, type TicketEntry } from './rows.ts';

/** Why a check failed, as a code the page words in the reader's language. */
export type Failure =
  | 'bad_key'
  | 'bad_note'
  | 'bad_signature'
  | 'not_signed_by_key'
  | 'bad_checkpoint'
  | 'bad_leaf'
  | 'other_index'
  | 'other_order'
  | 'other_time'
  | 'other_kind'
  | 'other_fields'
  | 'other_reason'
  | 'bad_ticket'
  | 'bad_proof';

/** A check that failed, and why. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(readonly code: Failure) {
    super(code);
  }
}

/** Why the order's chain of records could not be followed from its latest record back to its first. */
export type ChainFailure = 'chain_gap' | 'chain_fork' | 'chain_other_order' | 'chain_bad_link' | 'chain_hidden_row';

/**
 * What the page can say of the order's chain: every record from the first chained one to the latest
 * (`records`, with their `entries`; `complete` false when the chain is longer than an answer carries and only
 * the latest MAX_CHAIN were followed), and the rows from before records were chained (`unchained`), or why not.
 */
export type ChainReport =
  | { ok: true; records: number; entries: number[]; latestAt: string | null; unchained: number; complete: boolean }
  | { ok: false; why: ChainFailure };

/** The outcome for the checkpoint and for each row (by ledger index): true, or why not. */
export interface ProofReport {
  checkpoint: true | Failure;
  rows: Map<number, true | Failure>;
  /** The chain, checked once the checkpoint verified. */
  chain?: ChainReport;
  /** The verified checkpoint's size and root (base64), for the device to compare with the last it saw. */
  tree?: { size: number; root: string };
  /**
   * Verified decrypt rows whose ticket the page cannot vouch for: on a chain followed only in part, a ticket
   * opened before the part followed may have earlier uses the answer left out, so its limits cannot be applied.
   */
  unvouched?: Set<number>;
  /** The order's ledger reference, when at least one row verified (every verified row names it). */
  order?: string;
}

const te = new TextEncoder();

function fromB64(s: string): Uint8Array | null {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A checkpoint whose signature verified: its origin, size and root. */
export interface OpenedCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

/** Opens a C2SP checkpoint note with the verifier key `name+keyid+base64(0x01||key)`; throws a `CheckFailure` saying why not. */
export async function openCheckpoint(note: string, vkey: string): Promise<OpenedCheckpoint> {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  const key = m ? fromB64(m[3] as string) : null;
  if (!m || !key || key.length !== 33 || key[0] !== 1) throw new CheckFailure('bad_key');
  const name = m[1] as string;
  const raw = key.subarray(1);
  const id = (await sha256(te.encode(`${name}\n`), new Uint8Array([1]), raw)).subarray(0, 4);
  if ([...id].map((b) => b.toString(16).padStart(2, '0')).join('') !== m[2]) throw new CheckFailure('bad_key');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new CheckFailure('bad_note');
  const text = note.slice(0, split + 1);
  const publicKey = await crypto.subtle.importKey('raw', concat(raw), { name: 'Ed25519' }, false, ['verify']);
  let verified = false;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const l = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    const sig = l ? fromB64(l[2] as string) : null;
    if (!l || !sig) throw new CheckFailure('bad_note');
    if (l[1] !== name || sig.length !== 68 || !equal(sig.subarray(0, 4), id)) continue;
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, concat(sig.subarray(4)), te.encode(text))))
      throw new CheckFailure('bad_signature');
    verified = true;
  }
  if (!verified) throw new CheckFailure('not_signed_by_key');
  const [origin, size, root] = text.split('\n');
  const hash = root === undefined ? null : fromB64(root);
  if (origin !== name || !size || !/^(0|[1-9][0-9]*)$/.test(size) || !hash || hash.length !== 32) throw new CheckFailure('bad_checkpoint');
  return { origin, size: Number(size), root: hash };
}

/** The root an RFC 9162 inclusion proof leads to (§2.1.3.2), or null when it cannot be valid. */
export async function rootFromInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0 || p.length !== 32) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else r = await sha256(new Uint8Array([1]), r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** A proof's base64 hashes as bytes, or null when any of them is not base64. */
function proofBytes(b64: readonly string[]): Uint8Array[] | null {
  // The answer is not trusted to have the declared shape: anything but an array of strings is no proof.
  if (!Array.isArray(b64) || !b64.every((p) => typeof p === 'string')) return null;
  const out = b64.map(fromB64).filter((p): p is Uint8Array => p !== null);
  return out.length === b64.length ? out : null;
}

/** Whether the leaf bytes sit at `index` of the opened checkpoint's tree, by the base64 inclusion proof. */
async function included(index: number, cp: OpenedCheckpoint, leaf: Uint8Array, b64Proof: readonly string[]): Promise<boolean> {
  const proof = proofBytes(b64Proof);
  const root = proof ? await rootFromInclusion(index, cp.size, await sha256(new Uint8Array([0]), leaf), proof) : null;
  return root !== null && equal(root, cp.root);
}

/**
 * Whether `proof` shows the tree of size `first` with `firstRoot` is a prefix of the tree of size `second` with
 * `secondRoot` (RFC 9162 §2.1.4.2), so that the log only grew between two answers the device verified.
 */
export async function consistent(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || second < first) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (proof.some((p) => p.length !== 32) || firstRoot.length !== 32 || secondRoot.length !== 32) return false;
  // When the first tree is a power of two, its root is the first node of the path.
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const head = path[0];
  if (head === undefined) return false;
  let fr = head;
  let sr = head;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await sha256(new Uint8Array([1]), c, fr);
      sr = await sha256(new Uint8Array([1]), c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = await sha256(new Uint8Array([1]), sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

/**
 * Whether this answer's verified tree follows from the one the device saw before: the same tree, or a larger
 * one with a consistency proof from it. A smaller tree, another root at the same size, or a missing or wrong
 * proof means an old or rewritten answer.
 */
export async function followsFrom(
  seen: { size: number; root: string },
  data: OrderAccess,
  now: { size: number; root: string },
): Promise<boolean> {
  if (now.size < seen.size) return false;
  if (now.size === seen.size) return now.root === seen.root;
  const c = data.consistency;
  const from = fromB64(seen.root);
  const to = fromB64(now.root);
  if (!c || c.from !== seen.size || !from || !to) return false;
  const proof = proofBytes(c.proof);
  return proof !== null && consistent(seen.size, now.size, from, to, proof);
}

const sameFields = (a: AccessRow['fields'], b: AccessRow['fields']): boolean =>
  a.length === b.length &&
  a.every((f, i) => {
    const g = b[i];
    return g !== undefined && f.field === g.field && f.form === g.form;
  });

/** A leaf's bytes as text, or null when they are not UTF-8 text of a JSON object. */
function leafText(bytes: Uint8Array | null): string | null {
  if (!bytes) return null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? text : null;
  } catch {
    return null;
  }
}

/** Why the leaf does not say what the row says (or null when it does); `order` is the reference all rows share. */
export function leafMismatch(row: AccessRow, leafText: string, order: string | null): Failure | null {
  let e: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(leafText);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'bad_leaf';
    e = v as Record<string, unknown>;
  } catch {
    return 'bad_leaf';
  }
  const fields = Array.isArray(e.fields) ? e.fields.map(String) : [];
  if (e.i !== row.entry) return 'other_index';
  if (order !== null && e.order !== order) return 'other_order';
  if (e.at !== row.at) return 'other_time';
  if (row.action === 'view') {
    if (e.t !== 'release' || !('role' in row.why) || 'decrypt' in row.why) return 'other_kind';
    if (!sameFields(viewForms(fields), row.fields)) return 'other_fields';
  } else {
    if (e.t !== 'decrypt' || !('decrypt' in row.why) || 'role' in row.why) return 'other_kind';
    if (!sameFields(decryptForms(fields), row.fields)) return 'other_fields';
    if (e.reason !== row.why.decrypt) return 'other_reason';
    const t = row.why.ticket_entry;
    if (row.why.ticket !== (t !== undefined)) return 'bad_ticket';
    if (t !== undefined && !coveredBy(t, e)) return 'bad_ticket';
  }
  return null;
}

/** Whether a row's ticket leaf says what the row says of it and covers the decrypt leaf (its inclusion is checked apart). */
function coveredBy(t: TicketEntry, decrypt: Record<string, unknown>): boolean {
  const text = leafText(fromB64(t.leaf));
  if (text === null) return false;
  const e = JSON.parse(text) as Record<string, unknown>;
  if (e.i !== t.entry || e.at !== t.opened_at || typeof e.order !== 'string') return false;
  if (
    typeof decrypt.i !== 'number' ||
    typeof decrypt.at !== 'string' ||
    typeof decrypt.order !== 'string' ||
    typeof decrypt.party !== 'string'
  )
    return false;
  if (decrypt.tk !== t.entry || (e.agent !== undefined && typeof e.agent !== 'string')) return false;
  return ticketCovers(e as unknown as TicketLeafFields, decrypt as unknown as DecryptLeafFields);
}

/** One well-formed leaf's row: what the leaf says, its inclusion, and its ticket's. */
async function rowVerdict(
  r: AccessRow,
  text: string,
  bytes: Uint8Array,
  order: string | null,
  cp: OpenedCheckpoint,
): Promise<true | Failure> {
  const mismatch = leafMismatch(r, text, order);
  if (mismatch) return mismatch;
  if (!(await included(r.entry, cp, bytes, r.proof))) return 'bad_proof';
  const t = 'decrypt' in r.why ? r.why.ticket_entry : undefined;
  const leaf = t === undefined ? null : fromB64(t.leaf);
  return t === undefined || (leaf !== null && (await included(t.entry, cp, leaf, t.proof))) ? true : 'bad_ticket';
}

/**
 * Whether an answer has the shape the page reads before checking anything: the header's texts, the lists and
 * the key and checkpoint as strings. The page shows nothing of an answer that does not (a number where the
 * order number should be would otherwise render alike and break what the device remembers).
 */
export function wellFormed(data: unknown): data is OrderAccess {
  const d = record(data);
  const o = record(d?.order);
  const c = record(d?.chain);
  return (
    d !== null &&
    o !== null &&
    ['platform', 'platform_order_id', 'ordered_at', 'item'].every((k) => typeof o[k] === 'string') &&
    Array.isArray(d.rows) &&
    d.rows.every(rowShaped) &&
    c !== null &&
    Array.isArray(c.links) &&
    typeof d.checkpoint === 'string' &&
    typeof d.verifier_key === 'string' &&
    Array.isArray(d.handovers) &&
    d.handovers.every((h) =>
      shaped(h, (x) => typeof x.entry === 'number' && strings(x, 'leaf', 'checkpoint', 'vkey') && Array.isArray(x.proof)),
    )
  );
}

/** `v` as an object's fields, or null when it is not a (non-list) object. */
const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

const strings = (x: Record<string, unknown>, ...keys: string[]): boolean => keys.every((k) => typeof x[k] === 'string');

/** Whether `v` is an object whose fields pass `test`. */
const shaped = (v: unknown, test: (x: Record<string, unknown>) => boolean): boolean => {
  const x = record(v);
  return x !== null && test(x);
};

/**
 * Whether a row has the shape the page renders: its reason carries exactly the keys of its action (a view's
 * role; a decrypt's reason, whether it was ticketed, and the ticket's entry when it was), so that a row can
 * neither render as another kind nor hide what its action's check reads.
 */
function rowShaped(v: unknown): boolean {
  const r = record(v);
  const party = record(r?.party);
  const why = record(r?.why);
  if (r === null || party === null || why === null || !strings(party, 'name', 'kind') || !strings(r, 'at', 'leaf')) return false;
  if (typeof r.entry !== 'number' || typeof r.flagged !== 'boolean' || !Array.isArray(r.proof)) return false;
  if (!Array.isArray(r.fields) || !r.fields.every((f) => shaped(f, (x) => strings(x, 'field', 'form')))) return false;
  const keys = Object.keys(why).sort().join(',');
  if (r.action === 'view') return keys === 'role' && typeof why.role === 'string';
  if (r.action !== 'decrypt' || typeof why.decrypt !== 'string' || typeof why.ticket !== 'boolean') return false;
  if (why.ticket_entry === undefined) return keys === 'decrypt,ticket';
  const t = record(why.ticket_entry);
  return (
    keys === 'decrypt,ticket,ticket_entry' &&
    t !== null &&
    typeof t.entry === 'number' &&
    strings(t, 'leaf', 'opened_at') &&
    Array.isArray(t.proof)
  );
}

/** Checks the checkpoint against `trustedKey` and every row against it; a row fails alone, the checkpoint fails them all. */
export async function checkOrderAccess(data: OrderAccess, trustedKey: string): Promise<ProofReport> {
  try {
    return await checkAccess(data, trustedKey);
  } catch {
    // An answer not of the declared shape at all (rows not a list, say) fails as a whole, with no chain.
    return { checkpoint: 'bad_checkpoint', rows: new Map() };
  }
}

/** The check `checkOrderAccess` describes; it may throw on a malformed answer. */
async function checkAccess(data: OrderAccess, trustedKey: string): Promise<ProofReport> {
  const rows = new Map<number, true | Failure>();
  let cp: OpenedCheckpoint;
  try {
    cp = await openCheckpoint(data.checkpoint, trustedKey);
  } catch (e) {
    // WebCrypto refuses a malformed key or signature with its own errors: those fail the signature too.
    const why = e instanceof CheckFailure ? e.code : 'bad_signature';
    for (const r of data.rows) rows.set(r.entry, why);
    return { checkpoint: why, rows };
  }
  const refs = new Map<string, number>();
  const texts = data.rows.map((r) => {
    const bytes = fromB64(r.leaf);
    const text = leafText(bytes);
    const order = text === null ? undefined : (JSON.parse(text) as { order?: unknown }).order;
    if (typeof order === 'string') refs.set(order, (refs.get(order) ?? 0) + 1);
    return { bytes, text };
  });
  // Every row must be about the same order: the one most rows name.
  const order = [...refs.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  // A verdict is kept per ledger index, so two rows at one index would share one: both fail instead.
  const seen = new Map<number, number>();
  for (const r of data.rows) seen.set(r.entry, (seen.get(r.entry) ?? 0) + 1);
  for (const [i, r] of data.rows.entries()) {
    if ((seen.get(r.entry) ?? 0) > 1) {
      rows.set(r.entry, 'other_index');
      continue;
    }
    const { bytes, text } = texts[i] as { bytes: Uint8Array | null; text: string | null };
    if (!bytes || text === null) {
      rows.set(r.entry, 'bad_leaf');
      continue;
    }
    try {
      rows.set(r.entry, await rowVerdict(r, text, bytes, order, cp));
    } catch {
      // A row not of the declared shape (fields, proof or reason of another type) fails alone.
      rows.set(r.entry, 'bad_leaf');
    }
  }
  // A ticket covers its first agent's first TICKET_DECRYPTS decrypts: every decrypt of the order is a row.
  const uses = data.rows.flatMap((r, i) => {
    const { text } = texts[i] as { text: string | null };
    const e = rows.get(r.entry) === true && text !== null ? (JSON.parse(text) as Record<string, unknown>) : null;
    return e && e.t === 'decrypt' && typeof e.tk === 'number' && typeof e.party === 'string'
      ? [{ i: r.entry, tk: e.tk, party: e.party }]
      : [];
  });
  const within = withinTicketLimits(uses);
  for (const r of data.rows)
    if (rows.get(r.entry) === true && 'decrypt' in r.why && r.why.ticket && !within.has(r.entry)) rows.set(r.entry, 'bad_ticket');
  const chain = await checkChain(data, cp, order, rows);
  const unvouched = new Set<number>();
  if (chain.ok && !chain.complete) {
    const first = Math.min(...chain.entries);
    for (const r of data.rows) {
      const t = 'decrypt' in r.why ? r.why.ticket_entry : undefined;
      if (rows.get(r.entry) === true && t !== undefined && t.entry < first) unvouched.add(r.entry);
    }
  }
  const tree = { size: cp.size, root: btoa(String.fromCharCode(...cp.root)) };
  const verified = order !== null && [...rows.values()].includes(true);
  return { checkpoint: true, rows, chain, tree, unvouched, ...(verified ? { order } : {}) };
}

/** A leaf's fields, or null when its bytes are not a JSON object. */
function leafFields(b64: string): { bytes: Uint8Array; e: Record<string, unknown> } | null {
  const bytes = fromB64(b64);
  const text = leafText(bytes);
  return bytes && text !== null ? { bytes, e: JSON.parse(text) as Record<string, unknown> } : null;
}

/**
 * Follows the order's chain from its latest record back to its first, through the verified rows and the links
 * (each proven in the same checkpoint): every record on the way must be there and be this order's, and every
 * chained row and every link must lie on the way. A link must be a repeated view: a release by a party whose
 * first view is an earlier row, so a decrypt or a party's only view cannot be passed off as one. A row written
 * before records were chained has no `prev` and must come before the first chained one.
 */
async function checkChain(
  data: OrderAccess,
  cp: OpenedCheckpoint,
  order: string | null,
  rows: Map<number, true | Failure>,
): Promise<ChainReport> {
  try {
    return await followChain(data, cp, order, rows);
  } catch {
    // A malformed answer (a link or head of the wrong type) fails the chain rather than the page.
    return { ok: false, why: 'chain_bad_link' };
  }
}

/** The walk `checkChain` describes; it may throw on a malformed answer. */
async function followChain(
  data: OrderAccess,
  cp: OpenedCheckpoint,
  order: string | null,
  rows: Map<number, true | Failure>,
): Promise<ChainReport> {
  const fail = (why: ChainFailure): ChainReport => ({ ok: false, why });
  const records = new Map<number, Record<string, unknown>>();
  /** Each party's first view among the rows, by the party its leaf names. */
  const firstView = new Map<string, number>();
  for (const r of data.rows) {
    const f = rows.get(r.entry) === true ? leafFields(r.leaf) : null;
    if (!f) continue;
    records.set(r.entry, f.e);
    const party = f.e.party;
    if (f.e.t === 'release' && typeof party === 'string' && r.entry < (firstView.get(party) ?? Infinity)) firstView.set(party, r.entry);
  }
  const links = new Set<number>();
  for (const l of data.chain.links) {
    const f = leafFields(l.leaf);
    if (!f || f.e.i !== l.entry || links.has(l.entry) || records.has(l.entry) || !(await included(l.entry, cp, f.bytes, l.proof)))
      return fail('chain_bad_link');
    const party = f.e.party;
    if (f.e.t !== 'release' || typeof party !== 'string' || !((firstView.get(party) ?? Infinity) < l.entry))
      return fail('chain_hidden_row');
    links.add(l.entry);
    records.set(l.entry, f.e);
  }
  const visited: number[] = [];
  let latestAt: string | null = null;
  let complete = true;
  for (let at = data.chain.head; at !== null;) {
    const e = records.get(at);
    if (e === undefined) {
      // Only a chain of more records than an answer carries may stop short, and only past MAX_CHAIN of them.
      if (data.chain.truncated && visited.length >= MAX_CHAIN) {
        complete = false;
        break;
      }
      return fail('chain_gap');
    }
    if ((e.t !== 'release' && e.t !== 'decrypt') || (order !== null && e.order !== order)) return fail('chain_other_order');
    const prev = e.prev;
    if (prev !== null && (typeof prev !== 'number' || !Number.isSafeInteger(prev) || prev < 0 || prev >= at)) return fail('chain_bad_link');
    latestAt ??= typeof e.at === 'string' ? e.at : null;
    visited.push(at);
    at = prev;
  }
  const first = visited[visited.length - 1];
  const on = new Set(visited);
  // When only the latest records were followed, older ones are not judged.
  const judged = (entry: number): boolean => complete || first === undefined || entry >= first;
  for (const l of links) if (judged(l) && !on.has(l)) return fail('chain_fork');
  let unchained = 0;
  for (const r of data.rows) {
    const e = records.get(r.entry);
    if (e === undefined || !judged(r.entry)) continue;
    if ('prev' in e) {
      if (!on.has(r.entry)) return fail('chain_fork');
    } else if (first !== undefined && r.entry > first) return fail('chain_fork');
    else unchained++;
  }
  return { ok: true, records: visited.length, entries: visited, latestAt, unchained, complete };
}

/** Whether `h` hands the log over from `from`: a checkpoint both keys signed, including the entry that names the new key. */
async function handsOver(from: string, h: KeyHandover): Promise<boolean> {
  try {
    const cp = await openCheckpoint(h.checkpoint, from);
    await openCheckpoint(h.checkpoint, h.vkey);
    const bytes = fromB64(h.leaf);
    const text = leafText(bytes);
    if (!bytes || text === null) return false;
    const e = JSON.parse(text) as Record<string, unknown>;
    if (e.i !== h.entry || e.t !== 'key_rotation' || e.purpose !== 'ledger' || e.vkey !== h.vkey) return false;
    return await included(h.entry, cp, bytes, h.proof);
  } catch {
    return false;
  }
}

/**
 * The key `trusted` leads to through the log's handovers, oldest first: each one the key in hand signed is
 * followed, the rest are skipped (they hand over between keys this device never held).
 */
export async function followHandovers(trusted: string, handovers: readonly KeyHandover[]): Promise<string> {
  let key = trusted;
  for (const h of handovers) if (h.vkey !== key && (await handsOver(key, h))) key = h.vkey;
  return key;
}
