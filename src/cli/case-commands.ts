/** `gatekeeper case …`: file a case with evidence, show it, write its PDF, list cases, trace from a case. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { casePdf, createCase, getCase, listCases, traceCase } from '../cases/index.ts';
import { withCustody } from './custody-commands.ts';
import { writeOutput } from './output-file.ts';

const print = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

/** Adds the case commands. */
export function addCaseCommands(program: Command): void {
  const cases = program.command('case').description('victim cases (报案)');
  cases
    .command('file')
    .description('file a case from a JSON file (the API’s CaseInput), with evidence files; prints the case number and token')
    .argument('<json>', 'the case as JSON')
    .option('--evidence <file...>', 'images, audio or PDF (10 MB each, at most 5)')
    .addOption(
      new Option('--format <format>', 'json: the case number, token and evidence; id: the case number alone')
        .choices(['json', 'id'])
        .default('json'),
    )
    .action(async (json: string, o: { evidence?: string[]; format: 'json' | 'id' }) => {
      for (const f of [json, ...(o.evidence ?? [])]) if (!existsSync(f)) throw new InvalidArgumentError(`${f}: no such file`);
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(json, 'utf8'));
      } catch (e) {
        throw new InvalidArgumentError(`${json} is not valid JSON${e instanceof SyntaxError ? ` (${e.message})` : ''}`);
      }
      const uploads = (o.evidence ?? []).map((f) => ({ name: basename(f), type: '', bytes: readFileSync(f) }));
      await withCustody(async (c) => {
        const filed = await createCase(c, body, uploads);
        if (o.format === 'id') process.stdout.write(`${filed.id}\n`);
        else print(filed);
      });
    });
  cases
    .command('show')
    .argument('<id>', 'the case number')
    .action(async (id: string) => {
      await withCustody(async (c) => {
        print(await getCase(c, id));
      });
    });
  cases
    .command('pdf')
    .description('write the police-ready PDF')
    .argument('<id>', 'the case number')
    .option('--out <file>', 'where to write it (default: <id>.pdf)')
    .action(async (id: string, o: { out?: string }) => {
      await withCustody(async (c) => {
        const out = o.out ?? `${id}.pdf`;
        writeOutput(out, await casePdf(c, id));
        process.stdout.write(`${out}\n`);
      });
    });
  cases.command('list').action(async () => {
    await withCustody(async (c) => {
      print(await listCases(c));
    });
  });
  cases
    .command('trace')
    .description('trace from a case linked to an order: the handler whose order number ends in the quoted digits')
    .argument('<id>', 'the case number')
    .action(async (id: string) => {
      await withCustody(async (c) => {
        print(await traceCase(c, id));
      });
    });
}
