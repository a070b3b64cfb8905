/** The gatekeeper command line. Thin: parse, call a capability, format. */
import { Command } from 'commander';
import { addCommands } from './commands.ts';

// A reader that stops early (`gatekeeper ledger export | head`) closes the pipe: end quietly, as Unix tools
// do, rather than with a stack trace from an unhandled error event.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`gatekeeper: cannot write the output (${e.code ?? e.message})\n`);
  process.exit(e.code === 'EPIPE' ? 0 : 1);
});

const program = new Command('gatekeeper').description('Gatekeeper (守门人): check scam texts, trace order-data leaks');

try {
  await addCommands(program, process.argv.slice(2));
  await program.parseAsync();
} catch (e: unknown) {
  process.stderr.write(`gatekeeper: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
