import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkJsonl } from './check-command.ts';

async function runJsonl(lines: string[]): Promise<Array<Record<string, unknown>>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await checkJsonl(Readable.from([lines.join('\n') + '\n']), out);
  return Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

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
    expect(out[1]).toMatchObject({ id: null, error: expect.stringContaining('text') as unknown });
    expect(out[2]).toMatchObject({ id: 3, error: expect.stringContaining('text') as unknown });
    expect(out[3]).toMatchObject({ id: 4, level: 'low' });
  });

  it('works end to end through npm run gatekeeper', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn('npm', ['run', '--silent', 'gatekeeper', '--', 'check', '--jsonl'], { cwd: root });
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
