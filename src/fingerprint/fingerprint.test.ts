import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aliasesOf, ledgerIndexesOf, numberStart, parsePool, poolNumber } from './alias.ts';
import { principalBlock, viewBits } from './code.ts';
import { bias } from './tardos.ts';
import { canonicalAddress, normalizeAddress, readBits, renderView, SLOTS, type RenderInput, type ViewField } from './variants.ts';

const order: RenderInput = {
  name: '王小明',
  phone: '13812345678',
  virtualNumber: '17000012345',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  street: '文三路90号',
  building: '3',
  unit: '1',
  room: '501',
  itemTitle: '加厚羽绒服女款冬季中长款外套',
  itemSpec: ['黑色', 'XL'],
  quantity: 1,
  priceCents: 59990,
  orderedAt: '2026-11-20T06:05:37Z',
};
const ALL: ViewField[] = ['item', 'price', 'quantity', 'time', 'name', 'phone', 'address'];

describe('fingerprinted views', () => {
  const key = randomBytes(32);

  it('reads back exactly the bits it rendered, for many recipients', () => {
    for (let i = 0; i < 200; i++) {
      const bits = viewBits(key, 1, `o${i}`, { account: `a${i}`, org: `g${i % 7}` }, ALL, order);
      const view = renderView(ALL, order, bits);
      const leaked = Object.fromEntries(Object.entries(view).map(([k, v]) => [k, String(v)]));
      expect(readBits(leaked, order)).toEqual(bits);
    }
  });

  it('renders the same view for the same recipient every time, and org-level bits agree across an org', () => {
    const a = viewBits(key, 1, 'o1', { account: 'staff1', org: 'm1' }, ALL, order);
    expect(viewBits(key, 1, 'o1', { account: 'staff1', org: 'm1' }, ALL, order)).toEqual(a);
    const b = viewBits(key, 1, 'o1', { account: 'staff2', org: 'm1' }, ALL, order);
    SLOTS.forEach((s, i) => {
      if (s.level === 'org') expect(b[i]).toBe(a[i]);
    });
  });

  it('never reveals more in one variant than another (masks, digits, groups)', () => {
    const views = Array.from({ length: 64 }, (_, i) =>
      renderView(ALL, order, viewBits(key, 1, 'o1', { account: `p${i}`, org: `p${i}` }, ALL, order)),
    );
    for (const v of views) {
      expect(String(v.name)).toMatch(/^王[*＊]{1,2}$/);
      expect(String(v.phone).replaceAll(' ', '')).toBe(order.virtualNumber);
      expect(String(v.address)).not.toContain('13812345678');
    }
  });

  it('normalises every rendering of an address to one form, and common retypings too', () => {
    const canon = canonicalAddress(order);
    for (let i = 0; i < 64; i++) {
      const v = renderView(['address'], order, viewBits(key, 1, 'o1', { account: `p${i}`, org: `p${i}` }, ['address'], order));
      expect(normalizeAddress(String(v.address))).toBe(canon);
    }
    expect(normalizeAddress('浙江省 杭州市西湖区文三路90号3幢1单元501室')).toBe(canon);
    expect(canon).toBe('杭州市西湖区文三路90号3#1-501');
    const shanghai = { ...order, province: '上海市', city: '上海市', district: '浦东新区' };
    expect(normalizeAddress(`上海市${canonicalAddress(shanghai)}`)).toBe(canonicalAddress(shanghai));
  });

  it('gives unreadable (retyped) values as erasures, not guesses', () => {
    const bits = readBits({ name: '王先生', address: '杭州西湖文三路', time: '11月20日下午' }, order);
    expect(bits.every((b) => b === null)).toBe(true);
  });

  it('draws biases from the arcsine law within [t, 1-t]', () => {
    const t = 1 / 1500;
    expect(bias(0)).toBeCloseTo(t, 10);
    expect(bias(1)).toBeCloseTo(1 - t, 10);
    expect(bias(0.5)).toBeCloseTo(0.5, 10);
  });

  it('makes 19-digit aliases that decipher to their ledger index, and draws virtual numbers from the configured pool', () => {
    const idx = [0, 1, 2, 41, 10 ** 12];
    const aliases = aliasesOf(key, idx);
    for (const a of aliases) expect(a).toMatch(/^2\d{18}$/);
    expect(new Set(aliases).size).toBe(idx.length);
    expect(ledgerIndexesOf(key, [...aliases, '12345', '3000000000000000000'])).toEqual([...idx, null, null]);
    expect(aliasesOf(randomBytes(32), idx)).not.toEqual(aliases);
    const pool = parsePool('17000000000-17000000009,17100000000-17100000009');
    const start = numberStart(principalBlock(key, 1, 'p1', 'o1'), pool);
    expect(start).toBeLessThan(20);
    // The start comes from bytes no slot reads.
    expect(SLOTS.length * 2).toBeLessThanOrEqual(28);
    expect(pool.size).toBe(20);
    expect(poolNumber(pool, 12)).toBe('17100000002');
    expect(() => parsePool('123-456')).toThrow('GATEKEEPER_VN_POOL');
  });
});
