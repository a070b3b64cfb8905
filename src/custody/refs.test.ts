import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshSqlite } from '../store/test-stores.ts';
import { Keyring } from './keyring.ts';
import { addressIndex, blindIndex, orderRef, phoneIndex } from './refs.ts';

describe('keyed references', () => {
  it('are the HMAC-SHA256 values stores already hold', async () => {
    const store = await freshSqlite();
    try {
      const k = await Keyring.load(store, randomBytes(32));
      const hmac = (m: string): string => createHmac('sha256', k.key('index', 1)).update(m).digest('hex');
      expect(phoneIndex(k, '13800138000')).toBe(hmac('phone|13800138000'));
      expect(addressIndex(k, '杭州市西湖区幸福路8号3#2-201')).toBe(hmac('address|杭州市西湖区幸福路8号3#2-201'));
      expect(orderRef(k, 'o_0123456789abcdef')).toBe(hmac('order|o_0123456789abcdef').slice(0, 32));
      expect(blindIndex(k, 'case', 'a|b')).toBe(hmac('case|a|b'));
    } finally {
      await store.close();
    }
  });
});
