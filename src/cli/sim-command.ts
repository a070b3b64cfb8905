/** `gatekeeper sim --scenario NAME --seed N --json`: a trace scenario on a scratch store, and its verdict. */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { custodyOn } from '../custody/index.ts';
import { runScenario, SCENARIOS, TRACE_WORLD, type ScenarioName, type ScenarioResult } from '../sim/index.ts';
import { openStore } from '../store/index.ts';
import { evidencePdf } from '../trace/index.ts';
import { writeOutput } from './output-file.ts';

const whole =
  (min: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number >= ${min}`);
    return n;
  };

/** The readable report of a scenario run. */
function describeResult(r: ScenarioResult): string[] {
  const inv = r.investigation;
  if ('tests' in inv)
    return [
      `scenario ${r.scenario}, seed ${r.seed}: ${inv.tests.length} exact tests over canary orders, ${r.records} canaries hit`,
      `leakers:  ${r.leakers.join(', ')}`,
      `accused:  ${inv.accused.map((a) => `${a.party} ${a.name} via L3, p <= 1e${a.log10Bound.toFixed(1)}`).join('; ') || '(nobody)'}`,
      `threshold: 1e${inv.log10Threshold.toFixed(1)}`,
      `time: world ${r.seconds.world.toFixed(1)} s, leak ${r.seconds.leak.toFixed(1)} s, trace ${r.seconds.trace.toFixed(2)} s`,
    ];
  const head =
    'mapped' in inv
      ? `${r.records} records in the dump (${inv.mapped.alias + inv.mapped.address + inv.mapped.phone + inv.mapped.time} mapped to orders)`
      : 'tail' in inv
        ? `one report quoting ${inv.tail ?? 'no'} digits of an order number (${inv.handlers} handlers of that order)`
        : `${inv.reports} victim reports, ${inv.tested} parties tested (triage only)`;
  const suspects =
    'tested' in inv
      ? inv.suspects
          .slice(0, 5)
          .map((s) => `${s.party} ${s.reports} of ${inv.reports} reports (expected ${s.expected}), p 1e${s.log10P.toFixed(1)}`)
      : inv.suspects.slice(0, 5).map((s) => `${s.party} 1e${s.log10Bound.toFixed(1)}`);
  const accused =
    'tested' in inv ? [] : inv.accused.map((a) => `${a.party} ${a.name} via ${a.channel}, P(innocent) <= 1e${a.log10Bound.toFixed(1)}`);
  return [
    `scenario ${r.scenario}, seed ${r.seed}: ${head}`,
    `leakers:  ${r.leakers.join(', ') || '(none)'}`,
    `accused:  ${accused.join('; ') || '(nobody)'}`,
    ...('log10Threshold' in inv ? [`threshold: 1e${inv.log10Threshold.toFixed(1)}`] : []),
    `suspects: ${suspects.join('; ')}`,
    `time: world ${r.seconds.world.toFixed(1)} s, leak ${r.seconds.leak.toFixed(1)} s, trace ${r.seconds.trace.toFixed(2)} s`,
  ];
}

/** Adds the sim command. */
export function addSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run a trace scenario: build a synthetic world on a scratch in-memory store, stage a leak, investigate it')
    .addOption(new Option('--scenario <name>', 'the scenario').choices(SCENARIOS).makeOptionMandatory())
    .option('--seed <n>', 'seed of the world and the leak', whole(0), 1)
    .option('--orders <n>', 'orders in the world', whole(1000), TRACE_WORLD.orders)
    .option('--json', 'print the result as one JSON object')
    .option('--full', 'with --json, include the whole investigation (evidence and ledger proofs)')
    .option('--pdf <out>', 'for dump scenarios, write the evidence report (Chinese) to this PDF file')
    .action(async (o: { scenario: ScenarioName; seed: number; orders: number; json?: boolean; full?: boolean; pdf?: string }) => {
      const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
      try {
        const r = await runScenario(c, o.scenario, o.seed, { ...TRACE_WORLD, orders: o.orders });
        const { investigation: _investigation, ...summary } = r;
        if (o.pdf && 'mapped' in r.investigation)
          writeOutput(
            o.pdf,
            await evidencePdf(r.investigation, {
              source: `模拟场景 ${r.scenario}，种子 ${r.seed}`,
              checkpoint: await c.ledger.checkpoint(),
            }),
          );
        if (o.json) {
          process.stdout.write(`${JSON.stringify(o.full ? r : summary)}\n`);
          return;
        }
        process.stdout.write(`${describeResult(r).join('\n')}\n`);
      } finally {
        await c.close();
      }
    });
}
