/** The gatekeeper command line. Thin: parse, call a capability, format. */
import { Command } from 'commander';
import { addCommands } from './commands.ts';

const program = new Command('gatekeeper').description('Gatekeeper (守门人): check scam texts, trace order-data leaks');

try {
  await addCommands(program, process.argv.slice(2));
  await program.parseAsync();
} catch (e: unknown) {
  process.stderr.write(`gatekeeper: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
