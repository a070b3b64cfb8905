/**
 * Recomputes the whole ledger from its stored leaves and checks every hash, index and checkpoint, the
 * checkpoints an auditor saved earlier, the cosignatures of required witnesses, and every release row
 * against the leaf it cites.
 */
import type { Store } from '../store/index.ts';
import { at } from '../shared/at.ts';
import { parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { cosignatureTime, parseCosignerKey } from './cosignature.ts';
import { decodeEntry, type LedgerEntry } from './entry.ts';
import { InvestigationCheck } from './investigations.ts';
import { ChainCheck } from './order-chain-check.ts';
import { OutcomeCheck } from './outcome-rows.ts';
import { PartyCheck } from './party-rows.ts';
import { leafHash } from './merkle.ts';
import { ledgerRowTag, rowTagsEntry, tagsBeganAt } from './log.ts';
import { openNote, parseVerifierKey, type Verifier } from './note.ts';
import { checkCanaryRows } from './canary-rows.ts';
import type { LedgerProblem } from './problem.ts';
import { checkReleaseRows, type ReleaseKeys } from './release-rows.ts';
import { MerkleTree } from './tree.ts';

/** What `ledger verify` found. */
export interface VerifyReport {
  ok: boolean;
  size: number;
  root: string;
  checkpoints: number;
  /** Entries after the latest stored checkpoint (not yet signed). */
  unsigned: number;
  /** Per required witness: the largest checkpoint size it cosigned, or null. */
  witnesses: { key: string; size: number | null }[];
  /** Release rows checked against their leaves. */
  releases: number;
  /** Investigation entries (each spent one share of the false-accusation budget). */
  investigations: number;
  problems: LedgerProblem[];
}

/** What else to hold the ledger to. */
export interface VerifyOptions {
  /** Signed checkpoint notes the auditor saved earlier: the log must still extend each one. */
  trusted?: readonly { name: string; note: string }[];
  /** Witness (cosigner) verifier keys: each must have cosigned a stored checkpoint that the log still extends. */
  witnesses?: readonly string[];
  /** Keys to check every release row against its leaf (the row's party, order, alias, virtual number, key version) and canary rows against theirs. */
  releases?: ReleaseKeys;
  /** The key ledger rows are tagged under: every row from the first tagged one on must carry a valid tag. */
  rowKey?: Buffer;
  onProgress?: (done: number) => void;
}

const MAX_PROBLEMS = 100;

/** A signed size and root the leaves must still give, and who vouches for it. */
interface Anchor {
  size: number;
  root: Buffer;
  by: string;
  /** Outside the store (an auditor's file, a witness): whoever holds the database and the key cannot re-sign it. */
  outside: boolean;
}

/**
 * Streams every leaf, recomputes every hash and root, and checks every checkpoint against `vkey` (the log's
 * first signing key), following each logged rotation of the signing key from its cosigned handover checkpoint.
 */
export async function verifyLedger(store: Store, vkey: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const verifier = parseVerifierKey(vkey);
  const witnesses = (opts.witnesses ?? []).map((k) => ({ key: k.trim(), cosigner: parseCosignerKey(k) }));
  const problems: LedgerProblem[] = [];
  const report = (p: LedgerProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const tree = new MerkleTree();
  /** Ledger signing-key rotations, in order: where each was logged and the verifier key it hands over to. */
  const handovers: { index: number; vkey: string }[] = [];
  const CHUNK = 20_000;
  let lastIdx = -1;
  let lastAt = '';
  /** Entries dated before the entry stored ahead of them: a hint where a changed range lies, never a finding alone. */
  const early: number[] = [];
  let releases = 0;
  /** (party, order) pairs whose first release entry was seen: each must have its release row. */
  const pairs = new Set<string>();
  const investigations = new InvestigationCheck(report);
  const parties = new PartyCheck(report);
  const outcomes = new OutcomeCheck(report);
  const chains = new ChainCheck(report);
  /** The first row seen with a tag: rows written before tags come first, none after. */
  let firstTagged: number | null = null;
  // Where the log itself says tags began (its `row_tags` entry, checked like every entry below): from there on
  // every row carries one, even if every tag was stripped.
  const tagsEntry = opts.rowKey ? await rowTagsEntry(store.db) : undefined;
  const tagsFrom = tagsEntry ? tagsBeganAt(tagsEntry.leaf) : undefined;
  if (tagsEntry && tagsFrom === undefined)
    report({
      kind: 'edited',
      index: tagsEntry.idx,
      message: `entry ${tagsEntry.idx} is not a valid record of where row tags began (edited)`,
    });
  // Rows at negative indexes are outside the log the loop below reads: none is the service's.
  const outside = await store.db.selectFrom('ledger').select('idx').where('idx', '<', 0).orderBy('idx').limit(MAX_PROBLEMS).execute();
  for (const r of outside)
    report({
      kind: 'foreign',
      index: r.idx,
      message: `a row at index ${r.idx}, outside the log, was written into the ledger table directly`,
    });
  for (;;) {
    const rows = await store.db.selectFrom('ledger').selectAll().where('idx', '>', lastIdx).orderBy('idx').limit(CHUNK).execute();
    const entries = new Map<number, LedgerEntry>();
    for (const r of rows) {
      if (r.idx !== lastIdx + 1)
        report({
          kind: 'missing',
          index: lastIdx + 1,
          message:
            r.idx - lastIdx > 2
              ? `entries ${lastIdx + 1}..${r.idx - 1} are missing (deleted or renumbered)`
              : `entry ${lastIdx + 1} is missing (deleted or renumbered)`,
        });
      const bytes = Buffer.from(r.leaf, 'utf8');
      const h = leafHash(bytes);
      if (opts.rowKey) {
        if (r.tag !== null) firstTagged ??= r.idx;
        const untagged =
          firstTagged !== null
            ? 'carries no row tag but follows tagged entries'
            : `carries no row tag though entry ${String(tagsEntry?.idx)} says tags began at entry ${String(tagsFrom)}`;
        if (
          r.tag === null
            ? firstTagged !== null || (tagsFrom !== undefined && r.idx >= tagsFrom)
            : r.tag !== ledgerRowTag(opts.rowKey, r.idx, r.hash)
        )
          report({
            kind: 'foreign',
            index: r.idx,
            message: `entry ${r.idx} ${r.tag === null ? untagged : 'carries a row tag that does not verify'}: it was written into the ledger table directly, not by the service`,
          });
      }
      let own: number | null = null;
      try {
        const e = decodeEntry(r.leaf);
        own = e.i;
        entries.set(r.idx, e);
        investigations.see(r.idx, e);
        parties.see(r.idx, e);
        outcomes.see(r.idx, e);
        chains.see(r.idx, e);
        if (e.t === 'key_rotation' && e.purpose === 'ledger' && e.vkey) handovers.push({ index: r.idx, vkey: e.vkey });
        if (e.party !== r.party)
          report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} is filed under another party than its leaf names` });
        // Writers stamp entries just before they queue them, so an honest log is only nearly in time order.
        if (typeof e.at === 'string' && e.at < lastAt && early.length < MAX_PROBLEMS) early.push(r.idx);
        if (typeof e.at === 'string') lastAt = e.at;
      } catch {
        report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} is not a well-formed entry` });
      }
      if (own !== null && own !== r.idx)
        report({ kind: 'reordered', index: r.idx, message: `entry stored at ${r.idx} was written as entry ${own} (renumbered or moved)` });
      if (h.toString('hex') !== r.hash)
        report({ kind: 'edited', index: r.idx, message: `entry ${r.idx} does not match its recorded hash (edited)` });
      tree.append(h);
      lastIdx = r.idx;
    }
    if (opts.releases && rows.length > 0)
      releases += await checkReleaseRows(store, opts.releases, (rows[0] as { idx: number }).idx, lastIdx, entries, report, pairs);
    opts.onProgress?.(tree.size);
    if (rows.length < CHUNK) break;
  }
  if (opts.releases) releases += await checkReleaseRows(store, opts.releases, lastIdx + 1, Number.MAX_SAFE_INTEGER, new Map(), report);
  if (opts.releases) await checkCanaryRows(store, opts.releases, report);
  await investigations.finish(store);
  await parties.finish(store);
  await outcomes.finish(store);
  const keys = opts.releases;
  await chains.finish(store, keys ? (id) => keys.orderRef(id) : undefined);

  // The signing keys in force, in order: the first, then each one a rotation entry hands over to.
  const logKeys: Verifier[] = [verifier, ...handovers.map((h) => parseVerifierKey(h.vkey))];
  const anchors: Anchor[] = [];
  const cps = await store.db.selectFrom('checkpoints').select(['size', 'note']).orderBy('size').execute();
  const cosigned = new Map<string, number>();
  // The key in force: the one the caller trusts, then each key a rotation entry names, from the first
  // checkpoint after that entry, which must carry the signatures of both the old and the new key.
  let trusted = verifier;
  let next = 0;
  for (const cp of cps) {
    let parsed: Checkpoint;
    try {
      let text = openNote(cp.note, trusted);
      for (let h = handovers[next]; h && h.index < cp.size; h = handovers[++next]) {
        trusted = parseVerifierKey(h.vkey);
        text = openNote(cp.note, trusted);
      }
      parsed = parseCheckpoint(text);
    } catch (e) {
      report({ kind: 'bad_checkpoint', message: `checkpoint at size ${cp.size}: ${(e as Error).message}` });
      continue;
    }
    if (parsed.size !== cp.size || parsed.origin !== verifier.name) {
      report({ kind: 'bad_checkpoint', message: `checkpoint stored at size ${cp.size} says size ${parsed.size}, origin ${parsed.origin}` });
      continue;
    }
    anchors.push({ size: parsed.size, root: parsed.root, by: `the checkpoint signed at size ${parsed.size}`, outside: false });
    for (const w of witnesses) {
      let time: number | null;
      try {
        time = cosignatureTime(cp.note, w.cosigner);
      } catch (e) {
        report({ kind: 'witness', message: `checkpoint at size ${cp.size}: ${(e as Error).message}` });
        continue;
      }
      if (time === null) continue;
      cosigned.set(w.key, Math.max(cosigned.get(w.key) ?? 0, parsed.size));
      anchors.push({
        size: parsed.size,
        root: parsed.root,
        by: `the checkpoint at size ${parsed.size} cosigned by witness ${w.cosigner.name}`,
        outside: true,
      });
    }
  }
  for (const t of opts.trusted ?? []) {
    const parsed = openTrusted(t.note, logKeys, verifier.name);
    if (typeof parsed === 'string') report({ kind: 'rewritten', message: `${t.name}: ${parsed}` });
    else
      anchors.push({ size: parsed.size, root: parsed.root, by: `your trusted checkpoint ${t.name} (size ${parsed.size})`, outside: true });
  }
  checkAnchors(tree, anchors, lastIdx + 1 > tree.size, early, report);

  const latest = cps.length > 0 ? (cps[cps.length - 1] as { size: number }).size : 0;
  if (tree.size > 0 && cps.length === 0)
    report({
      kind: 'unsigned',
      message: `the log has ${tree.size} entries and no signed checkpoint: nothing binds its history (were the checkpoints deleted?)`,
    });
  for (const w of witnesses)
    if (!cosigned.has(w.key))
      report({
        kind: 'witness',
        message: `no stored checkpoint carries a valid cosignature of witness ${w.cosigner.name}: it never cosigned this log, or its cosigned checkpoints were deleted (ask the witness for its last cosigned checkpoint and pass it with --trusted)`,
      });
  return {
    ok: problems.length === 0,
    size: tree.size,
    root: tree.root().toString('hex'),
    checkpoints: cps.length,
    unsigned: Math.max(0, tree.size - latest),
    witnesses: witnesses.map((w) => ({ key: w.key, size: cosigned.get(w.key) ?? null })),
    releases,
    investigations: investigations.count,
    problems,
  };
}

/** A checkpoint note an auditor kept, opened with any signing key the log has had; a string says why not. */
function openTrusted(note: string, keys: readonly Verifier[], origin: string): Checkpoint | string {
  let why = 'it carries no signature of this log';
  for (const k of keys) {
    try {
      const cp = parseCheckpoint(openNote(note, k));
      if (cp.origin !== origin) return `it is a checkpoint of ${cp.origin}, not of ${origin}`;
      return cp;
    } catch (e) {
      why = (e as Error).message;
    }
  }
  return `not a checkpoint of this log (${why})`;
}

/**
 * Holds the recomputed tree to every signed size. A change to entry k breaks every anchor above k and none
 * at or below it, so the anchors that still hold and the first that breaks bracket the first changed entry.
 */
function checkAnchors(
  tree: MerkleTree,
  anchors: Anchor[],
  gaps: boolean,
  early: readonly number[],
  report: (p: LedgerProblem) => void,
): void {
  anchors.sort((a, b) => a.size - b.size);
  const holds = (a: Anchor): boolean => a.size <= tree.size && tree.root(a.size).equals(a.root);
  const broken = anchors.filter((a) => !holds(a));
  if (broken.length === 0) return;
  const truncated = broken.filter((a) => a.size > tree.size);
  const changed = broken.filter((a) => a.size <= tree.size);
  const latest = (list: Anchor[]): Anchor => at(list, list.length - 1, 'anchor');
  if (truncated.length > 0) {
    const top = latest(truncated);
    const lost = top.size - tree.size;
    // Without gaps the missing entries are the tail; with gaps, some of them are the gaps already named.
    const which = gaps
      ? `${lost} entr${lost > 1 ? 'ies were' : 'y was'} deleted`
      : lost > 1
        ? `entries ${tree.size}..${top.size - 1} were deleted`
        : `entry ${tree.size} was deleted`;
    report({
      kind: 'truncated',
      message: `${top.by} covers ${top.size} entries but only ${tree.size} remain: ${which}${
        truncated.length > 1 ? ` (${truncated.length} signed sizes above ${tree.size})` : ''
      }`,
    });
  }
  if (changed.length > 0) {
    const first = at(changed, 0, 'changed anchor');
    const below = anchors.filter((a) => a.size < first.size && holds(a));
    const from = below.length > 0 ? latest(below).size : 0;
    const where =
      first.size - from === 1
        ? `entry ${from} was changed (edited and rehashed, replaced or reordered)`
        : `an entry in ${from}..${first.size - 1} was changed (edited and rehashed, replaced, removed or reordered)`;
    // Within the range, an entry dated before the one stored ahead of it is where a move most likely landed.
    const moved = early.filter((i) => i >= from && i < first.size).slice(0, 5);
    report({
      kind: 'root_mismatch',
      index: from,
      message: `the first ${first.size} entries no longer give the root of ${first.by}: ${where}${
        below.length > 0 ? `; the first ${from} still give the root of ${latest(below).by}` : ''
      }${changed.length > 1 ? ` (${changed.length} signed sizes no longer match)` : ''}${
        moved.length > 0 ? `; dated before the entry stored ahead of it: ${moved.map((i) => `entry ${i}`).join(', ')}` : ''
      }`,
    });
  }
  // An anchor from outside that the store's own checkpoints no longer match: the key holder re-signed a rewritten history.
  for (const a of broken.filter((x) => x.outside)) {
    const stored = anchors.find((x) => !x.outside && x.size === a.size);
    report({
      kind: 'rewritten',
      message: `${a.by} is not a prefix of this log${
        a.size > tree.size ? ` (the log has only ${tree.size} entries)` : ''
      }: its history was rewritten${stored && holds(stored) ? ' and re-signed with the log key' : ''}`,
    });
  }
}
