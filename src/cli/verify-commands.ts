/** `gatekeeper channels …`, `contacts record`, `verify caller` and `reputation …` on the default store or DATABASE_URL. */
import { InvalidArgumentError, type Command } from 'commander';
import { getParty, type Custody, type Party } from '../custody/index.ts';
import {
  bucketEntries,
  callerVerdict,
  CHANNEL_KINDS,
  contactAnswer,
  decideAppeal,
  directory,
  findContacts,
  identifierSchema,
  listAppeals,
  lookupIdentifier,
  NEVER_ASKS,
  numberAnswer,
  openAppeal,
  recordContacts,
  register,
  reportIdentifiers,
  topSubjects,
  type ContactInput,
} from '../verify/index.ts';
import { withCustody } from './custody-commands.ts';
import { fileLines, onFileLines } from './file-lines.ts';

const print = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const list = (v: string, prev: string[] = []): string[] => [...prev, v];

async function partyOrPlatform(c: Custody, id: string | undefined): Promise<Party> {
  if (id) {
    const p = await getParty(c, id);
    if (!p) throw new InvalidArgumentError(`no party ${id}`);
    return p;
  }
  const row = await c.store.db.selectFrom('parties').select('id').where('kind', '=', 'platform').orderBy('created_at').executeTakeFirst();
  if (!row) throw new InvalidArgumentError('there is no platform yet: run `gatekeeper keys create` first');
  return (await getParty(c, row.id)) as Party;
}

function identifier(kind: string, value: string): { kind: 'phone' | 'bank_card' | 'alipay' | 'wechat' | 'qq' | 'domain'; value: string } {
  const r = identifierSchema.safeParse({ kind, value });
  if (!r.success) throw new InvalidArgumentError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** Adds the verify and reputation commands. */
export function addVerifyCommands(program: Command): void {
  const channels = program.command('channels').description('official channels and never-do policies (核验登记)');
  const reg = channels
    .command('register')
    .description('register official channels for an organisation (default: the platform), and optionally its never-do list')
    .option('--party <id>', 'the organisation');
  for (const k of CHANNEL_KINDS) reg.option(`--${k} <value>`, `a ${k} (repeatable)`, list);
  reg
    .option('--never <asks>', `comma-separated: ${NEVER_ASKS.join(', ')}`)
    .action(async (o: Record<string, string[] | string | undefined> & { party?: string; never?: string }) => {
      await withCustody(async (c) => {
        const target = await partyOrPlatform(c, o.party);
        const chans = CHANNEL_KINDS.flatMap((k) => ((o[k] as string[] | undefined) ?? []).map((value) => ({ kind: k, value })));
        const never = o.never?.split(',').map((s) => s.trim()) as (typeof NEVER_ASKS)[number][] | undefined;
        print(await register(c, target, { channels: chans, ...(never ? { never } : {}) }));
      });
    });
  channels
    .command('list')
    .description('print the public directory')
    .action(async () => {
      await withCustody(async (c) => {
        print(await directory(c));
      });
    });

  program
    .command('contacts')
    .description('outbound contact records')
    .command('record')
    .description("file the platform's outbound contacts from a JSON lines file (one contact per line, all or none)")
    .argument('<file>', 'JSON lines: {"agent_id","platform_order_id","channel","number_used","at","reason"}')
    .option('--agent <id>', 'the CS agent of every line that names none')
    .option('--at <time>', 'when the contacts on lines without "at" were made (ISO 8601 with an offset)')
    .action(async (file: string, o: { agent?: string; at?: string }) => {
      const lines = fileLines(file);
      const fill = { ...(o.agent ? { agent_id: o.agent } : {}), ...(o.at ? { at: o.at } : {}) };
      const items = lines.map(({ line, text }) => {
        let item: unknown;
        try {
          item = JSON.parse(text);
        } catch {
          throw new InvalidArgumentError(`line ${String(line)} is not JSON`);
        }
        if (typeof item !== 'object' || item === null || Array.isArray(item))
          throw new InvalidArgumentError(`line ${String(line)} is not a JSON object`);
        return { ...fill, ...(item as ContactInput) };
      });
      await withCustody(async (c) => {
        const platform = await partyOrPlatform(c, undefined);
        print(
          await recordContacts(c, platform, items).catch((e: unknown) => {
            throw onFileLines(e, lines);
          }),
        );
      });
    });

  program
    .command('verify')
    .description('did the platform really contact me? (核验来电)')
    .command('caller')
    .description('is a number official; with --phone also look up the contact records k-anonymously')
    .argument('<number>', 'the number that called')
    .option('--phone <mine>', 'your own phone number (hashed locally, never stored)')
    .option('--days <n>', 'how far back to look', '7')
    .option('--lang <lang>', 'zh or en', 'zh')
    .action(async (number: string, o: { phone?: string; days: string; lang: 'zh' | 'en' }) => {
      await withCustody(async (c) => {
        const v = await callerVerdict(c, number);
        const days = Math.min(31, Math.max(1, Number(o.days) || 7));
        const window = { from: new Date(Date.now() - days * 86_400_000).toISOString(), to: new Date().toISOString() };
        const found = o.phone ? await findContacts(o.phone, number, window, v.lookup, (q) => bucketEntries(c, q)) : [];
        const answer = o.phone ? contactAnswer(v, found) : numberAnswer(v);
        process.stdout.write(`${answer[o.lang]}\n`);
      });
    });

  const rep = program.command('reputation').description('reported numbers, accounts and domains, and appeals');
  rep
    .command('lookup')
    .argument('<kind>', 'phone, bank_card, alipay, wechat, qq or domain')
    .argument('<value>')
    .action(async (kind: string, value: string) => {
      await withCustody(async (c) => {
        const id = identifier(kind, value);
        print(await lookupIdentifier(c, id.kind, id.value));
      });
    });
  rep
    .command('report')
    .description('report as an authenticated party (weighted as such)')
    .argument('<kind>')
    .argument('<value>')
    .option('--party <id>', 'the reporting party (default: the platform)')
    .action(async (kind: string, value: string, o: { party?: string }) => {
      await withCustody(async (c) => {
        const p = await partyOrPlatform(c, o.party);
        print(await reportIdentifiers(c, [identifier(kind, value)], { reporter: `party:${p.id}`, source: 'party' }));
      });
    });
  rep
    .command('appeal')
    .description('appeal against an entry as its owner; prints the appeal id and token')
    .argument('<kind>')
    .argument('<value>')
    .requiredOption('--reason <text>', 'why the entry is wrong')
    .option('--contact <text>', 'how to reach you')
    .action(async (kind: string, value: string, o: { reason: string; contact?: string }) => {
      await withCustody(async (c) => {
        const id = identifier(kind, value);
        print(await openAppeal(c, id.kind, id.value, o.reason, o.contact));
      });
    });
  rep
    .command('decide')
    .description('decide an appeal')
    .argument('<id>')
    .argument('<decision>', 'upheld or rejected')
    .requiredOption('--note <text>', 'the reason for the decision')
    .option('--party <id>', 'the deciding party (default: the platform)')
    .action(async (id: string, decision: string, o: { note: string; party?: string }) => {
      if (decision !== 'upheld' && decision !== 'rejected') throw new InvalidArgumentError('decision must be upheld or rejected');
      await withCustody(async (c) => {
        print(await decideAppeal(c, await partyOrPlatform(c, o.party), id, decision, o.note));
      });
    });
  rep
    .command('list')
    .description('the most reported entries (masked) and open appeals')
    .action(async () => {
      await withCustody(async (c) => {
        print({ entries: await topSubjects(c), appeals: await listAppeals(c, 'open') });
      });
    });
}
