import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseView } from '../custody/index.ts';
import { buildWorld } from '../custody/test-world.ts';
import { decodeEntry, verifyLedger } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { canaryTests } from './canary.ts';
import { listInvestigations, recordInvestigation } from './history.ts';
import { spendBudget } from './budget.ts';
import { investigateDump } from './investigate.ts';
import { investigateReport } from './report.ts';
import { spendingWeight } from './tardos.ts';

describe.each(BACKENDS)('the server-kept investigation budget on $name', ({ open }) => {
  it('numbers investigations itself, so each one gets a smaller share, and all shares sum within E', async () => {
    const w = await buildWorld(await open(), 2);
    try {
      const { c } = w;
      const view = await releaseView(c, w.courier, w.orderIds[0] as string);
      const first = await investigateDump(c, JSON.stringify({ order_no: view.order_no }));
      const second = await investigateDump(c, JSON.stringify({ order_no: view.order_no }));
      const report = await investigateReport(c, { order: w.orderIds[0] as string, aliasTail: view.order_no.slice(-8) });
      expect([first.investigation, second.investigation, report.investigation]).toEqual([1, 2, 3]);
      expect(second.epsilon).toBeLessThan(first.epsilon);
      expect(report.epsilon).toBeLessThan(second.epsilon);
      expect(first.epsilon).toBeCloseTo(1e-6 / spendingWeight(1), 18);
      expect(second.thresholds.alias).toBeLessThan(first.thresholds.alias);
      // Concurrent investigations never share a number.
      const many = await Promise.all(Array.from({ length: 20 }, () => spendBudget(c, { kind: 'dump', input: '', by: 'cli' })));
      const numbers = many.map((b) => b.investigation).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 4));
      expect(many.reduce((s, b) => s + b.epsilon, first.epsilon + second.epsilon + report.epsilon)).toBeLessThan(1e-6);
    } finally {
      await w.c.close();
    }
  });

  it('logs each investigation in the ledger: its number, kind, input hash and caller, at the entry the result names', async () => {
    const w = await buildWorld(await open(), 2);
    try {
      const { c } = w;
      const dump = JSON.stringify({ order_no: (await releaseView(c, w.courier, w.orderIds[0] as string)).order_no });
      const inv = await investigateDump(c, dump, { by: w.station.id });
      const canaries = await canaryTests(
        c,
        [{ order: w.orderIds[1] as string, outlet: w.station.parentId ?? '', station: w.station.id, courier: w.courier.id, hit: false }],
        w.courier.id,
      );
      const leaf = async (idx: number): Promise<Record<string, unknown>> =>
        decodeEntry((await c.store.db.selectFrom('ledger').select('leaf').where('idx', '=', idx).executeTakeFirstOrThrow()).leaf);
      expect(await leaf(inv.investigationEntry)).toMatchObject({
        i: inv.investigationEntry,
        t: 'investigation',
        party: w.station.id,
        n: 1,
        kind: 'dump',
        input: createHash('sha256').update(dump).digest('hex'),
        total: 1e-6,
      });
      expect(await leaf(canaries.investigationEntry)).toMatchObject({ t: 'investigation', party: w.courier.id, n: 2, kind: 'canaries' });
      // No PII: the dump's text is not in the leaf, only its hash.
      expect(JSON.stringify(await leaf(inv.investigationEntry))).not.toContain(dump.slice(12, 30));
    } finally {
      await w.c.close();
    }
  });

  it('a counter reset in the database is named by ledger verify, and the next investigation still numbers from the ledger', async () => {
    const w = await buildWorld(await open(), 2);
    try {
      const { c } = w;
      for (let i = 0; i < 3; i++) await spendBudget(c, { kind: 'dump', input: String(i), by: 'cli' });
      await c.ledger.checkpoint();
      expect(await verifyLedger(c.store, c.ledger.firstVerifierKey())).toMatchObject({ ok: true, investigations: 3 });

      await c.store.db.updateTable('trace_budget').set({ spent: 0 }).where('id', '=', 'deployment').execute();
      const tampered = await verifyLedger(c.store, c.ledger.firstVerifierKey());
      expect(tampered.ok).toBe(false);
      expect(tampered.problems.map((p) => p.kind)).toEqual(['budget']);
      expect(tampered.problems[0]?.message).toMatch(
        /trace_budget\.spent\) is 0 but the ledger's latest investigation entry \(entry \d+\) is number 3/,
      );

      const next = await spendBudget(c, { kind: 'report', input: 'x', by: 'cli' });
      expect(next.investigation).toBe(4);
      expect(next.epsilon).toBeCloseTo(1e-6 / spendingWeight(4), 20);
      // Taking the number repairs the mirror row.
      await c.ledger.checkpoint();
      expect(await verifyLedger(c.store, c.ledger.firstVerifierKey())).toMatchObject({ ok: true, investigations: 4 });
      // A total raised in the database is not spent from: the code's E is.
      await c.store.db.updateTable('trace_budget').set({ total: 0.9 }).where('id', '=', 'deployment').execute();
      const raised = await spendBudget(c, { kind: 'dump', input: 'y', by: 'cli' });
      expect(raised).toMatchObject({ investigation: 5, total: 1e-6 });
      expect(raised.epsilon).toBeCloseTo(1e-6 / spendingWeight(5), 20);
    } finally {
      await w.c.close();
    }
  });

  it('has ledger verify name a recorded outcome rewritten to show an innocent party as accused, or one added or deleted', async () => {
    const w = await buildWorld(await open(), 2);
    try {
      const { c } = w;
      const dump = JSON.stringify({ order_no: (await releaseView(c, w.courier, w.orderIds[0] as string)).order_no });
      const inv = await investigateDump(c, dump, { by: w.regulator.id });
      const id = await recordInvestigation(c, 'dump', w.regulator.id, inv);
      await c.ledger.checkpoint();
      expect((await verifyLedger(c.store, c.ledger.firstVerifierKey())).ok).toBe(true);
      expect((await listInvestigations(c))[0]?.accused.map((a) => a.party)).toEqual([w.courier.id]);
      const framed = JSON.stringify([{ party: w.station.id, kind: 'station', name: w.station.name, channel: 'L1', log10Bound: -30 }]);
      await c.store.db.updateTable('investigations').set({ accused: framed }).where('id', '=', id).execute();
      await c.store.db
        .insertInto('investigations')
        .values({
          id: 'inv_000000000000',
          kind: 'dump',
          by_party: w.regulator.id,
          records: 5,
          accused: framed,
          suspects: 0,
          created_at: new Date().toISOString(),
        })
        .execute();
      const r = await verifyLedger(c.store, c.ledger.firstVerifierKey());
      const named = r.problems.filter((p) => p.kind === 'outcome').map((p) => p.message);
      expect(named).toHaveLength(2);
      expect(named.join('\n')).toContain(`investigation ${id} is not what its outcome entry`);
      expect(named.join('\n')).toContain('investigation inv_000000000000 has no outcome entry');
    } finally {
      await w.c.close();
    }
  });
});
