/** `gatekeeper keys …`, `parties …` and `orders ingest`: custody from the command line, on the default store or DATABASE_URL. */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { reindexCases } from '../cases/index.ts';
import { boundedLines } from '../shared/lines.ts';
import {
  createApiKey,
  createParties,
  getParty,
  ingestLines,
  listParties,
  MAX_LINE,
  masterKeySource,
  newMasterKeyFromEnv,
  openCustody,
  PARTY_KINDS,
  promotePendingKey,
  rotateDataKey,
  rotateFingerprintKey,
  rotateLedgerKey,
  rotateIndexKey,
  rotateMasterKey,
  SCOPES,
  stagePendingKey,
  type Custody,
  type Party,
  type PartyKind,
  type Scope,
} from '../custody/index.ts';
import { checkpointSchedule } from '../ledger/index.ts';
import { accessLink, issueAccessToken, TOKEN_MINUTES } from '../supervise/index.ts';
import { reindexSubjects } from '../verify/index.ts';
import { routeOf, withDefaults } from './ingest-defaults.ts';

/** Runs `fn` with an open custody context, closing it afterwards. */
export async function withCustody<T>(fn: (c: Custody) => Promise<T>): Promise<T> {
  const { entries } = checkpointSchedule(process.env);
  const c = await openCustody();
  const before = c.ledger.size;
  // A long command (a bulk ingest) signs as it goes, at least every `entries` entries as the server does, so
  // its unsigned tail stays as short while it runs. Signing on a timer is left to the server: a command that
  // appended nothing must not sign (nor fail on) what others appended.
  const stop = c.ledger.scheduleCheckpoints({ entries }, (e) => {
    process.stderr.write(`gatekeeper: signing a ledger checkpoint failed: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  try {
    const out = await fn(c);
    // What this command appended is signed before it ends, not left to a server that may not be running.
    if (c.ledger.size > before) await c.ledger.checkpoint();
    return out;
  } finally {
    stop();
    await c.close();
  }
}

/** The platform party: the one named, or the only one there is (created when `create` and there is none). */
async function platformParty(c: Custody, name: string | undefined, create: boolean): Promise<Party> {
  const rows = await c.store.db.selectFrom('parties').select('id').where('kind', '=', 'platform').orderBy('created_at').execute();
  if (rows.length === 0) {
    if (!create) throw new InvalidArgumentError('there is no platform yet: run `gatekeeper keys create` first');
    const [p] = await createParties(c, { operator: 'cli' }, [{ kind: 'platform', name: name ?? '示例平台' }]);
    return p as Party;
  }
  return (await getParty(c, (rows[0] as { id: string }).id)) as Party;
}

type Format = 'json' | 'id';
const formatOption = new Option('--format <format>', 'json: one JSON object per party; id: its id alone')
  .choices(['json', 'id'])
  .default('json');
const partyLine = (p: Party, format: Format): string => `${format === 'id' ? p.id : JSON.stringify(p)}\n`;

const scopeList = (v: string): Scope[] => {
  const list = v.split(',').map((s) => s.trim());
  const bad = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad.length > 0) throw new InvalidArgumentError(`unknown scope ${bad.join(', ')} (scopes: ${SCOPES.join(', ')})`);
  return list as Scope[];
};

/** Adds the custody commands. */
export function addCustodyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys and data keys');
  keys
    .command('create')
    .description('create an API key (with no --party: the platform admin key, creating the platform on first use); the key is printed once')
    .option('--party <id>', 'the party the key is for')
    .option('--name <name>', 'name of the platform when it is created', '示例平台')
    .option('--scopes <list>', `comma-separated scopes (${SCOPES.join(', ')})`, scopeList)
    .option('--label <label>', 'a note to tell keys apart')
    .action(async (o: { party?: string; name: string; scopes?: Scope[]; label?: string }) => {
      await withCustody(async (c) => {
        const partyId = o.party ?? (await platformParty(c, o.name, true)).id;
        const k = await createApiKey(c, { operator: 'cli' }, partyId, { scopes: o.scopes, label: o.label });
        process.stdout.write(`${k.key}\n`);
        process.stderr.write(`key ${k.id} for ${partyId} with scopes ${k.scopes.join(', ')}: store it now, it is not shown again\n`);
      });
    });
  keys
    .command('rotate')
    .description(
      'rotate a key: data (default) re-encrypts every order, case, evidence file, reported identifier and appeal under a new version, in batches; fingerprint fingerprints first-time views under a new version; ledger hands checkpoint signing to a new key; master re-wraps every key under a new master key (a new key file, or the key in GATEKEEPER_NEW_MASTER_KEY); index recomputes every blind index under a new version, in one transaction. A running server takes every rotated key over at its next request',
    )
    .addOption(new Option('--purpose <purpose>', 'which key').choices(['data', 'fingerprint', 'ledger', 'master', 'index']).default('data'))
    .option('--batch <n>', 'orders per transaction', (v) => Number(v), 1000)
    .action(async (o: { purpose: 'data' | 'fingerprint' | 'ledger' | 'master' | 'index'; batch: number }) => {
      await withCustody(async (c) => {
        if (o.purpose === 'index') {
          let total = 0;
          for (const table of ['orders', 'cases', 'rep_subjects'] as const) {
            const n = await c.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow();
            // PostgreSQL returns count(*) as a string.
            total += Number(n.n);
          }
          const bar = new SingleBar({ format: 're-indexing [{bar}] {value}/{total} rows', stream: process.stderr, hideCursor: true });
          bar.start(total, 0);
          const r = await rotateIndexKey(c, 'cli', [reindexCases, reindexSubjects], {
            batch: o.batch,
            onProgress: (done) => {
              bar.update(done);
            },
          });
          bar.stop();
          process.stdout.write(
            `index key v${r.from} → v${r.to}: ${r.orders} orders (with their releases and canaries) and ${r.values} cases and reported identifiers re-indexed in one transaction; v${r.from} kept for the ledger's order references\n`,
          );
          return;
        }
        if (o.purpose === 'master') {
          const source = masterKeySource();
          if (source.kind === 'env') {
            const r = await rotateMasterKey(c, 'cli', newMasterKeyFromEnv());
            process.stdout.write(
              `master key ${r.from} → ${r.to}: ${r.keys} keys re-wrapped; set GATEKEEPER_MASTER_KEY to the key in GATEKEEPER_NEW_MASTER_KEY before the next start of every process (a running one takes the new key over only if it was started with it in GATEKEEPER_NEW_MASTER_KEY)\n`,
            );
            return;
          }
          const next = randomBytes(32);
          const r = await rotateMasterKey(c, 'cli', next, () => {
            stagePendingKey(source.file, next);
          });
          promotePendingKey(source.file);
          process.stdout.write(
            `master key ${r.from} → ${r.to}: ${r.keys} keys re-wrapped; the new key replaced ${source.file} (a running server reads the new file at its next request)\n`,
          );
          return;
        }
        if (o.purpose === 'ledger') {
          const r = await rotateLedgerKey(c, 'cli');
          process.stdout.write(
            `ledger signing key v${r.from} → v${r.to}: new verifier key ${r.vkey}\nthe handover checkpoint, signed by both keys:\n${r.handover}`,
          );
          return;
        }
        if (o.purpose === 'fingerprint') {
          const r = await rotateFingerprintKey(c, 'cli');
          process.stdout.write(
            `fingerprint key v${r.from} → v${r.to}: new first-time views use v${r.to}; ${r.kept} earlier views keep their version\n`,
          );
          return;
        }
        const bar = new SingleBar({
          format: 're-encrypting [{bar}] {value}/{total} sealed rows',
          stream: process.stderr,
          hideCursor: true,
        });
        const state = { started: false };
        const r = await rotateDataKey(c, 'cli', {
          batch: o.batch,
          onProgress: (done, total) => {
            if (!state.started) bar.start(total, 0);
            state.started = true;
            bar.update(done);
          },
        });
        if (state.started) bar.stop();
        process.stdout.write(
          `data key v${r.from} → v${r.to}: ${r.rows} orders and ${r.values} other sealed values re-encrypted; older versions retired\n`,
        );
        if (r.unopened > 0)
          process.stderr.write(
            `${r.unopened} sealed values do not open for their rows (written without the keys) and were left as they are: run \`gatekeeper ledger verify\`\n`,
          );
      });
    });

  const parties = program.command('parties').description('the parties orders pass through, and authorities');
  parties
    .command('create')
    .description('register a party (the operator may create any kind, in any platform’s tree)')
    .requiredOption('--kind <kind>', PARTY_KINDS.join(' | '))
    .requiredOption('--name <name>', 'display name')
    .option('--parent <id>', 'parent party (outlet for a station, station for a courier, …)')
    .option('--erp <id>', 'the ERP a merchant authorises')
    .option('--platform <id>', 'the platform a merchant, ERP or carrier joins (needed when the store holds several)')
    .option('--jurisdiction <ids>', 'a regulator’s or the police’s platforms, comma-separated, or * for all (default *)')
    .addOption(formatOption)
    .action(
      async (o: {
        kind: PartyKind;
        name: string;
        parent?: string;
        erp?: string;
        platform?: string;
        jurisdiction?: string;
        format: Format;
      }) => {
        await withCustody(async (c) => {
          const [p] = await createParties(c, { operator: 'cli' }, [
            {
              kind: o.kind,
              name: o.name,
              parent_id: o.parent,
              erp_id: o.erp,
              platform_id: o.platform,
              jurisdiction: o.jurisdiction?.split(',').map((x) => x.trim()),
            },
          ]);
          process.stdout.write(partyLine(p as Party, o.format));
        });
      },
    );
  parties
    .command('list')
    .description('list parties as JSON lines (id, kind, name, parent, platform), optionally of one kind or platform')
    .option('--kind <kind>', PARTY_KINDS.join(' | '))
    .option('--platform <id>', 'only this platform’s tree')
    .addOption(formatOption)
    .action(async (o: { kind?: string; platform?: string; format: Format }) => {
      await withCustody(async (c) => {
        for (const p of await listParties(c, o)) process.stdout.write(partyLine(p, o.format));
      });
    });

  const orders = program.command('orders').description('orders');
  orders
    .command('ingest')
    .description(
      'ingest NDJSON orders from a file or stdin for the platform; prints one result line per input line after its batch commits',
    )
    .argument('[file]', 'NDJSON file (default: stdin)')
    .option('--merchant <id>', 'the merchant of every order that names none')
    .option('--route <id>', 'the carrier, outlet, station or courier (with the parties above it) of every order that names no route')
    .action(async (file: string | undefined, o: { merchant?: string; route?: string }) => {
      if (file !== undefined && !existsSync(file)) throw new InvalidArgumentError(`${file}: no such file`);
      await withCustody(async (c) => {
        const platform = await platformParty(c, undefined, false);
        const defaults = { ...(o.merchant ? { merchant_id: o.merchant } : {}), ...(o.route ? await routeOf(c, o.route) : {}) };
        const input = boundedLines((file ? createReadStream(file) : process.stdin) as AsyncIterable<Buffer>, MAX_LINE);
        const { failed } = await ingestLines(c, platform, withDefaults(input, defaults), (results) => {
          for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
        });
        if (failed > 0) {
          process.stderr.write(`${failed} line(s) were not ingested: see their "error" above\n`);
          process.exitCode = 1;
        }
      });
    });

  orders
    .command('access-link')
    .description(
      "issue the order's consumer a link to who has seen the order (谁看过我的订单); prints the link and when it expires. The token is in the link's fragment: hand it to the consumer only",
    )
    .argument('<order>', "the order's internal id, or its platform order number")
    .option('--minutes <n>', `how long the link works (${TOKEN_MINUTES.min}..${TOKEN_MINUTES.max})`, String(TOKEN_MINUTES.default))
    .option('--base <url>', 'the public address of the consumer pages (default: GATEKEEPER_PUBLIC_URL, else http://localhost:8080)')
    .action(async (order: string, o: { minutes: string; base?: string }) => {
      if (!/^\d{1,6}$/.test(o.minutes)) throw new InvalidArgumentError('--minutes must be a whole number');
      const base = o.base ?? process.env.GATEKEEPER_PUBLIC_URL ?? 'http://localhost:8080';
      if (!/^https?:\/\/[^\s?#]+$/.test(base))
        throw new InvalidArgumentError('--base must be an http(s) address without a query or fragment');
      await withCustody(async (c) => {
        const issued = await issueAccessToken(c, { operator: 'cli' }, order, Number(o.minutes));
        process.stdout.write(
          `${JSON.stringify({ link: accessLink(base, issued.token), order_id: issued.order_id, expires_at: issued.expires_at })}\n`,
        );
      });
    });
}
