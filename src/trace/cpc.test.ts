import { describe, expect, it } from 'vitest';
import { logBinomialTail } from './cpc.ts';

describe('the binomial tail behind CPC triage', () => {
  it('matches exact values', () => {
    expect(Math.exp(logBinomialTail(10, 0.5, 8))).toBeCloseTo(56 / 1024, 12);
    expect(Math.exp(logBinomialTail(20, 0.01, 1))).toBeCloseTo(1 - 0.99 ** 20, 12);
    expect(logBinomialTail(5, 0.1, 0)).toBe(0);
    expect(logBinomialTail(5, 0, 1)).toBe(-Infinity);
  });

  it('stays finite far in the tail', () => {
    const l = logBinomialTail(50, 2e-4, 20);
    expect(Number.isFinite(l)).toBe(true);
    expect(l / Math.LN10).toBeLessThan(-50);
  });
});

describe('CPC triage over reports', () => {
  it('ranks the courier whose orders were reported first, and clears its station-mate within the station', async () => {
    const { buildWorld } = await import('../custody/test-world.ts');
    const { freshSqlite } = await import('../store/test-stores.ts');
    const { cpcTriage } = await import('./cpc.ts');
    const w = await buildWorld(await freshSqlite(), 40);
    try {
      // Orders alternate between the two couriers of one station; victims are all the first courier's.
      const reported = w.orderIds.filter((_, i) => i % 2 === 0).slice(0, 12);
      const r = await cpcTriage(w.c, reported);
      expect(r.accused).toEqual([]);
      const courier = r.suspects.find((s) => s.party === w.courier.id);
      const other = r.suspects.find((s) => s.party === w.courier2.id);
      expect(courier?.reports).toBe(12);
      expect(other).toBeUndefined();
      expect(courier?.log10PWithinParent).toBeLessThan(-3);
      const station = r.suspects.find((s) => s.party === w.station.id);
      expect(station?.log10PWithinParent).toBeGreaterThan(-1);
    } finally {
      await w.c.close();
    }
  });
});

describe('CPC triage against framing', () => {
  it('counts one consumer’s reports once, and takes shares among the reported platforms’ orders only', async () => {
    const { buildWorld, sampleOrder } = await import('../custody/test-world.ts');
    const { freshSqlite } = await import('../store/test-stores.ts');
    const { createParties, ingestOrders } = await import('../custody/index.ts');
    const { cpcTriage } = await import('./cpc.ts');
    const w = await buildWorld(await freshSqlite(), 40);
    try {
      // A second order of the consumer of order 0 (same phone), and a big second platform in the same store.
      const [again] = await ingestOrders(w.c, w.platform, [{ ...sampleOrder(w, 0), platform_order_id: 'T-AGAIN' }]);
      const made = async (spec: Parameters<typeof createParties>[2][number]): Promise<Awaited<ReturnType<typeof createParties>>[number]> =>
        (await createParties(w.c, { operator: 'test' }, [spec]))[0] as Awaited<ReturnType<typeof createParties>>[number];
      const other = await made({ kind: 'platform', name: '乙平台' });
      const merchant = await made({ kind: 'merchant', name: '乙店', platform_id: other.id });
      const carrier = await made({ kind: 'carrier', name: '乙快递', platform_id: other.id });
      const outlet = await made({ kind: 'outlet', name: '乙网点', parent_id: carrier.id });
      const station = await made({ kind: 'station', name: '乙驿站', parent_id: outlet.id });
      const courier = await made({ kind: 'courier', name: '乙快递员', parent_id: station.id });
      const chain = {
        merchant_id: merchant.id,
        carrier_id: carrier.id,
        outlet_id: outlet.id,
        station_id: station.id,
        courier_id: courier.id,
      };
      const big = await ingestOrders(
        w.c,
        other,
        Array.from({ length: 200 }, (_, i) => ({ ...sampleOrder(w, 500 + i), ...chain, platform_order_id: `B${String(i)}` })),
      );
      expect(big.filter((r) => 'id' in r)).toHaveLength(200);
      const one = await cpcTriage(w.c, [w.orderIds[0] as string, (again as { id: string }).id]);
      expect(one.reports).toBe(1);
      // Two consumers of platform A: its merchant handled all of A's orders, so its share is 1 and nothing stands out.
      const two = await cpcTriage(w.c, [w.orderIds[0] as string, w.orderIds[1] as string]);
      expect(two.reports).toBe(2);
      expect(two.suspects.find((s) => s.party === w.merchant.id)?.log10P).toBe(0);
      // A report on the big platform beside them changes nothing for platform A's parties.
      const bOrder = (big[0] as { id: string }).id;
      const mixed = await cpcTriage(w.c, [w.orderIds[0] as string, w.orderIds[1] as string, bOrder]);
      expect(mixed.reports).toBe(3);
      expect(mixed.suspects.find((s) => s.party === w.merchant.id)?.log10P).toBe(0);
      expect(mixed.suspects.find((s) => s.party === merchant.id)?.log10P).toBe(0);
    } finally {
      await w.c.close();
    }
  });
});

describe('EM attribution across several sources', () => {
  it('splits reports between two leakers, leaving the rest unattributed', async () => {
    const { emSources } = await import('./cpc.ts');
    // 1,000 orders; courier A handled 0-99, courier B 100-199; every order also has one of 10 big handlers.
    const share = new Map<string, number>([
      ['A', 100],
      ['B', 100],
      ...Array.from({ length: 10 }, (_, k): [string, number] => [`big${k}`, 100]),
    ]);
    const order = (i: number): Set<string> => new Set([`big${i % 10}`, ...(i < 100 ? ['A'] : i < 200 ? ['B'] : [])]);
    const reports = [
      ...Array.from({ length: 30 }, (_, k) => order(k * 3)),
      ...Array.from({ length: 20 }, (_, k) => order(100 + k * 4)),
      ...Array.from({ length: 10 }, (_, k) => order(300 + k * 37)),
    ];
    const s = emSources(reports, share, 1000);
    expect(
      s
        .slice(0, 2)
        .map((x) => x.party)
        .sort(),
    ).toEqual(['A', 'B']);
    const a = s.find((x) => x.party === 'A');
    const b = s.find((x) => x.party === 'B');
    expect(a?.reports).toBeGreaterThan(25);
    expect(b?.reports).toBeGreaterThan(15);
    // The rest spreads over the big handlers and "elsewhere", which reports alone cannot tell apart.
    expect(Math.max(...s.filter((x) => x.party.startsWith('big')).map((x) => x.reports))).toBeLessThan(6);
  });
});
