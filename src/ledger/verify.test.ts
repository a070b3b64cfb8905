import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { cosign, cosignerKey, parseCosignerKey } from './cosignature.ts';
import { encodeEntry, type LedgerEntry } from './entry.ts';
import { Ledger } from './log.ts';
import { leafHashOfText } from './merkle.ts';
import { verifyLedger, type VerifyReport } from './verify.ts';

const keys = generateKeyPairSync('ed25519');
const witnessKeys = generateKeyPairSync('ed25519');
const witness = { name: 'witness.test/w1', ...witnessKeys };
const witnessVkey = cosignerKey(witness.name, witnessKeys.publicKey);
/** Entries a second apart, so that a moved entry is also out of time order. */
const entry = (i: number, subject = `s${i}`): LedgerEntry => ({
  t: 'registry',
  at: new Date(Date.UTC(2026, 10, 28) + i * 1000).toISOString(),
  party: 'p_admin',
  action: 'test',
  subject,
});
const messages = (r: VerifyReport): string[] => r.problems.map((p) => p.message);

describe.each(BACKENDS)('tampering with the ledger on $name', ({ open }) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  /** A log of `n` entries with a checkpoint signed every `every` entries (and at n). */
  async function signed(n: number, every: number): Promise<Ledger> {
    store = await open();
    const ledger = await Ledger.load(store, keys);
    for (let i = 0; i < n; i += every) {
      await ledger.write((_t, log) => {
        for (let k = i; k < Math.min(n, i + every); k++) log.add(entry(k));
        return Promise.resolve();
      });
      await ledger.checkpoint();
    }
    return ledger;
  }

  /** Rewrites entry `idx` to `e` (written for `as`), with its hash recomputed, as a key holder covering tracks would. */
  async function rehash(idx: number, e: LedgerEntry, as = idx): Promise<void> {
    const leaf = encodeEntry(as, e);
    await sql`update ledger set leaf = ${leaf}, hash = ${leafHashOfText(leaf).toString('hex')} where idx = ${idx}`.execute(store.db);
  }

  it('accepts an honest log whose entries are not quite in time order (writers stamp them before queuing)', async () => {
    store = await open();
    const ledger = await Ledger.load(store, keys);
    await ledger.write((_t, log) => {
      for (const i of [0, 2, 1, 3]) log.add(entry(i));
      return Promise.resolve();
    });
    await ledger.checkpoint();
    expect((await verifyLedger(store, ledger.verifierKey())).ok).toBe(true);
  });

  it('accepts an untouched log, and fails one with entries and no checkpoint', async () => {
    const ledger = await signed(12, 4);
    expect(await verifyLedger(store, ledger.verifierKey())).toMatchObject({ ok: true, size: 12, checkpoints: 3, unsigned: 0 });
    await sql`delete from checkpoints`.execute(store.db);
    const r = await verifyLedger(store, ledger.verifierKey());
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      {
        kind: 'unsigned',
        message: 'the log has 12 entries and no signed checkpoint: nothing binds its history (were the checkpoints deleted?)',
      },
    ]);
  });

  it('names an edited entry', async () => {
    const ledger = await signed(12, 4);
    await sql`update ledger set leaf = replace(leaf, 's5', 's9') where idx = 5`.execute(store.db);
    const r = await verifyLedger(store, ledger.verifierKey());
    expect(messages(r)).toContain('entry 5 does not match its recorded hash (edited)');
    expect(r.problems.find((p) => p.kind === 'root_mismatch')?.message).toMatch(/an entry in 4\.\.7 was changed/);
  });

  it('brackets a rehashed entry between checkpoints, and names it when checkpoints are one entry apart', async () => {
    let ledger = await signed(12, 4);
    await rehash(5, entry(5, 'forged'));
    let r = await verifyLedger(store, ledger.verifierKey());
    expect(r.problems.map((p) => p.kind)).toEqual(['root_mismatch']);
    expect(messages(r)[0]).toBe(
      'the first 8 entries no longer give the root of the checkpoint signed at size 8: an entry in 4..7 was changed (edited and rehashed, replaced, removed or reordered); the first 4 still give the root of the checkpoint signed at size 4 (2 signed sizes no longer match)',
    );
    await store.close();
    ledger = await signed(12, 1);
    await rehash(5, entry(5, 'forged'));
    r = await verifyLedger(store, ledger.verifierKey());
    expect(r.problems.find((p) => p.kind === 'root_mismatch')?.message).toMatch(/: entry 5 was changed/);
    expect(r.problems.find((p) => p.kind === 'root_mismatch')?.index).toBe(5);
  });

  it('names a deleted entry', async () => {
    const ledger = await signed(12, 4);
    await sql`delete from ledger where idx = 7`.execute(store.db);
    const r = await verifyLedger(store, ledger.verifierKey());
    expect(messages(r)).toContain('entry 7 is missing (deleted or renumbered)');
    expect(r.problems.find((p) => p.kind === 'missing')?.index).toBe(7);
  });

  it('names renumbered entries: swapped rows, and swapped leaves rewritten for their new places and rehashed', async () => {
    const ledger = await signed(12, 4);
    await sql`update ledger set idx = -1 where idx = 2`.execute(store.db);
    await sql`update ledger set idx = 2 where idx = 3`.execute(store.db);
    await sql`update ledger set idx = 3 where idx = -1`.execute(store.db);
    let r = await verifyLedger(store, ledger.verifierKey());
    expect(messages(r)).toEqual(
      expect.arrayContaining([
        'entry stored at 2 was written as entry 3 (renumbered or moved)',
        'entry stored at 3 was written as entry 2 (renumbered or moved)',
      ]),
    );
    // Put them back, then swap the contents with the indexes inside the leaves rewritten and the hashes recomputed.
    await sql`update ledger set idx = -1 where idx = 2`.execute(store.db);
    await sql`update ledger set idx = 2 where idx = 3`.execute(store.db);
    await sql`update ledger set idx = 3 where idx = -1`.execute(store.db);
    expect((await verifyLedger(store, ledger.verifierKey())).ok).toBe(true);
    await rehash(2, entry(3), 2);
    await rehash(3, entry(2), 3);
    r = await verifyLedger(store, ledger.verifierKey());
    expect(r.problems.map((p) => p.index)).toEqual([0]);
    expect(messages(r)[0]).toMatch(/an entry in 0\.\.3 was changed .*; dated before the entry stored ahead of it: entry 3$/);
  });

  it('names a truncated tail, from a stored checkpoint or from one the auditor kept', async () => {
    const ledger = await signed(12, 4);
    const kept = await ledger.checkpoint();
    await sql`delete from ledger where idx >= 9`.execute(store.db);
    let r = await verifyLedger(store, ledger.verifierKey());
    expect(messages(r)).toEqual(['the checkpoint signed at size 12 covers 12 entries but only 9 remain: entries 9..11 were deleted']);
    // The checkpoints covering the tail deleted too: the store alone no longer shows it; the auditor's copy does.
    await sql`delete from checkpoints where size > 9`.execute(store.db);
    expect((await verifyLedger(store, ledger.verifierKey())).problems.map((p) => p.kind)).toEqual([]);
    r = await verifyLedger(store, ledger.verifierKey(), { trusted: [{ name: 'saved.txt', note: kept }] });
    expect(messages(r)).toEqual([
      'your trusted checkpoint saved.txt (size 12) covers 12 entries but only 9 remain: entries 9..11 were deleted',
      'your trusted checkpoint saved.txt (size 12) is not a prefix of this log (the log has only 9 entries): its history was rewritten',
    ]);
  });

  it('catches checkpoints deleted, an entry rehashed and the log re-signed, through a saved checkpoint or a witness', async () => {
    const ledger = await signed(12, 4);
    const kept = await ledger.checkpoint();
    // A witness cosigned the checkpoint at 12; the log stored its cosignature.
    const line = cosign(kept.slice(0, kept.indexOf('\n\n') + 1), witness, 1_800_000_000);
    expect(await ledger.attachCosignatures(parseCosignerKey(witnessVkey), line)).toBe(12);
    expect(await verifyLedger(store, ledger.verifierKey(), { witnesses: [witnessVkey] })).toMatchObject({
      ok: true,
      witnesses: [{ key: witnessVkey, size: 12 }],
    });
    // The key holder deletes every checkpoint, rewrites entry 5, and signs again.
    await sql`delete from checkpoints`.execute(store.db);
    await rehash(5, entry(5, 'forged'));
    const again = await Ledger.load(store, keys);
    await again.checkpoint();
    expect((await verifyLedger(store, again.verifierKey())).ok).toBe(true);
    const r = await verifyLedger(store, again.verifierKey(), { trusted: [{ name: 'saved.txt', note: kept }] });
    expect(messages(r)).toEqual([
      'the first 12 entries no longer give the root of your trusted checkpoint saved.txt (size 12): an entry in 0..11 was changed (edited and rehashed, replaced, removed or reordered)',
      'your trusted checkpoint saved.txt (size 12) is not a prefix of this log: its history was rewritten and re-signed with the log key',
    ]);
    const w = await verifyLedger(store, again.verifierKey(), { witnesses: [witnessVkey] });
    expect(messages(w)).toEqual([expect.stringMatching(/^no stored checkpoint carries a valid cosignature of witness witness\.test\/w1/)]);
    // Moving the old cosignature onto the new checkpoint does not help: it signs the old root.
    await sql`update checkpoints set note = ${(await again.checkpoint()) + line}`.execute(store.db);
    expect(messages(await verifyLedger(store, again.verifierKey(), { witnesses: [witnessVkey] }))[0]).toBe(
      'checkpoint at size 12: the cosignature of witness.test/w1 does not verify',
    );
  });

  it('refuses a trusted file that is not a checkpoint of this log', async () => {
    const ledger = await signed(4, 4);
    const other = generateKeyPairSync('ed25519');
    const elsewhere = await open();
    const foreign = await Ledger.load(elsewhere, other);
    await foreign.write((_t, log) => Promise.resolve(log.add(entry(0))));
    const note = await foreign.checkpoint();
    await elsewhere.close();
    const r = await verifyLedger(store, ledger.verifierKey(), { trusted: [{ name: 'x.txt', note }] });
    expect(messages(r)).toEqual(['x.txt: not a checkpoint of this log (no signature from the trusted key)']);
  });
});
