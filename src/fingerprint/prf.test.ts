import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prf } from './prf.ts';

describe('prf', () => {
  it('is HMAC-SHA256 of the parts joined by "|", for any key length and any text', () => {
    const texts = ['', 'bit', '收件人|张三', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), '宽'.repeat(300), '😀|\u0000|end'];
    for (const len of [1, 16, 32, 63, 64, 65, 100, 200]) {
      const key = randomBytes(len);
      for (const t of texts) {
        const parts = [t, 7, 'o_0123456789abcdef'];
        const want = createHmac('sha256', key).update(parts.join('|')).digest();
        expect(prf(key, ...parts).equals(want)).toBe(true);
      }
    }
  });

  it('gives each call its own bytes', () => {
    const key = randomBytes(32);
    const a = prf(key, 'a');
    const copy = Buffer.from(a);
    prf(key, 'b');
    expect(a.equals(copy)).toBe(true);
  });
});
