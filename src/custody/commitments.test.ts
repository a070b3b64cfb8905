import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { commitTo, entrySalt, isCommitment, leafBinds } from './commitments.ts';
import { custodyOn } from './context.ts';

describe('ledger leaf commitments', () => {
  it('are SHA-256 of the salt and the value, as an outside checker recomputes them from an opening', () => {
    const salt = randomBytes(32);
    const expected = 'c:' + createHash('sha256').update(salt).update('17000000042', 'utf8').digest('base64url');
    expect(commitTo(salt, '17000000042')).toBe(expected);
    expect(isCommitment(expected)).toBe(true);
    expect(isCommitment('17000000042')).toBe(false);
  });

  it('bind one value at one index: another number, another index or a legacy clear value elsewhere does not open', async () => {
    const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
    try {
      const k = c.keyring;
      const leaf = commitTo(entrySalt(k, 7), '17000000042');
      expect(leafBinds(k, 7, leaf, '17000000042')).toBe(true);
      expect(leafBinds(k, 7, leaf, '17000000043')).toBe(false);
      expect(leafBinds(k, 8, leaf, '17000000042')).toBe(false);
      expect(entrySalt(k, 7).equals(entrySalt(k, 8))).toBe(false);
      // Leaves written before commitments carry the number itself.
      expect(leafBinds(k, 7, '17000000042', '17000000042')).toBe(true);
      expect(leafBinds(k, 7, '17000000042', '17000000043')).toBe(false);
    } finally {
      await c.store.close();
    }
  });
});
