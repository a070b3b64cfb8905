import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../shared/test-until.ts';
import type { Store } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { at } from '../shared/at.ts';
import { decodeEntry, encodeEntry, type LedgerEntry } from './entry.ts';
import { Ledger } from './log.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import { verifyLedger } from './verify.ts';

const keys = generateKeyPairSync('ed25519');
const entry = (i: number): LedgerEntry => ({
  t: 'registry',
  at: '2026-11-28T00:00:00.000Z',
  party: 'p_admin',
  action: 'test',
  subject: `s${i}`,
});

describe.each(BACKENDS)('ledger on $name', ({ open }) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  async function filled(n: number): Promise<Ledger> {
    store = await open();
    const ledger = await Ledger.load(store, keys);
    await ledger.write((_trx, log) => {
      for (let i = 0; i < n; i++) log.add(entry(i));
      return Promise.resolve();
    });
    return ledger;
  }

  it('says when a log with signed checkpoints has no anchor to hold it to, and not when it has one', async () => {
    const ledger = await filled(3);
    await ledger.checkpoint();
    expect((await Ledger.load(store, keys)).unanchored).toMatch(/no anchor file/);
    const file = join(mkdtempSync(join(tmpdir(), 'gk-anchor-')), 'ledger.anchor');
    const anchored = await Ledger.load(store, keys, undefined, undefined, file);
    expect(anchored.unanchored).toMatch(/no anchor at .*ledger\.anchor/);
    await anchored.write((_trx, log) => {
      log.add(entry(9));
      return Promise.resolve();
    });
    await anchored.checkpoint();
    expect((await Ledger.load(store, keys, undefined, undefined, file)).unanchored).toBeNull();
  });

  it('says when no write is running or waiting', async () => {
    const ledger = await filled(1);
    expect(ledger.idle).toBe(true);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = ledger.write(async (_t, log) => {
      log.add(entry(1));
      await gate;
    });
    const second = ledger.write((_t, log) => Promise.resolve(log.add(entry(2))));
    expect(ledger.idle).toBe(false);
    let idle = false;
    const whenIdle = ledger.whenIdle().then(() => (idle = true));
    release();
    await first;
    expect(idle).toBe(false);
    await second;
    await whenIdle;
    expect(ledger.idle).toBe(true);
    expect(ledger.size).toBe(3);
  });

  it('appends, checkpoints, proves inclusion and consistency, and reloads the same tree', async () => {
    const ledger = await filled(10);
    const cp1 = ledger.openCheckpoint(await ledger.checkpoint());
    expect(cp1.size).toBe(10);
    await ledger.write((_t, log) => Promise.resolve(log.add(entry(10))));
    const inc = await ledger.inclusion(3);
    const cp2 = ledger.openCheckpoint(inc.checkpoint);
    expect(cp2.size).toBe(11);
    const leaf = Buffer.from(inc.leaf, 'base64');
    expect(decodeEntry(leaf.toString('utf8')).i).toBe(3);
    expect(
      verifyInclusion(
        3,
        11,
        leafHash(leaf),
        inc.proof.map((p) => Buffer.from(p, 'base64')),
        cp2.root,
      ),
    ).toBe(true);
    const con = await ledger.consistency(10);
    expect(
      verifyConsistency(
        10,
        11,
        cp1.root,
        cp2.root,
        con.proof.map((p) => Buffer.from(p, 'base64')),
      ),
    ).toBe(true);
    const again = await Ledger.load(store, keys);
    expect(again.tree.root().equals(ledger.tree.root())).toBe(true);
    expect((await verifyLedger(store, ledger.verifierKey())).ok).toBe(true);
  });

  it('rolls back entries of a failed transaction and keeps indexes dense', async () => {
    const ledger = await filled(3);
    await expect(
      ledger.write((_t, log) => {
        log.add(entry(99));
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(ledger.size).toBe(3);
    expect(await ledger.write((_t, log) => Promise.resolve(log.add(entry(3))))).toBe(3);
    await ledger.checkpoint();
    expect((await verifyLedger(store, ledger.verifierKey())).ok).toBe(true);
  });

  it('queues entries encoded ahead only at the index they were encoded for', async () => {
    const ledger = await filled(2);
    await ledger.write((_t, log) => {
      const ahead = [log.encode(log.next, encodeEntry(2, entry(2)), 'p_admin'), log.encode(3, encodeEntry(3, entry(3)), 'p_admin')];
      expect(() => log.encode(4, encodeEntry(3, entry(3)), 'p_admin')).toThrow('not encoded for index 4');
      expect(() => log.addEncoded({ ...at(ahead, 0), hash: Buffer.alloc(32) })).toThrow('only as this transaction encoded them');
      expect(() => log.addEncoded(at(ahead, 1))).toThrow('encoded for index 3, queued at 2');
      expect(log.addEncoded(at(ahead, 0))).toBe(2);
      expect(log.add(entry(3))).toBe(3);
      return Promise.resolve();
    });
    const leaves = await store.db.selectFrom('ledger').select(['idx', 'leaf']).orderBy('idx').execute();
    expect(leaves.map((r) => decodeEntry(r.leaf))).toMatchObject([0, 1, 2, 3].map((i) => ({ i, subject: `s${i}` })));
    await ledger.checkpoint();
    expect((await verifyLedger(store, ledger.verifierKey())).ok).toBe(true);
  });

  it('sees entries another process appended (a CLI beside the server) before signing or appending', async () => {
    const server = await filled(2);
    const cli = await Ledger.load(store, keys);
    await cli.write((_t, log) => Promise.resolve(log.add(entry(2))));
    expect(server.openCheckpoint(await server.checkpoint()).size).toBe(3);
    expect(await server.write((_t, log) => Promise.resolve(log.add(entry(3))))).toBe(3);
    expect((await verifyLedger(store, server.verifierKey())).ok).toBe(true);
  });

  it('catches up with more entries than one read brings, inside a transaction and on load', async () => {
    const server = await filled(1);
    const cli = await Ledger.load(store, keys);
    // One read brings 50,000 entries at most.
    await cli.write((_t, log) => {
      for (let i = 1; i <= 50_001; i++) log.add(entry(i));
      return Promise.resolve();
    });
    expect(await server.write((_t, log) => Promise.resolve(log.add(entry(0))))).toBe(50_002);
    const note = await server.checkpoint();
    expect(server.openCheckpoint(note).size).toBe(50_003);
    // A process loading the log now reads it in two parts and proves an entry of each against that checkpoint.
    const fresh = await Ledger.load(store, keys);
    for (const index of [7, 50_002]) {
      const p = await fresh.inclusion(index);
      const proof = p.proof.map((x) => Buffer.from(x, 'base64'));
      expect(verifyInclusion(index, 50_003, leafHash(Buffer.from(p.leaf, 'base64')), proof, server.openCheckpoint(note).root)).toBe(true);
    }
    expect(await verifyLedger(store, server.verifierKey())).toMatchObject({ ok: true, checkpoints: 1 });
  });

  it('names an edited, a deleted and a reordered entry', async () => {
    const ledger = await filled(20);
    await ledger.checkpoint();
    const vkey = ledger.verifierKey();

    await sql`update ledger set leaf = replace(leaf, 's5', 's6') where idx = 5`.execute(store.db);
    let r = await verifyLedger(store, vkey);
    expect(r.problems.find((p) => p.kind === 'edited')?.index).toBe(5);

    await sql`update ledger set leaf = replace(leaf, 's6', 's5') where idx = 5`.execute(store.db);
    expect((await verifyLedger(store, vkey)).ok).toBe(true);

    await sql`delete from ledger where idx = 7`.execute(store.db);
    r = await verifyLedger(store, vkey);
    expect(r.problems.find((p) => p.kind === 'missing')?.index).toBe(7);
    expect(r.problems.some((p) => p.kind === 'root_mismatch' || p.kind === 'truncated')).toBe(true);

    // Swap two entries' rows (leaf and hash together), as someone reordering history would.
    await sql`update ledger set idx = -1 where idx = 2`.execute(store.db);
    await sql`update ledger set idx = 2 where idx = 3`.execute(store.db);
    await sql`update ledger set idx = 3 where idx = -1`.execute(store.db);
    r = await verifyLedger(store, vkey);
    expect(r.problems.filter((p) => p.kind === 'reordered').map((p) => p.index)).toEqual([2, 3]);
  });

  it('never pairs a consistency proof with a checkpoint of another size, even when a write lands meanwhile', async () => {
    const ledger = await filled(5);
    const cp5 = ledger.openCheckpoint(await ledger.checkpoint());
    // A write started some turns after the proof was asked for lands at every point of making it.
    for (let turns = 0; turns < 40; turns++) {
      const asked = ledger.consistency(5);
      for (let t = 0; t < turns; t++) await Promise.resolve();
      const [con] = await Promise.all([asked, ledger.write((_t, log) => Promise.resolve(log.add(entry(100 + turns))))]);
      const cp = ledger.openCheckpoint(con.checkpoint);
      expect(con.second).toBe(cp.size);
      const proof = con.proof.map((p) => Buffer.from(p, 'base64'));
      expect(verifyConsistency(5, cp.size, cp5.root, cp.root, proof)).toBe(true);
    }
    await expect(ledger.consistency(1, 46)).rejects.toThrow('second must be within 0..45');
  });

  it('opens a log with a deleted entry, names the entry, and refuses to extend or sign it', async () => {
    await filled(6);
    await sql`delete from ledger where idx = 3`.execute(store.db);
    const broken = await Ledger.load(store, keys);
    expect(broken.damage).toMatch(/^ledger entry 3 is missing \(the store goes from entry 2 to entry 4\).*restore entry 3 from a backup/);
    await expect(broken.write((_t, log) => Promise.resolve(log.add(entry(9))))).rejects.toThrow('ledger entry 3 is missing');
    await expect(broken.checkpoint()).rejects.toThrow('ledger entry 3 is missing');
  });

  it('refuses to sign a tree shorter than a checkpoint already signed (a truncated tail)', async () => {
    const ledger = await filled(6);
    await ledger.checkpoint();
    await sql`delete from ledger where idx >= 4`.execute(store.db);
    const cut = await Ledger.load(store, keys);
    expect(cut.damage).toMatch(/latest checkpoint signed 6 ledger entries but only 4 are stored: entries 4\.\.5 were deleted/);
    await expect(cut.checkpoint()).rejects.toThrow('entries 4..5 were deleted');
  });

  it('signs checkpoints on a schedule: every N entries, and every T when the log grew', async () => {
    const ledger = await filled(1);
    const errors: unknown[] = [];
    const stop = ledger.scheduleCheckpoints({ entries: 10, ms: 60_000 }, (e) => errors.push(e));
    const sizes = async (): Promise<number[]> =>
      (await store.db.selectFrom('checkpoints').select('size').orderBy('size').execute()).map((r) => r.size);
    await ledger.write((_t, log) => {
      for (let i = 0; i < 12; i++) log.add(entry(i));
      return Promise.resolve();
    });
    await until(async () => (await sizes()).length > 0);
    expect(await sizes()).toEqual([13]);
    await ledger.write((_t, log) => Promise.resolve(log.add(entry(13))));
    await new Promise((r) => setTimeout(r, 50));
    expect(await sizes()).toEqual([13]);
    stop();
    // A timer signs what fewer entries than N left unsigned, including entries another process wrote.
    const cli = await Ledger.load(store, keys);
    await cli.write((_t, log) => Promise.resolve(log.add(entry(14))));
    const timed = ledger.scheduleCheckpoints({ entries: 1000, ms: 30 }, (e) => errors.push(e));
    await until(async () => (await sizes()).includes(15));
    timed();
    expect(await sizes()).toEqual([13, 15]);
    expect(errors).toEqual([]);
  });
});
