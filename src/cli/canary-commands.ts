/** `gatekeeper canaries …`: plant canary orders, record hits on their monitored numbers, run the exact test. */
import { InvalidArgumentError, type Command } from 'commander';
import { getParty, type Party } from '../custody/index.ts';
import { plantCanaries, recordCanaryHit, testCanaryRegistry } from '../trace/index.ts';
import { withCustody } from './custody-commands.ts';
import { fileLines, onFileLines } from './file-lines.ts';

const print = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

/** Adds the canary commands. */
export function addCanaryCommands(program: Command): void {
  const canaries = program.command('canaries').description('canary orders (L3)');
  canaries
    .command('plant')
    .description('plant one canary order per monitored number in an outlet (routed at random to its stations and couriers)')
    .requiredOption('--outlet <id>', 'the outlet')
    .requiredOption('--merchant <id>', 'the shop the orders are placed with')
    .requiredOption('--phones <file>', 'monitored numbers, one per line')
    .action(async (o: { outlet: string; merchant: string; phones: string }) => {
      const lines = fileLines(o.phones);
      const phones = lines.map((l) => l.text);
      await withCustody(async (c) => {
        const row = await c.store.db
          .selectFrom('parties')
          .select('id')
          .where('kind', '=', 'platform')
          .orderBy('created_at')
          .executeTakeFirst();
        if (!row) throw new InvalidArgumentError('there is no platform yet: run `gatekeeper keys create` first');
        const r = await plantCanaries(c, (await getParty(c, row.id)) as Party, {
          outlet_id: o.outlet,
          merchant_id: o.merchant,
          phones,
        }).catch((e: unknown) => {
          throw onFileLines(e, lines, 'phones');
        });
        process.stdout.write(`planted ${String(r.planted.length)} canary orders\n`);
      });
    });
  canaries
    .command('hit')
    .description('record that a monitored number was called or texted')
    .argument('<phone>')
    .option('--source <text>', 'what saw it', 'cli')
    .action(async (phone: string, o: { source: string }) => {
      await withCustody(async (c) => {
        print(await recordCanaryHit(c, phone, o.source));
      });
    });
  canaries
    .command('test')
    .description('the exact test over the registry: which station or courier the hits point to')
    .action(async () => {
      await withCustody(async (c) => {
        const r = await testCanaryRegistry(c);
        print({
          canaries: r.canaries,
          hits: r.hits,
          refused: r.refused,
          unlogged: r.unlogged,
          accused: r.accused,
          tests: r.tests.slice(0, 10),
        });
      });
    });
}
