/** `gatekeeper trace dump FILE`: investigate a leaked dump against the store, as text, JSON or a PDF report. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evidencePdf, investigateDump } from '../trace/index.ts';
import { withCustody } from './custody-commands.ts';

/** Adds the trace commands. */
export function addTraceCommand(program: Command): void {
  program
    .command('trace')
    .description('leak tracing (溯源)')
    .command('dump')
    .description('investigate a leaked dump (CSV with a header, JSON lines or text) against the store')
    .argument('<file>', 'the dump')
    .option('--json', 'print the investigation as JSON')
    .option('--pdf <out>', 'also write the evidence report (Chinese) to this PDF file')
    .option('--source <text>', 'where the dump came from, for the report (chain of custody)')
    .action(async (file: string, o: { json?: boolean; pdf?: string; source?: string }) => {
      await withCustody(async (c) => {
        const inv = await investigateDump(c, readFileSync(file, 'utf8'));
        if (o.pdf)
          writeFileSync(
            o.pdf,
            await evidencePdf(inv, { ...(o.source ? { source: o.source } : {}), checkpoint: await c.ledger.checkpoint() }),
          );
        if (o.json) {
          process.stdout.write(`${JSON.stringify(inv, null, 2)}\n`);
          return;
        }
        const lines = [
          `${inv.records} records, ${inv.mapped.alias + inv.mapped.address + inv.mapped.time} mapped to ${inv.orders} distinct orders; ${inv.candidates} candidates`,
          `investigation ${inv.investigation} of this deployment: epsilon ${inv.epsilon.toPrecision(3)}; thresholds 1e${inv.thresholds.alias.toFixed(1)} (aliases), 1e${inv.thresholds.virtualNumber.toFixed(1)} (virtual numbers), 1e${inv.thresholds.l2.toFixed(1)} (L2)`,
          ...inv.ledger.mismatches.map(
            (m) => `LEDGER MISMATCH release ${m.index} (${m.party}, ${m.order}): ${m.problem}; not used as evidence`,
          ),
          ...(inv.accused.length
            ? inv.accused.map((a) => `ACCUSED ${a.party} ${a.name} via ${a.channel}: P(innocent) <= 1e${a.log10Bound.toFixed(1)}`)
            : ['nobody reaches the threshold: nobody is accused']),
          ...inv.suspects.slice(0, 5).map((s) => `suspect ${s.party} ${s.name}: 1e${s.log10Bound.toFixed(1)}`),
          ...(o.pdf ? [`evidence report written to ${o.pdf}`] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
