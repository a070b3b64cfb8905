/** `gatekeeper check`: one text, readable; or `--jsonl`, a stream of {"id","text"} lines in, one result per line out. */
import { availableParallelism } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { check, checkInputSchema, type CheckResult } from '../check/index.ts';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';
import { checkLines } from './check-lines.ts';

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

/** The lines of a UTF-8 stream, without their "\n" or "\r\n"; readline does the same at a third of the speed. */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      yield text.charCodeAt(nl - 1) === 13 && nl > from ? text.slice(from, nl - 1) : text.slice(from, nl);
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  rest += decoder.end();
  if (rest) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** An output line for an input line that could not be checked (check-lines.ts writes `{"id", "error"}` first). */
const ERROR_LINE = /^\{"id":(?:null|"(?:[^"\\]|\\.)*"|[-+.\deE]+),"error":/gm;

/** Lines per batch: large enough to amortise messaging, small enough to keep memory flat. */
const BATCH = 256;
/** Batches checked or being checked but not yet written, with workers; bounds memory whatever the input size. */
const MAX_IN_FLIGHT = 16;

/**
 * Streams JSONL: one verdict per input line, same id, same order; a bad line gets an error line, not a
 * crash. With `workers` > 0, worker threads start at once and take batches as soon as they have loaded
 * the engine and have room; every other batch is checked on this thread, so a short input never waits for
 * them and a long one keeps every core busy. Output is written strictly in input order. Returns how many lines
 * got an error line.
 */
export async function checkJsonl(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, workers = 0): Promise<number> {
  const pool =
    workers > 0
      ? new WorkerPool<{ lines: string[]; first: number }, string>(workers, siblingModule(import.meta.url, './check-worker'))
      : undefined;
  const inFlight: Array<Promise<string>> = [];
  const maxInFlight = pool ? MAX_IN_FLIGHT : 1;
  let lineNo = 1;
  let failed = 0;
  let batch: string[] = [];
  const send = (): void => {
    const first = lineNo;
    lineNo += batch.length;
    const done = pool?.tryRun({ lines: batch, first });
    if (done) {
      // A failed worker fails every batch it holds; the first one awaited is the one reported.
      done.catch(() => undefined);
      inFlight.push(done);
    } else inFlight.push(Promise.resolve(checkLines(batch, first)));
    batch = [];
  };
  const writeHead = async (): Promise<void> => {
    const out = await (inFlight.shift() as Promise<string>);
    failed += out.match(ERROR_LINE)?.length ?? 0;
    if (out && !output.write(out)) await new Promise<void>((resolve) => output.once('drain', resolve));
  };
  try {
    for await (const line of lines(input)) {
      batch.push(line);
      if (batch.length < BATCH) continue;
      send();
      while (inFlight.length >= maxInFlight) await writeHead();
    }
    if (batch.length > 0) send();
    while (inFlight.length > 0) await writeHead();
  } finally {
    await pool?.close();
  }
  return failed;
}

function wholeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('workers must be a whole number from 0 to 64');
  return n;
}

/** Adds `check`. The registry (and with it the store) is loaded only for `--registry`, so a plain check starts fast. */
export function addCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check a text, transcript, number or link (检测)')
    .argument('[text...]', 'the text; omit it to read stdin')
    .option('--jsonl', 'batch: read {"id","text"} lines on stdin, write one JSON result per line')
    .option('--workers <n>', 'worker threads for --jsonl besides this one (0: none)', wholeNumber, availableParallelism() - 1)
    .option('--json', 'print the result as JSON')
    .option('--caller <number>', 'the number that called or sent it')
    .addOption(new Option('--channel <channel>', 'how it arrived').choices(['call', 'sms', 'chat']))
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['zh', 'en']).default('zh'))
    .option('--registry', 'also cite the store’s official channels, never-do policies and reputation')
    .action(
      async (
        words: string[],
        opts: {
          jsonl?: boolean;
          workers: number;
          json?: boolean;
          caller?: string;
          channel?: string;
          lang: 'zh' | 'en';
          registry?: boolean;
        },
      ) => {
        if (opts.jsonl) {
          const failed = await checkJsonl(process.stdin, process.stdout, opts.workers);
          if (failed > 0) {
            process.stderr.write(`${String(failed)} line(s) were not checked: see their "error" above\n`);
            process.exitCode = 1;
          }
          return;
        }
        let text = words.join(' ');
        if (!text) {
          const chunks: Buffer[] = [];
          for await (const c of process.stdin) chunks.push(c as Buffer);
          text = Buffer.concat(chunks).toString('utf8');
        }
        const parsed = checkInputSchema.safeParse({ text, caller: opts.caller, channel: opts.channel });
        if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
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
