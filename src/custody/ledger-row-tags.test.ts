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
      // Without the anchor, an untagged row after a tagged one is the sign.
      const first = await c.store.db.selectFrom('ledger').select('hash').where('idx', '=', 0).executeTakeFirstOrThrow();
      await c.store.db
        .updateTable('ledger')
        .set({ tag: ledgerRowTag(ledgerRowKey(c.keyring), 0, first.hash) })
        .where('idx', '=', 0)
        .execute();
      expect((await custodyOn(c.store, w.master)).ledger.damage).toMatch(/carries no row tag but follows tagged entries/);
    } finally {
      await c.close();
    }
  });
});
