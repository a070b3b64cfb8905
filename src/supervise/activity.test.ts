import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createParties,
  decryptOrder,
  ForbiddenError,
  ingestOrders,
  NotFoundError,
  releaseManifest,
  releaseView,
  type Party,
} from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { createCase } from '../cases/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { readAccountability, type Accountability } from './index.ts';
import { addPeerShop, ticketedDecrypts } from './test-shop.ts';

const HOUR = 3_600_000;
const beijingDay = (t: number): string => new Date(t + 8 * HOUR).toISOString().slice(0, 10);

describe.each(BACKENDS)('accountability from the store on $name', ({ open }) => {
  let w: World;
  let cs2: Party;
  let platformB: Party;
  let regulator: Party;
  let orders: string[];
  let window: { since: string; until: string };
  let result: Accountability;
  // The test's day runs at 2 p.m. Beijing time (the latest one past), whatever the wall clock says: only the
  // manifests set back to 3 a.m. are at an odd hour.
  const afternoon = Date.parse(`${beijingDay(Date.now())}T14:00:00+08:00`);
  const t0 = afternoon <= Date.now() ? afternoon : afternoon - 24 * HOUR;
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0);
    w = await buildWorld(await open(), 0);
    [cs2] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'cs_agent', name: '客服2', parent_id: w.platform.id }])) as [Party];
    [platformB, regulator] = (await createParties(w.c, { operator: 'test' }, [
      { kind: 'platform', name: '乙平台' },
      { kind: 'regulator', name: '全国监管', jurisdiction: ['*'] },
    ])) as [Party, Party];
    // Orders placed now, so that they fall within the window's need.
    const placed = await ingestOrders(
      w.c,
      w.platform,
      Array.from({ length: 30 }, (_, i) => ({
        ...sampleOrder(w, i, i % 2 ? w.courier2 : w.courier),
        ordered_at: new Date(t0 - HOUR).toISOString(),
        paid_at: new Date(t0 - HOUR + 60_000).toISOString(),
      })),
    );
    orders = placed.map((r) => ('id' in r ? r.id : ''));
    const day = beijingDay(t0 - HOUR);
    // The station's first manifest goes out at 3 a.m. Beijing time, the previous night (the clock set back).
    vi.setSystemTime(Date.parse(`${beijingDay(t0 - 24 * HOUR)}T03:10:00+08:00`));
    await releaseManifest(w.c, w.station, day);
    vi.setSystemTime(Date.parse(`${beijingDay(t0 - 24 * HOUR)}T03:40:00+08:00`));
    await releaseManifest(w.c, w.station, day);
    vi.setSystemTime(t0 + 60_000);
    await releaseManifest(w.c, w.station, day);
    await releaseManifest(w.c, w.courier, day);
    await releaseManifest(w.c, w.courier2, day);
    // Another shop's orders (same station, first courier), after the manifests: its staff account is the peers' baseline.
    await addPeerShop(w, 30, t0 - HOUR);
    for (const o of orders.slice(0, 10)) await releaseView(w.c, w.staff, o);
    // The first courier tries five of the second courier's orders: refused, as if they did not exist, and kept.
    // Each tried three times: the tries are counted on one row per order and day, and the anomaly counts orders.
    for (let k = 0; k < 3; k++)
      for (const o of orders.filter((_, i) => i % 2 === 1).slice(0, 5))
        await expect(releaseView(w.c, w.courier, o)).rejects.toBeInstanceOf(NotFoundError);
    const kept = await w.c.store.db.selectFrom('access_refusals').select(['tries']).where('party_id', '=', w.courier.id).execute();
    expect(kept.map((r) => r.tries)).toEqual([3, 3, 3, 3, 3]);
    await expect(releaseView(w.c, w.courier, 'ord_nonexistent')).rejects.toBeInstanceOf(NotFoundError);
    // staff2 pulls every order of the merchant three times over.
    for (let k = 0; k < 3; k++) for (const o of orders) await releaseView(w.c, w.staff2, o);
    // Each of agent 1's decrypts names a ticket the platform registered for the order.
    await ticketedDecrypts(w, orders.slice(0, 4), '工单 #1');
    for (const o of orders.slice(4, 9)) await decryptOrder(w.c, cs2, o, 'refund');
    window = { since: new Date(t0 - 2 * 24 * HOUR).toISOString(), until: new Date(Date.now() + HOUR).toISOString() };
    result = await readAccountability(w.c, w.platform, window);
    vi.useRealTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('reads every view, repeat, decrypt and export from the ledger, against the orders assigned', () => {
    const staff2 = result.profiles.get(w.staff2.id);
    expect(staff2).toMatchObject({ views: 90, unassignedViews: 0, decrypts: 0, records: 90, need: 30, pooled: true });
    expect(result.profiles.get(w.staff.id)).toMatchObject({ views: 10, need: 30 });
    expect(result.profiles.get(w.station.id)).toMatchObject({ exports: 3, exportedOrders: 90, oddHourExports: 2, views: 90, need: 60 });
    expect(result.profiles.get(w.courier.id)).toMatchObject({ exports: 1, exportedOrders: 15, views: 15, need: 30, refused: 5 });
    expect(result.profiles.get(w.courier2.id)).toMatchObject({ views: 15, refused: 0 });
    expect(result.profiles.get(cs2.id)).toMatchObject({ decrypts: 5, decryptsWithoutTicket: 5 });
    expect(result.profiles.get(w.cs.id)).toMatchObject({ decrypts: 4, decryptsWithoutTicket: 0 });
    expect(result.profiles.get(w.station.id)?.hours[3]).toBe(60);
  });

  it('ranks the staff account taking more than its share, the agent decrypting without tickets, the 3 a.m. exports and the courier trying others’ orders', () => {
    const ranked = result.anomalies.map((a) => a.party);
    expect(ranked.slice(0, 4).sort()).toEqual([w.staff2.id, cs2.id, w.station.id, w.courier.id].sort());
    expect(ranked).not.toContain(w.courier2.id);
    expect(ranked).not.toContain(w.cs.id);
    const codes = Object.fromEntries(result.anomalies.map((a) => [a.party, a.reasons.map((r) => r.code)]));
    expect(codes[w.staff2.id]).toContain('org_volume_vs_peers');
    expect(ranked).not.toContain(w.staff.id);
    expect(codes[cs2.id]).toContain('decrypt_without_ticket');
    expect(codes[w.station.id]).toContain('odd_hour_export');
    expect(codes[w.courier.id]).toEqual(['refused_attempts']);
  });

  it('shows a platform only its tree, an authority its jurisdiction, and refuses other parties', async () => {
    const b = await readAccountability(w.c, platformB, window);
    expect(b.profiles.size).toBe(0);
    expect(b.anomalies).toEqual([]);
    const reg = await readAccountability(w.c, regulator, window);
    expect(reg.anomalies.map((a) => a.party)).toEqual(result.anomalies.map((a) => a.party));
    await expect(readAccountability(w.c, w.courier, window)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('counts nothing outside the window', async () => {
    const later = await readAccountability(w.c, w.platform, {
      since: new Date(Date.now() + HOUR).toISOString(),
      until: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    expect([...later.profiles.values()].every((p) => p.records === 0 && p.exports === 0)).toBe(true);
  });

  it('lifts the courier whose orders victims report (the CPC signal), read from the cases in the store', async () => {
    // Victims of ten of the second courier's orders, five from each shop (none the first staff account
    // viewed), report scam calls quoting them; their phones are the orders'. Each shop, its accounts and the
    // station handled as large a share of the reports as of all orders: only the courier stands out.
    for (const i of [11, 13, 15, 17, 19, 5001, 5003, 5005, 5007, 5009])
      await createCase(w.c, {
        victim: { name: '测试报案人', phone: `1390000${String(i).padStart(4, '0')}` },
        claimed: '测试平台客服',
        contacted_at: new Date().toISOString(),
        order: { platform_order_id: `T${String(i).padStart(8, '0')}` },
        narrative: '对方自称平台客服，报出了我的订单信息，要我配合退款。',
        consent: true,
      });
    const r = await readAccountability(w.c, w.platform, { since: window.since, until: new Date(Date.now() + HOUR).toISOString() });
    expect(r.anomalies.filter((a) => a.reasons.some((x) => x.code === 'scam_reports')).map((a) => a.party)).toEqual([w.courier2.id]);
    const lead = r.anomalies.find((a) => a.party === w.courier2.id);
    expect(lead?.reasons.map((x) => x.code)).toEqual(['scam_reports']);
    expect(lead?.reasons[0]?.en).toMatch(/^10 consumers of orders it handled later reported scam calls/);
    // The first courier handled none of them: its lead is still only its refused tries.
    expect(r.anomalies.find((a) => a.party === w.courier.id)?.reasons.map((x) => x.code)).toEqual(['refused_attempts']);
  });
});
