import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial.ts';

describe('SerialQueue', () => {
  it('runs one task at a time in order, refuses beyond the queue, and goes on after a failure', async () => {
    const q = new SerialQueue(1, () => new Error('busy'));
    const order: string[] = [];
    let release!: () => void;
    const first = q.run(async () => {
      order.push('a start');
      await new Promise<void>((r) => (release = r));
      order.push('a end');
      throw new Error('a failed');
    });
    const second = q.run(() => {
      order.push('b');
      return Promise.resolve(2);
    });
    expect(() => q.run(() => Promise.resolve(3))).toThrow('busy');
    await Promise.resolve();
    release();
    await expect(first).rejects.toThrow('a failed');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['a start', 'a end', 'b']);
    await expect(q.run(() => Promise.resolve(4))).resolves.toBe(4);
  });
});
