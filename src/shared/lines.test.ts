import { describe, expect, it } from 'vitest';
import { boundedLines } from './lines.ts';

async function collect(chunks: (string | Uint8Array)[], max: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const l of boundedLines(chunks, max)) out.push(l);
  return out;
}

describe('boundedLines', () => {
  it('splits LF and CRLF lines across chunk boundaries, keeping multi-byte characters whole', async () => {
    const text = Buffer.from('第一行\r\n第二行\n\nlast');
    const chunks = [...text].map((b) => Uint8Array.of(b));
    expect(await collect(chunks, 100)).toEqual(['第一行', '第二行', '', 'last']);
  });

  it('drops an over-long line as it arrives and carries on with the next', async () => {
    const long = 'x'.repeat(50);
    expect(await collect([`ok\n${long.slice(0, 20)}`, long.slice(20), '\nafter\n'], 10)).toEqual(['ok', { tooLong: 50 }, 'after']);
  });

  it('reports a 128 MB line without a newline as one over-long line', async () => {
    function* endless(): Generator<Uint8Array> {
      for (let i = 0; i < 2000; i++) yield new Uint8Array(64 * 1024).fill(0x41);
    }
    const out: unknown[] = [];
    for await (const l of boundedLines(endless(), 64 * 1024)) out.push(l);
    expect(out).toEqual([{ tooLong: 2000 * 64 * 1024 }]);
  });
});
