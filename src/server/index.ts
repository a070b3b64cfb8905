/** Server: the HTTP face of every capability. */
import { serve as nodeServe } from '@hono/node-server';
import { loadModel } from '../check/index.ts';
import { openCustody } from '../custody/index.ts';
import { checkpointSchedule } from '../ledger/index.ts';
import { deliverAlerts, sweepAlerts } from '../supervise/index.ts';
import { createApp } from './app.ts';
import { createLogger } from './log.ts';

export { createApp } from './app.ts';

/** Starts the server (default port 8080, or PORT) and resolves once it listens. */
export async function serve(opts: { port?: number } = {}): Promise<void> {
  const log = createLogger();
  loadModel();
  const port = opts.port ?? Number(process.env.PORT ?? 8080);
  const schedule = checkpointSchedule(process.env);
  const custody = await openCustody();
  // A log with a hole cannot take new entries: say which and what to do rather than fail on the first write.
  const damage = custody.ledger.damage;
  if (damage) {
    await custody.close();
    throw new Error(`the server cannot start: ${damage}`);
  }
  if (custody.ledger.unanchored) log.warn({ ledger: custody.ledger.unanchored }, 'the ledger signer has no anchor');
  // Signed on a schedule, so that whoever holds the database and the key cannot rewrite more than the last
  // few seconds without breaking a checkpoint an auditor or witness may already hold.
  custody.ledger.scheduleCheckpoints(schedule, (e) => {
    log.error({ error: e instanceof Error ? e.message : String(e) }, 'signing a ledger checkpoint failed');
  });
  // Release workers load while the server starts, so the first large manifest already has them. If they
  // cannot start, releases still run, on this thread; say so, as throughput then drops.
  void custody.workers.start().then(() => {
    const { threads, failed } = custody.workers.status();
    if (failed) log.warn({ error: failed }, 'release workers could not start; releases run on the main thread');
    else log.info({ threads }, 'release workers ready');
  });
  // Accountability alerts: leads and consumers' flags filed and sent every five minutes, one round at a time
  // (each round analyses every hook's reach, seconds on a large store).
  let alerting = false;
  setInterval(() => {
    if (alerting) return;
    alerting = true;
    void sweepAlerts(custody)
      .then(() => deliverAlerts(custody))
      .catch((e: unknown) => {
        log.error({ error: e instanceof Error ? e.name : 'unknown' }, 'accountability alerts failed');
      })
      .finally(() => {
        alerting = false;
      });
  }, 300_000).unref();
  const app = createApp({ log, custody });
  try {
    await new Promise<void>((resolve, reject) => {
      const server = nodeServe({ fetch: app.fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
        log.info({ port: info.port }, `Gatekeeper listening on http://localhost:${String(info.port)}`);
        resolve();
      });
      // A port in use or not allowed is an 'error' event: without a listener it would end the process with a stack trace.
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          new Error(
            e.code === 'EADDRINUSE' ? `port ${String(port)} is already in use` : `cannot listen on port ${String(port)}: ${e.message}`,
          ),
        );
      });
    });
  } catch (e) {
    await custody.close();
    throw e;
  }
}
