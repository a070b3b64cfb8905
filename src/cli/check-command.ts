/** `gatekeeper check`: one text, readable; or `--jsonl`, a stream of {"id","text"} lines in, one result per line out. */
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { z } from 'zod';
import { check, checkInputSchema, type CheckResult } from '../check/index.ts';

const LEVEL_ZH = { high: '高风险', medium: '有风险', low: '低风险' } as const;
const COLOR = { high: '\x1b[41;97m', medium: '\x1b[43;30m', low: '\x1b[42;30m' } as const;

/** Marks spans in the text with 【】 and, on a terminal, colour. */
export function markSpans(text: string, r: CheckResult, tty: boolean): string {
  const spans = [...r.spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos) continue;
    out += text.slice(pos, s.start);
    const inner = text.slice(s.start, s.end);
    out += tty ? `\x1b[1;31m【${inner}】\x1b[0m` : `【${inner}】`;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/** The readable report for one result. */
export function formatResult(r: CheckResult, lang: 'zh' | 'en', tty: boolean): string {
  const reset = tty ? '\x1b[0m' : '';
  const head = `${tty ? COLOR[r.level] : ''} ${lang === 'zh' ? LEVEL_ZH[r.level] : r.level.toUpperCase()} ${reset} risk ${r.risk.toFixed(2)}`;
  const lines = [head, '', markSpans(r.text, r, tty), ''];
  for (const t of r.types) lines.push(`• ${t[lang]}`);
  for (const t of r.traps) lines.push(`• ${t[lang]}`);
  for (const a of r.asks) lines.push(`• ${lang === 'zh' ? '危险要求：' : 'Dangerous ask: '}${a[lang]}`);
  for (const c of r.channel) lines.push(`• ${c[lang]}`);
  lines.push('', ...r.advice[lang].map((a) => `→ ${a}`));
  return lines.join('\n');
}

const batchLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

/** Streams JSONL: one verdict per input line, same id, same order; a bad line gets an error line, not a crash. */
export async function checkJsonl(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let buf = '';
  const flush = async (): Promise<void> => {
    if (!output.write(buf)) await new Promise<void>((resolve) => output.once('drain', resolve));
    buf = '';
  };
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let id: string | number | null = null;
    try {
      const row = batchLine.parse(JSON.parse(line));
      id = row.id;
      const parsed = checkInputSchema.safeParse({ text: row.text });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { text: _omit, ...result } = check(parsed.data);
      buf += JSON.stringify({ id, ...result }) + '\n';
    } catch (e) {
      const msg =
        e instanceof z.ZodError
          ? e.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')
          : e instanceof SyntaxError
            ? 'line is not JSON'
            : (e as Error).message;
      buf += JSON.stringify({ id, error: `line ${String(lineNo)}: ${msg}` }) + '\n';
    }
    if (buf.length > 1 << 16) await flush();
  }
  if (buf) await flush();
}

/** Adds `check`. The registry (and with it the store) is loaded only for `--registry`, so a plain check starts fast. */
export function addCheckCommand(program: Command): void {
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
        if (!parsed.success)
          throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        let knowledge;
        if (opts.registry) {
          const { knowledgeFor } = await import('../verify/index.ts');
          const { withCustody } = await import('./custody-commands.ts');
          knowledge = await withCustody((c) => knowledgeFor(c, parsed.data));
        }
        const r = check(parsed.data, knowledge);
        process.stdout.write((opts.json ? JSON.stringify(r, null, 2) : formatResult(r, opts.lang, process.stdout.isTTY)) + '\n');
      },
    );
}
