/** `gatekeeper serve`: the API and the web pages. */
import { InvalidArgumentError, type Command } from 'commander';

/** Adds `serve`. */
export function addServeCommand(program: Command): void {
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
}
