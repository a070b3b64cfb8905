import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseMany } from '../custody/index.ts';
import { buildWorld } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { investigateDump } from './investigate.ts';
import { investigateReport } from './report.ts';

describe.each(BACKENDS)('trace reads only what the ledger proves, on $name', ({ open }) => {
  it('an alias planted in the unsigned pre-scheme table accuses nobody', async () => {
    const w = await buildWorld(await open(), 6);
    try {
      const { c } = w;
      const views = await releaseMany(
        c,
        w.courier,
        w.orderIds.filter((_, i) => i % 2 === 0),
      );
      // Whoever holds the database gives the courier's releases made-up aliases, recorded as pre-scheme ones.
      const rows = await c.store.db.selectFrom('releases').select(['ledger_idx']).where('party_id', '=', w.courier.id).execute();
      const forged = rows.map((r, i) => ({ alias: `25552004946067489${String(10 + i)}`, ledger_idx: r.ledger_idx }));
      for (const f of forged) {
        await c.store.db.updateTable('releases').set({ alias: f.alias }).where('ledger_idx', '=', f.ledger_idx).execute();
        await c.store.db.insertInto('release_aliases').values(f).execute();
      }
      const inv = await investigateDump(c, forged.map((f) => JSON.stringify({ order_no: f.alias })).join('\n'));
      expect(inv.accused).toEqual([]);
      // Nor do the rewritten rows hide the courier: the aliases it really received still name it.
      const real = await investigateDump(c, views.map((v) => JSON.stringify({ order_no: v.order_no })).join('\n'));
      expect(real.accused.map((a) => a.party)).toEqual([w.courier.id]);
    } finally {
      await w.c.close();
    }
  });

  it('a release row re-targeted to another party accuses nobody and is reported; the untouched leak still names its leaker', async () => {
    const w = await buildWorld(await open(), 6);
    try {
      const { c } = w;
      const ids = w.orderIds.filter((_, i) => i % 2 === 0);
      const views = await releaseMany(c, w.courier, ids);
      await releaseMany(c, w.staff, ids);
      const dump = views.map((v) => JSON.stringify({ order_no: v.order_no })).join('\n');
      const before = await investigateDump(c, dump);
      expect(before.accused.map((a) => a.party)).toEqual([w.courier.id]);
      expect(before.ledger.mismatches).toEqual([]);

      // Whoever holds the database moves the courier's releases onto the CS agent.
      await c.store.db.updateTable('releases').set({ party_id: w.cs.id }).where('party_id', '=', w.courier.id).execute();
      const after = await investigateDump(c, dump);
      expect(after.accused).toEqual([]);
      expect(after.ledger.mismatches.map((m) => [m.party, m.problem])).toEqual(ids.map(() => [w.cs.id, 'party differs from the ledger']));
      const report = await investigateReport(c, { order: ids[0] as string, aliasTail: (views[0]?.order_no ?? '').slice(-8) });
      expect(report.accused).toEqual([]);
      expect(report.mismatches.map((m) => m.party)).toEqual([w.cs.id]);

      // Rebinding the virtual number in the row is caught the same way.
      await c.store.db.updateTable('releases').set({ party_id: w.courier.id }).where('party_id', '=', w.cs.id).execute();
      await c.store.db
        .updateTable('releases')
        .set({ virtual_number: '17000000000' })
        .where('order_id', '=', ids[0] as string)
        .where('party_id', '=', w.courier.id)
        .execute();
      const moved = await investigateDump(c, dump);
      expect(moved.ledger.mismatches.map((m) => m.problem)).toContain('virtual number differs from the ledger');
      // The other releases still agree with their leaves and name the courier.
      expect(moved.accused.map((a) => [a.party, a.evidence.aliases])).toEqual([[w.courier.id, ids.length - 1]]);
    } finally {
      await w.c.close();
    }
  });
});

describe.each(BACKENDS)('virtual-number evidence opens its leaves, on $name', ({ open }) => {
  it('an accusation by virtual numbers gives openings an outsider checks against the leaves, and the leaves show no number', async () => {
    const w = await buildWorld(await open(), 24);
    try {
      const { c } = w;
      const ids = w.orderIds.filter((_, i) => i % 2 === 0);
      const views = await releaseMany(c, w.courier, ids);
      // The courier leaks names, addresses and phones (its virtual numbers), without the order numbers.
      const dump = views.map((v) => JSON.stringify({ name: v.name, address: v.address, phone: v.phone })).join('\n');
      const inv = await investigateDump(c, dump);
      const courier = inv.accused.find((a) => a.party === w.courier.id);
      expect(courier?.channel).toBe('L1');
      expect(courier?.evidence.virtual_numbers).toBe(ids.length);
      const phones = new Set(views.map((v) => String(v.phone).replace(/\D/g, '')));
      for (const p of courier?.proofs ?? []) {
        const { opening } = p;
        if (!opening) throw new Error('a virtual-number proof carries its opening');
        const text = Buffer.from(p.leaf, 'base64').toString('utf8');
        const leaf = JSON.parse(text) as { vn: string };
        expect(leaf.vn).toBe(
          'c:' + createHash('sha256').update(Buffer.from(opening.salt, 'hex')).update(opening.virtual_number).digest('base64url'),
        );
        expect(phones.has(opening.virtual_number)).toBe(true);
        expect(text).not.toContain(opening.virtual_number);
      }
      expect(courier?.proofs.length).toBeGreaterThan(0);
    } finally {
      await w.c.close();
    }
  });
});
