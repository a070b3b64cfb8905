/** `gatekeeper ledger …`: what an outside auditor needs, and a full re-verification. */
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { verifyLedger } from '../ledger/index.ts';
import { withCustody } from './custody-commands.ts';

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

/** Adds the ledger commands. */
export function addLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the tamper-evident ledger (RFC 9162 Merkle log, C2SP checkpoints)');
  ledger
    .command('checkpoint')
    .description('print the latest signed checkpoint note (signing one if the log grew)')
    .action(async () => {
      await withCustody(async (c) => {
        process.stdout.write(await c.ledger.checkpoint());
      });
    });
  ledger
    .command('key')
    .description('print the verifier key of the key that signs now (C2SP: name+hex key id+base64(0x01||public key))')
    .action(async () => {
      await withCustody((c) => {
        process.stdout.write(`${c.ledger.verifierKey()}\n`);
        return Promise.resolve();
      });
    });
  ledger
    .command('export')
    .description('print every entry as JSONL {"index": n, "leaf": "<base64 of the exact leaf bytes>"}, in order')
    .action(async () => {
      await withCustody(async (c) => {
        const CHUNK = 10_000;
        for (let from = 0; ; from += CHUNK) {
          const rows = await c.store.db
            .selectFrom('ledger')
            .select(['idx', 'leaf'])
            .where('idx', '>=', from)
            .where('idx', '<', from + CHUNK)
            .orderBy('idx')
            .execute();
          if (rows.length === 0) break;
          const text = rows.map((r) => JSON.stringify({ index: r.idx, leaf: Buffer.from(r.leaf, 'utf8').toString('base64') })).join('\n');
          if (!process.stdout.write(`${text}\n`)) await new Promise((r) => process.stdout.once('drain', r));
        }
      });
    });
  ledger
    .command('verify')
    .description('recompute every leaf hash and root, check every checkpoint signature; report edited, deleted or reordered entries')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      await withCustody(async (c) => {
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: 'verifying [{bar}] {value}/{total} entries', stream: process.stderr })
          : null;
        bar?.start(c.ledger.size, 0);
        const r = await verifyLedger(c.store, c.ledger.firstVerifierKey(), (n) => bar?.update(n));
        bar?.stop();
        if (o.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          process.stdout.write(
            r.ok
              ? `ledger OK: ${r.size} entries, root ${r.root}, ${r.checkpoints} checkpoints verified\n`
              : `ledger FAILED: ${r.problems.length} problem(s)\n${r.problems.map((p) => `  - ${p.message}`).join('\n')}\n`,
          );
        }
        if (!r.ok) process.exitCode = 2;
      });
    });
  ledger
    .command('proof')
    .description('inclusion proof of an entry (JSON), against the latest checkpoint or a given size')
    .requiredOption('--index <n>', 'entry index', count)
    .option('--size <n>', 'tree size', count)
    .action(async (o: { index: number; size?: number }) => {
      await withCustody(async (c) => {
        process.stdout.write(`${JSON.stringify(await c.ledger.inclusion(o.index, o.size), null, 2)}\n`);
      });
    });
  ledger
    .command('consistency')
    .description('consistency proof from an older tree size to the current (or a given) size (JSON)')
    .requiredOption('--first <n>', 'older size', count)
    .option('--second <n>', 'newer size', count)
    .action(async (o: { first: number; second?: number }) => {
      await withCustody(async (c) => {
        process.stdout.write(`${JSON.stringify(await c.ledger.consistency(o.first, o.second), null, 2)}\n`);
      });
    });
}
