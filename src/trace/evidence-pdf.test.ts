import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { custodyOn } from '../custody/index.ts';
import { runScenario, TRACE_WORLD } from '../sim/index.ts';
import { openStore } from '../store/index.ts';
import { evidencePdf } from './evidence-pdf.ts';
import type { DumpInvestigation } from './investigate.ts';

const OUT = fileURLToPath(new URL('../../test-output', import.meta.url));

describe('the evidence report PDF', () => {
  it('renders in Chinese with the accused, the bound and the ledger proofs (checked with poppler)', async () => {
    const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
    try {
      const world = {
        ...TRACE_WORLD,
        orders: 4000,
        merchants: 80,
        erps: 3,
        carriers: 2,
        outletsPerCarrier: 2,
        stationsPerOutlet: 2,
        couriersPerStation: 2,
        csAgents: 3,
      };
      const r = await runScenario(c, 'courier-dump', 2, world, 300);
      const inv = r.investigation as DumpInvestigation;
      expect(inv.accused.map((a) => a.party)).toEqual(r.leakers);
      const pdf = await evidencePdf(inv, { source: '测试：模拟查获的数据', checkpoint: await c.ledger.checkpoint() });
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, 'evidence-report.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const s of [
        '数据泄露溯源证据报告',
        '认定结果',
        'L2 指纹编码',
        '误认无辜方的概率上界',
        '账本包含证明',
        (inv.accused[0] as { name: string }).name,
      ])
        expect(text).toContain(s);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(OUT, 'evidence-report')]);
      expect(statSync(join(OUT, 'evidence-report-1.png')).size).toBeGreaterThan(10_000);
    } finally {
      await c.close();
    }
  });
});
