import { spawn, spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkJsonl } from './check-command.ts';
import { checkLines } from './check-lines.ts';
import { until } from '../shared/test-until.ts';
import { siblingModule, WorkerPool } from '../shared/worker-pool.ts';

async function runRaw(input: Array<string | Buffer>, workers = 0): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await checkJsonl(Readable.from(input), out, workers);
  return Buffer.concat(chunks).toString('utf8');
}

async function runJsonl(lines: string[]): Promise<Array<Record<string, unknown>>> {
  return (await runRaw([lines.join('\n') + '\n']))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sample = (n: number): string[] =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: i, text: i % 3 ? `订单${String(i)}：请把验证码告诉我，给您三倍赔偿` : '您的快递已到驿站' }),
  );

describe('check --jsonl batch contract', () => {
  it('answers every line with the same id, in order', async () => {
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ id: `t${String(i)}`, text: i % 2 ? '请把验证码告诉我，给您三倍赔偿' : '晚上吃饭吗' }),
    );
    const out = await runJsonl(lines);
    expect(out.map((o) => o.id)).toEqual(Array.from({ length: 300 }, (_, i) => `t${String(i)}`));
    expect(out[1]?.level).toBe('high');
    expect(out[0]?.level).toBe('low');
    expect(out[0]).not.toHaveProperty('text');
  });

  it('answers a bad line with an error naming the problem and goes on', async () => {
    const out = await runJsonl([
      'not json',
      JSON.stringify({ id: 2 }),
      JSON.stringify({ id: 3, text: '' }),
      JSON.stringify({ id: 4, text: '你好' }),
    ]);
    expect(out[0]).toMatchObject({ id: null, error: expect.stringContaining('not JSON') as unknown });
    expect(out[1]).toMatchObject({ id: 2, error: expect.stringContaining('text') as unknown });
    expect(out[2]).toMatchObject({ id: 3, error: expect.stringContaining('text') as unknown });
    expect(out[3]).toMatchObject({ id: 4, level: 'low' });
  });

  it('counts the lines it could not check, and the command then exits 1 saying how many', async () => {
    const out = new PassThrough();
    out.resume();
    const lines = ['not json', JSON.stringify({ id: 'y,"error":"', text: '你好' }), JSON.stringify({ id: 3, text: '' })];
    expect(await checkJsonl(Readable.from([lines.join('\n')]), out)).toBe(2);
    const bin = spawnSync('node', ['bin/gatekeeper.js', 'check', '--jsonl'], { cwd: ROOT, input: lines.join('\n'), encoding: 'utf8' });
    expect([bin.status, bin.stderr]).toEqual([1, '2 line(s) were not checked: see their "error" above\n']);
    expect(bin.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('splits lines across chunk boundaries, inside a UTF-8 character and at CRLF, and takes a last line without newline', async () => {
    const lines = sample(5);
    const bytes = Buffer.from(lines.join('\r\n'));
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40, 41), bytes.subarray(41)];
    expect(await runRaw(chunks)).toBe(checkLines(lines, 1));
  });

  it('gives the same output, in order, with worker threads', async () => {
    const lines = sample(6000);
    expect(await runRaw([lines.join('\n') + '\n'], 2)).toBe(checkLines(lines, 1));
  });

  it('a worker checks a batch exactly as this thread does', async () => {
    const pool = new WorkerPool<{ lines: string[]; first: number }, string>(1, siblingModule(import.meta.url, './check-worker'));
    try {
      const lines = sample(50);
      expect(await until(() => pool.tryRun({ lines, first: 10 }), 50)).toBe(checkLines(lines, 10));
    } finally {
      await pool.close();
    }
  });

  it('the installed command (compiled lib/) answers as the sources do', () => {
    const input = sample(20).join('\n') + '\n';
    const bin = spawnSync('node', ['bin/gatekeeper.js', 'check', '--jsonl'], { cwd: ROOT, input, encoding: 'utf8' });
    expect(bin.stderr, 'run `npm run build` if lib/ is stale').toBe('');
    expect(bin.stdout).toBe(checkLines(sample(20), 1));
  });

  it('works end to end through npm run gatekeeper', async () => {
    const child = spawn('npm', ['run', '--silent', 'gatekeeper', '--', 'check', '--jsonl'], { cwd: ROOT });
    child.stdin.end(['{"id":"a","text":"加我QQ办理理赔，先交保证金"}', '{"id":"b","text":"您的快递已到驿站"}'].join('\n') + '\n');
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; level: string });
    expect(rows.map((r) => [r.id, r.level])).toEqual([
      ['a', 'high'],
      ['b', 'low'],
    ]);
  });
});
