import { describe, expect, it } from 'vitest';
import { releaseView } from '../custody/index.ts';
import { buildWorld } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
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
      const many = await Promise.all(Array.from({ length: 20 }, () => spendBudget(c)));
      const numbers = many.map((b) => b.investigation).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 4));
      expect(many.reduce((s, b) => s + b.epsilon, first.epsilon + second.epsilon + report.epsilon)).toBeLessThan(1e-6);
    } finally {
      await w.c.close();
    }
  });
});
