/** The gatekeeper command line. Thin: parse, call a capability, format. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { check, checkInputSchema } from '../check/index.ts';
import { checkJsonl, formatResult } from './check-command.ts';
import { knowledgeFor } from '../verify/index.ts';
import { addCustodyCommands, withCustody } from './custody-commands.ts';
import { addDemoCommand } from './demo-command.ts';
import { addLedgerCommands } from './ledger-commands.ts';
import { addSimCommand } from './sim-command.ts';
import { addTraceCommand } from './trace-command.ts';
import { addCanaryCommands } from './canary-commands.ts';
import { addCaseCommands } from './case-commands.ts';
import { addVerifyCommands } from './verify-commands.ts';

const program = new Command('gatekeeper').description('Gatekeeper (守门人): check scam texts, trace order-data leaks');

program
  .command('check')
  .description('check a text, transcript, number or link (检测)')
  .argument('[text...]', 'the text; omit it to read stdin')
  .option('--jsonl', 'batch: read {"id","text"} lines on stdin, write one JSON result per line')
  .option('--json', 'print the result as JSON')
  .option('--caller <number>', 'the number that called or sent it')
  .addOption(new Option('--channel <channel>', 'how it arrived').choices(['call', 'sms', 'chat']))
  .addOption(new Option('--lang <lang>', 'language of the report').choices(['zh', 'en']).default('zh'))
  .option('--registry', 'also cite the store’s official channels, never-do policies and reputation')
  .action(
    async (
      words: string[],
      opts: { jsonl?: boolean; json?: boolean; caller?: string; channel?: string; lang: 'zh' | 'en'; registry?: boolean },
    ) => {
      if (opts.jsonl) {
        await checkJsonl(process.stdin, process.stdout);
        return;
      }
      let text = words.join(' ');
      if (!text) {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        text = Buffer.concat(chunks).toString('utf8');
      }
      const parsed = checkInputSchema.safeParse({ text, caller: opts.caller, channel: opts.channel });
      if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const knowledge = opts.registry ? await withCustody((c) => knowledgeFor(c, parsed.data)) : undefined;
      const r = check(parsed.data, knowledge);
      process.stdout.write((opts.json ? JSON.stringify(r, null, 2) : formatResult(r, opts.lang, process.stdout.isTTY)) + '\n');
    },
  );

program
  .command('serve')
  .description('serve the API and the web page')
  .option('--port <port>', 'port', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('port must be 1-65535');
    return n;
  })
  .action(async (opts: { port?: number }) => {
    const { serve } = await import('../server/index.ts');
    await serve(opts.port === undefined ? {} : { port: opts.port });
  });

addCustodyCommands(program);
addLedgerCommands(program);
addDemoCommand(program);
addSimCommand(program);
addTraceCommand(program);
addVerifyCommands(program);
addCaseCommands(program);
addCanaryCommands(program);

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`gatekeeper: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
