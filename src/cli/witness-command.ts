/**
 * `gatekeeper witness …`: run by an outside party with its own key and state file, never with the log's
 * store or keys. It cosigns a checkpoint only when it extends the one it cosigned last (C2SP tlog-witness).
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { cosignerKey, parseVerifierKey, type Verifier } from '../ledger/index.ts';
import {
  addToState,
  createWitnessKey,
  loadWitnessKey,
  logState,
  MAX_REQUEST,
  readState,
  witnessServer,
  type WitnessConfig,
} from '../witness/index.ts';

const collect = (v: string, all: string[]): string[] => [...all, v];

/** A log verifier key given as itself or as a file holding it. */
function logKey(v: string): Verifier {
  const text = /^[^+\s]+\+[0-9a-f]{8}\+/.test(v) ? v : readFileSync(v, 'utf8').trim();
  try {
    return parseVerifierKey(text);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The witness's key, state file and trusted log keys from the options. */
function config(o: { key: string; state: string; logKey: string[] }): WitnessConfig {
  if (o.logKey.length === 0) throw new InvalidArgumentError('name at least one --log-key');
  const logs = new Map<string, Verifier[]>();
  for (const v of o.logKey.map(logKey)) logs.set(v.name, [...(logs.get(v.name) ?? []), v]);
  return { signer: loadWitnessKey(o.key), stateFile: o.state, logs };
}

/** Adds `witness`. */
export function addWitnessCommand(program: Command): void {
  const witness = program
    .command('witness')
    .description("an outside witness: cosign the log's checkpoints while its history only grows (C2SP tlog-witness, tlog-cosignature)");
  witness
    .command('init')
    .description('create a witness key file (mode 0600) and print the witness key to give the log and its auditors')
    .requiredOption('--name <name>', 'the witness name, a schema-less URL such as witness.example.org/w1')
    .requiredOption('--key <file>', 'where to write the key (must not exist)')
    .action((o: { name: string; key: string }) => {
      process.stdout.write(`${createWitnessKey(o.key, o.name)}\n`);
    });
  witness
    .command('key')
    .description('print the witness key (name+hex key id+base64(0x04||public key))')
    .requiredOption('--key <file>', 'the witness key file')
    .action((o: { key: string }) => {
      const k = loadWitnessKey(o.key);
      process.stdout.write(`${cosignerKey(k.name, k.publicKey)}\n`);
    });
  witness
    .command('add-checkpoint')
    .description(
      'read an add-checkpoint request (`gatekeeper ledger witness-request`), verify it against the last checkpoint this witness cosigned, and print the cosignature line; refuse a rewritten or truncated history',
    )
    .requiredOption('--key <file>', 'the witness key file')
    .requiredOption('--state <file>', "the witness's state file (created on first use)")
    .option('--log-key <vkey>', "a log's verifier key (or a file holding it) this witness trusts (repeatable)", collect, [])
    .argument('[request]', 'the request (default: stdin)')
    .action((request: string | undefined, o: { key: string; state: string; logKey: string[] }) => {
      const body = readFileSync(request ?? 0);
      if (body.length > MAX_REQUEST) throw new InvalidArgumentError(`the request is longer than ${MAX_REQUEST} bytes`);
      const r = addToState(config(o), body.toString('utf8'));
      process.stderr.write(`witness: ${r.status === 200 ? '' : `${r.status} `}${r.message}\n`);
      if (r.status === 200) process.stdout.write(r.body);
      else process.exitCode = r.status === 409 ? 3 : r.status === 422 || r.status === 400 ? 2 : 1;
    });
  witness
    .command('serve')
    .description('answer POST /add-checkpoint (C2SP tlog-witness) over HTTP, with the same key and state file')
    .requiredOption('--key <file>', 'the witness key file')
    .requiredOption('--state <file>', "the witness's state file (created on first use)")
    .option('--log-key <vkey>', "a log's verifier key (or a file holding it) this witness trusts (repeatable)", collect, [])
    .option(
      '--port <port>',
      'port (0: any free one)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('port must be 0-65535');
        return n;
      },
      8081,
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (o: { key: string; state: string; logKey: string[]; port: number; host: string }) => {
      const server = witnessServer(config(o));
      await new Promise<void>((resolve) => server.listen(o.port, o.host, resolve));
      const at = server.address();
      process.stderr.write(`witness listening on http://${o.host}:${typeof at === 'object' && at ? at.port : o.port}/add-checkpoint\n`);
    });
  witness
    .command('checkpoint')
    .description(
      'print the latest checkpoint this witness cosigned for a log, with its cosignature (an auditor can keep it for `ledger verify --trusted`)',
    )
    .requiredOption('--state <file>', "the witness's state file")
    .requiredOption('--origin <origin>', "the log's origin")
    .action((o: { state: string; origin: string }) => {
      const s = logState(readState(o.state), o.origin);
      if (!s) throw new InvalidArgumentError(`this witness never cosigned ${o.origin}`);
      process.stdout.write(s.note);
    });
}
