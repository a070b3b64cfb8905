import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEntry, LedgerDamaged, leafHash, ledgerRowTag, verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { custodyOn, ledgerRowKey, releaseView, type Custody } from './index.ts';
import { buildWorld } from './test-world.ts';

/** Appends, as someone with the database but not the keys would, a well-formed entry with its right hash and no tag at `idx` (default: the next). */
async function appendUntagged(c: Custody, party: string, idx = c.ledger.size): Promise<number> {
  const leaf = encodeEntry(idx, { t: 'canary_hit', at: new Date().toISOString(), party, canary: 3 });
  await c.store.db
    .insertInto('ledger')
    .values({ idx, leaf, hash: leafHash(Buffer.from(leaf, 'utf8')).toString('hex'), party, tag: null })
    .execute();
  return idx;
}

describe.each(BACKENDS)('ledger rows the service did not write, on $name', ({ open }) => {
  it('a row written into the ledger table directly is not adopted, not signed, and is named by verify', async () => {
    const w = await buildWorld(await open(), 2);
    const { c } = w;
    try {
      await releaseView(c, w.courier, w.orderIds[0] as string);
      await c.ledger.checkpoint();
      const idx = await appendUntagged(c, w.platform.id);
      await expect(c.ledger.refresh()).rejects.toBeInstanceOf(LedgerDamaged);
      expect(c.ledger.size).toBe(idx);
      expect(c.ledger.damage).toMatch(/entry \d+ carries no row tag: it was written into the ledger table directly/);
      await expect(releaseView(c, w.station, w.orderIds[0] as string)).rejects.toBeInstanceOf(LedgerDamaged);
      const report = await verifyLedger(c.store, c.ledger.firstVerifierKey(), { rowKey: ledgerRowKey(c.keyring) });
      expect(report.problems.filter((p) => p.kind === 'foreign').map((p) => p.index)).toEqual([idx]);
      // A made-up tag fares no better, and a process loading the store refuses it from the start.
      await c.store.db
        .updateTable('ledger')
        .set({ tag: 'ab'.repeat(16) })
        .where('idx', '=', idx)
        .execute();
      const again = await custodyOn(c.store, w.master);
      expect(again.ledger.damage).toMatch(/carries a row tag that does not verify/);
    } finally {
      await c.close();
    }
  });

  it('rows from before tags are accepted only ahead of every tagged row, and the anchor keeps where tags began', async () => {
    const w = await buildWorld(await open(), 2);
    const { c } = w;
    const anchor = join(mkdtempSync(join(tmpdir(), 'gk-anchor-')), 'anchor.json');
    try {
      // A store from before tags: its rows carry none, and a process taking it up tags from there on.
      await c.store.db.updateTable('ledger').set({ tag: null }).execute();
      const upgraded = await custodyOn(c.store, w.master, undefined, 0, () => [], anchor);
      expect(upgraded.ledger.damage).toBeNull();
      await releaseView(upgraded, w.courier, w.orderIds[0] as string);
      await upgraded.ledger.checkpoint();
      // Stripping the tags again to pass a new row off as an old one: the anchor says where tags began.
      await appendUntagged(c, w.platform.id, upgraded.ledger.size);
      await c.store.db.updateTable('ledger').set({ tag: null }).execute();
      expect((await custodyOn(c.store, w.master, undefined, 0, () => [], anchor)).ledger.damage).toMatch(/carries no row tag/);
      // Without the anchor, the log's own entry says where tags began: stripping every tag does not move it.
      const bare = await custodyOn(c.store, w.master);
      expect(bare.ledger.damage).toMatch(/carries no row tag/);
      const report = await verifyLedger(c.store, c.ledger.firstVerifierKey(), { rowKey: ledgerRowKey(c.keyring) });
      expect(report.problems.find((p) => p.kind === 'foreign')?.message).toMatch(
        /carries no row tag though entry \d+ says tags began at entry \d+/,
      );
      // And an untagged row after a tagged one is a sign of its own.
      const first = await c.store.db.selectFrom('ledger').select('hash').where('idx', '=', 0).executeTakeFirstOrThrow();
      await c.store.db
        .updateTable('ledger')
        .set({ tag: ledgerRowTag(ledgerRowKey(c.keyring), 0, first.hash) })
        .where('idx', '=', 0)
        .execute();
      const after = await verifyLedger(c.store, c.ledger.firstVerifierKey(), { rowKey: ledgerRowKey(c.keyring) });
      expect(after.problems.some((p) => p.message.includes('follows tagged entries'))).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('a fresh store records where tags began before its first checkpoint; stripping every tag and appending a row is refused', async () => {
    const w = await buildWorld(await open(), 2);
    const { c } = w;
    try {
      await releaseView(c, w.courier, w.orderIds[0] as string);
      await c.ledger.checkpoint();
      const entry = await c.store.db.selectFrom('ledger').select(['idx', 'leaf']).where('leaf', 'like', '%"t":"row_tags"%').execute();
      expect(entry.map((e) => JSON.parse(e.leaf) as { from: number })).toMatchObject([{ t: 'row_tags', from: 0 }]);
      // Someone with the database and no keys strips every tag and appends a hit, as if the log were from before tags.
      await c.store.db.updateTable('ledger').set({ tag: null }).execute();
      const idx = await appendUntagged(c, w.platform.id);
      const again = await custodyOn(c.store, w.master);
      expect(again.ledger.damage).toMatch(/carries no row tag/);
      await expect(again.ledger.checkpoint()).rejects.toBeInstanceOf(LedgerDamaged);
      const report = await verifyLedger(c.store, c.ledger.firstVerifierKey(), { rowKey: ledgerRowKey(c.keyring) });
      expect(report.problems.filter((p) => p.kind === 'foreign').map((p) => p.index)).toContain(idx);
      // Editing the entry itself to move where tags began changes a signed leaf.
      const [e] = entry;
      if (!e) throw new Error('the row_tags entry');
      await c.store.db
        .updateTable('ledger')
        .set({ leaf: e.leaf.replace('"from":0', `"from":${String(idx + 1)}`) })
        .where('idx', '=', e.idx)
        .execute();
      expect((await custodyOn(c.store, w.master)).ledger.damage).toMatch(/records where row tags began, was edited/);
    } finally {
      await c.close();
    }
  });

  it('a rewritten row_tags entry, a rehashed signed entry and a row outside the log are each refused', async () => {
    const w = await buildWorld(await open(), 2);
    const { c } = w;
    try {
      await releaseView(c, w.courier, w.orderIds[0] as string);
      await c.ledger.checkpoint();
      const rehash = async (idx: number, edit: (leaf: string) => string): Promise<void> => {
        const row = await c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', idx).executeTakeFirstOrThrow();
        const leaf = edit(row.leaf);
        const hash = leafHash(Buffer.from(leaf, 'utf8')).toString('hex');
        await c.store.db
          .updateTable('ledger')
          .set({ leaf, hash, tag: ledgerRowTag(ledgerRowKey(c.keyring), idx, hash) })
          .where('idx', '=', idx)
          .execute();
      };
      // A signed entry rewritten and rehashed (by someone holding the key, so its tag verifies): the signer stops.
      await rehash(1, (l) => l.replace('"at":"', '"at":"0'));
      expect((await custodyOn(c.store, w.master)).ledger.damage).toMatch(/no longer give the root of the checkpoint signed/);
      await c.store.db.deleteFrom('checkpoints').execute();
      // With the checkpoints gone too, moving where tags began past the entry itself is still refused.
      const entry = await c.store.db.selectFrom('ledger').select('idx').where('leaf', 'like', '%"t":"row_tags"%').executeTakeFirstOrThrow();
      await rehash(entry.idx, (l) => l.replace('"from":0', '"from":99'));
      expect((await custodyOn(c.store, w.master)).ledger.damage).toMatch(/records where row tags began, was edited/);
      // A decoy at a negative index stops nothing and is named.
      const decoy = encodeEntry(-1, { t: 'row_tags', at: new Date().toISOString(), party: 'ledger', from: 0 });
      await c.store.db
        .insertInto('ledger')
        .values({ idx: -1, leaf: decoy, hash: leafHash(Buffer.from(decoy, 'utf8')).toString('hex'), party: 'ledger', tag: null })
        .execute();
      const again = await custodyOn(c.store, w.master);
      expect(again.ledger.damage).toMatch(/was edited/);
      const report = await verifyLedger(c.store, c.ledger.firstVerifierKey(), { rowKey: ledgerRowKey(c.keyring) });
      expect(report.problems.map((p) => p.index)).toEqual(expect.arrayContaining([-1, entry.idx]));
    } finally {
      await c.close();
    }
  });
});
