/** `gatekeeper ledger …`: what an outside auditor needs, and a full re-verification. */
import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { ledgerRowKey, releaseKeys } from '../custody/index.ts';
import { parseCosignerKey, verifyLedger, type VerifyReport } from '../ledger/index.ts';
import { requestCosignature } from '../witness/index.ts';
import { withCustody } from './custody-commands.ts';

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

const collect = (v: string, all: string[]): string[] => [...all, v];

/** A witness verifier key given as itself or as a file holding it. */
function witnessKey(v: string): string {
  const text = /^[^+\s]+\+[0-9a-f]{8}\+/.test(v) ? v : readFileSync(v, 'utf8').trim();
  try {
    parseCosignerKey(text);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return text;
}

/** The verification report as people read it. */
function describe(r: VerifyReport): string {
  const extra = [
    r.unsigned > 0 ? `${r.unsigned} entries after the latest checkpoint are not signed yet` : '',
    ...r.witnesses.map((w) => (w.size === null ? '' : `witness ${w.key.split('+')[0] ?? ''} cosigned up to size ${w.size}`)),
  ].filter(Boolean);
  const tail = extra.length > 0 ? `\n${extra.map((x) => `  ${x}`).join('\n')}` : '';
  return r.ok
    ? `ledger OK: ${r.size} entries, root ${r.root}, ${r.checkpoints} checkpoints verified, ${r.releases} release rows agree with their leaves, ${r.investigations} investigations numbered in order${tail}\n`
    : `ledger FAILED: ${r.problems.length} problem(s)\n${r.problems.map((p) => `  - ${p.message}`).join('\n')}${tail}\n`;
}

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
    .description(
      'recompute every leaf hash and root, check every checkpoint signature and every release row against its leaf; name edited, deleted, reordered entries and rows that disagree (exit 2)',
    )
    .option(
      '--trusted <file>',
      'a signed checkpoint you saved earlier (`ledger checkpoint`): the log must still extend it (repeatable)',
      collect,
      [],
    )
    .option(
      '--witness <vkey>',
      'a witness key (or a file holding it) that must have cosigned a checkpoint the log still extends (repeatable)',
      collect,
      [],
    )
    .option('--json', 'print the report as JSON')
    .action(async (o: { trusted: string[]; witness: string[]; json?: boolean }) => {
      const trusted = o.trusted.map((f) => ({ name: f, note: readFileSync(f, 'utf8') }));
      const witnesses = o.witness.map(witnessKey);
      await withCustody(async (c) => {
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: 'verifying [{bar}] {value}/{total} entries', stream: process.stderr })
          : null;
        bar?.start(c.ledger.size, 0);
        const r = await verifyLedger(c.store, c.ledger.firstVerifierKey(), {
          trusted,
          witnesses,
          releases: releaseKeys(c),
          rowKey: ledgerRowKey(c.keyring),
          onProgress: (n) => bar?.update(n),
        });
        bar?.stop();
        process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : describe(r));
        if (!r.ok) process.exitCode = 2;
      });
    });
  ledger
    .command('witness-request')
    .description(
      'print a tlog-witness add-checkpoint request for the latest checkpoint: "old N", the consistency proof from N, an empty line, the checkpoint',
    )
    .option('--witness <vkey>', 'start from the largest checkpoint this witness cosigned (a key or a file holding it)', witnessKey)
    .option('--old <n>', 'start from this size instead', count)
    .action(async (o: { witness?: string; old?: number }) => {
      await withCustody(async (c) => {
        const old = o.old ?? (o.witness ? ((await c.ledger.lastCosigned(parseCosignerKey(o.witness)))?.size ?? 0) : 0);
        const p = await c.ledger.consistency(old);
        process.stdout.write(`old ${old}\n${p.proof.map((h) => `${h}\n`).join('')}\n${p.checkpoint}`);
      });
    });
  ledger
    .command('cosign')
    .description("attach a witness's cosignature: its add-checkpoint response (on stdin or in a file), or ask the witness at --url for one")
    .requiredOption('--witness <vkey>', 'the witness key (or a file holding it)', witnessKey)
    .option('--url <url>', "the witness's submission prefix (POST <url>/add-checkpoint, C2SP tlog-witness)")
    .argument('[file]', 'the response (default: stdin)')
    .action(async (file: string | undefined, o: { witness: string; url?: string }) => {
      const response = o.url ? '' : readFileSync(file ?? 0, 'utf8');
      await withCustody(async (c) => {
        const w = parseCosignerKey(o.witness);
        const size = o.url ? await requestCosignature(c.ledger, w, o.url) : await c.ledger.attachCosignatures(w, response);
        process.stderr.write(`checkpoint at size ${size} now carries the cosignature of ${w.name}\n`);
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
