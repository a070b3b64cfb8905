/** `gatekeeper trace dump FILE`: investigate a leaked dump against the store, as text, JSON or a PDF report. */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { decodeDump, evidencePdf, investigateDumpInput, reasonText, type DumpReport } from '../trace/index.ts';
import { withCustody } from './custody-commands.ts';
import { writeOutput } from './output-file.ts';

/** Warnings that mean the investigation had nothing to work on. */
const serious = (w: DumpReport['warnings'][number]): boolean =>
  w.code === 'nothing_mapped' || w.code === 'empty' || w.code === 'binary_file';

/** How the dump was read and mapped, in a few lines; a warning line first when nothing maps. */
function reportLines(r: DumpReport): string[] {
  const warn = r.warnings.filter(serious);
  const by = Object.entries(r.mappedBy)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const header = r.header
    ? `header on line ${r.header.line}: ${r.header.columns.map((c) => `${c.header}→${c.field ?? c.status}`).join(', ')}`
    : 'no header row';
  return [
    ...warn.map((w) => `WARNING: ${w.message}`),
    `read as ${r.encoding}${r.bom ? ' (BOM)' : ''}, ${r.format}${r.delimiter === undefined ? '' : ` (${JSON.stringify(r.delimiter)})`}; ${header}`,
    `${r.records} records, ${r.mapped} mapped to orders${by ? ` (${by})` : ''}, ${r.notMapped} not mapped`,
    ...r.reasons.map(
      (x) => `  not mapped: ${x.count} × ${reasonText(x.reason)} (lines ${x.lines.join(', ')}${x.count > x.lines.length ? ', …' : ''})`,
    ),
    ...r.warnings.filter((w) => !warn.includes(w)).map((w) => `note: ${w.message}`),
  ];
}

/** Adds the trace commands. */
export function addTraceCommand(program: Command): void {
  program
    .command('trace')
    .description('leak tracing (溯源)')
    .command('dump')
    .description(
      'investigate a leaked dump (CSV or TSV with a header in Chinese or English, JSON lines or text; UTF-8, UTF-16 with a BOM, GBK or GB18030) against the store',
    )
    .argument('<file>', 'the dump')
    .option('--json', 'print the investigation as JSON')
    .option('--pdf <out>', 'also write the evidence report (Chinese) to this PDF file')
    .option('--source <text>', 'where the dump came from, for the report (chain of custody)')
    .action(async (file: string, o: { json?: boolean; pdf?: string; source?: string }) => {
      if (!existsSync(file)) throw new InvalidArgumentError(`${file}: no such file`);
      await withCustody(async (c) => {
        const inv = await investigateDumpInput(c, await decodeDump(readFileSync(file)));
        if (o.pdf)
          writeOutput(
            o.pdf,
            await evidencePdf(inv, { ...(o.source ? { source: o.source } : {}), checkpoint: await c.ledger.checkpoint() }),
          );
        if (o.json) {
          for (const w of inv.report.warnings)
            if (w.code === 'nothing_mapped' || w.code === 'empty' || w.code === 'binary_file')
              process.stderr.write(`WARNING: ${w.message}\n`);
          process.stdout.write(`${JSON.stringify(inv, null, 2)}\n`);
          return;
        }
        const lines = [
          ...reportLines(inv.report),
          `${inv.records} records, ${inv.mapped.alias + inv.mapped.address + inv.mapped.phone + inv.mapped.time} mapped to ${inv.orders} distinct orders; ${inv.candidates} candidates`,
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
