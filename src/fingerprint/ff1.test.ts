import { describe, expect, it } from 'vitest';
import { DecimalFF1 } from './ff1.ts';

// NIST SP 800-38G's FF1 samples with radix 10 (csrc.nist.gov, "Examples with Intermediate Values": FF1samples.pdf).
const K128 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3C', 'hex');
const K192 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F', 'hex');
const K256 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94', 'hex');
const TWEAK = Buffer.from('39383736353433323130', 'hex');
const SAMPLES: [string, Buffer, Buffer, string][] = [
  ['sample 1 (AES-128)', K128, Buffer.alloc(0), '2433477484'],
  ['sample 2 (AES-128, tweak)', K128, TWEAK, '6124200773'],
  ['sample 4 (AES-192)', K192, Buffer.alloc(0), '2830668132'],
  ['sample 5 (AES-192, tweak)', K192, TWEAK, '2496655549'],
  ['sample 7 (AES-256)', K256, Buffer.alloc(0), '6657667009'],
  ['sample 8 (AES-256, tweak)', K256, TWEAK, '1001623463'],
];

describe('FF1 (radix 10)', () => {
  for (const [name, key, tweak, ct] of SAMPLES)
    it(`matches NIST ${name}`, () => {
      const f = new DecimalFF1(key, tweak);
      expect(f.encrypt(['0123456789'])).toEqual([ct]);
      expect(f.decrypt([ct])).toEqual(['0123456789']);
    });

  it('permutes 18-digit numbers in batches, and inverts them', () => {
    const f = new DecimalFF1(K256);
    const xs = Array.from({ length: 5000 }, (_, i) => String(i).padStart(18, '0'));
    const ys = f.encrypt(xs);
    expect(new Set(ys).size).toBe(xs.length);
    for (const y of ys) expect(y).toMatch(/^\d{18}$/);
    expect(f.decrypt(ys)).toEqual(xs);
    // A batch gives what one value at a time gives.
    expect(f.encrypt([xs[1234] as string])).toEqual([ys[1234]]);
    expect(f.encrypt(['999999999999999999'])[0]).toMatch(/^\d{18}$/);
  });

  it('refuses what it does not take', () => {
    const f = new DecimalFF1(K256);
    expect(() => f.encrypt(['12345'])).toThrow(/6 to 18 digits/);
    expect(() => f.encrypt(['1234567', '12345678'])).toThrow(/one length/);
    expect(() => f.encrypt(['12345a7'])).toThrow(/decimal/);
    expect(() => new DecimalFF1(Buffer.alloc(20))).toThrow(/16, 24 or 32/);
    expect(f.encrypt([])).toEqual([]);
  });
});
