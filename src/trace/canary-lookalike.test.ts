import { describe, expect, it } from 'vitest';
import { buildWorld } from '../custody/test-world.ts';
import { openStore } from '../store/index.ts';
import { canaryLooks, roadOf } from './canary-lookalike.ts';

describe('canary looks', () => {
  it('takes the road of a street, never the house', () => {
    expect(roadOf('文三路88号')).toBe('文三路');
    expect(roadOf('古墩 路 12 号 3 幢')).toBe('古墩路');
    expect(roadOf('西溪街道文二路8号')).toBe('西溪街道文二路');
    expect(roadOf('西溪街道')).toBeNull();
    expect(roadOf('88号')).toBeNull();
  });

  it('draws items, roads, homes and times from the outlet’s real orders', async () => {
    const w = await buildWorld(await openStore({ url: ':memory:' }), 12);
    try {
      const looks = await canaryLooks(w.c, w.outlet.id, w.merchant.id, 200);
      const bases = Array.from({ length: 10 }, (_, h) => Date.parse(`2026-11-20T0${String(h)}:05:37Z`));
      expect(looks).toHaveLength(200);
      const prices = new Set(looks.map((l) => l.item.price_cents));
      // The world's orders cost 29,900 + i cents for order i: every canary's price is one of theirs.
      for (const p of prices) expect(p - 29_900).toBeGreaterThanOrEqual(0);
      expect(prices.size).toBeGreaterThan(5);
      for (const l of looks) {
        expect(l.item.title).toBe('加厚羽绒服女款冬季中长款外套');
        expect(l.street).toMatch(/^文三路\d+号$/);
        expect(l.region).toEqual({ province: '浙江省', city: '杭州市', district: '西湖区' });
        expect(l.paid_at >= l.ordered_at).toBe(true);
        // The world's homes: building 1-9, unit 1, room 101-120; its orders were placed at hh:05 on 2026-11-20.
        expect(Number(l.building)).toBeLessThanOrEqual(9);
        expect(l.unit).toBe('1');
        expect(Number(l.room)).toBeGreaterThanOrEqual(101);
        expect(Number(l.room)).toBeLessThanOrEqual(120);
        const t = Date.parse(l.ordered_at);
        expect(Math.min(...bases.map((b) => Math.abs(t - b)))).toBeLessThanOrEqual(20 * 60_000);
      }
      expect(new Set(looks.map((l) => l.ordered_at.slice(0, 16))).size).toBeGreaterThan(60);
      expect(new Set(looks.map((l) => l.name)).size).toBeGreaterThan(150);
      expect(await canaryLooks(w.c, 'no-such-outlet', w.merchant.id, 3)).toEqual([]);
    } finally {
      await w.c.close();
    }
  });
});
