/** Test helper: a small custody world on a fresh store (synthetic parties and orders). */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { custodyOn } from './context.ts';
import type { Custody } from './custody.ts';
import { ingestOrders } from './orders.ts';
import { createParties } from './parties.ts';
import type { Party } from './party.ts';

/** The parties of the test world, by role. */
export interface World {
  c: Custody;
  master: Buffer;
  platform: Party;
  cs: Party;
  merchant: Party;
  staff: Party;
  staff2: Party;
  erp: Party;
  carrier: Party;
  outlet: Party;
  station: Party;
  courier: Party;
  courier2: Party;
  regulator: Party;
  orderIds: string[];
}

/** A synthetic order routed to the world's merchant, station and courier. */
export function sampleOrder(w: Omit<World, 'c' | 'orderIds' | 'master'>, i: number, courier = w.courier): Record<string, unknown> {
  return {
    platform_order_id: `T${String(i).padStart(8, '0')}`,
    merchant_id: w.merchant.id,
    carrier_id: w.carrier.id,
    outlet_id: w.outlet.id,
    station_id: w.station.id,
    courier_id: courier.id,
    recipient: {
      name: '测试用户',
      phone: `1390000${String(i % 10000).padStart(4, '0')}`,
      address: {
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        street: `文三路${i % 200}号`,
        building: String(1 + (i % 9)),
        unit: '1',
        room: String(101 + (i % 20)),
      },
    },
    item: { title: '加厚羽绒服女款冬季中长款外套', spec: ['黑色', 'XL'], quantity: 1, price_cents: 29900 + i },
    ordered_at: `2026-11-20T0${i % 10}:05:37Z`,
    paid_at: `2026-11-20T0${i % 10}:06:02Z`,
  };
}

/** Builds the world on `store` with `n` orders (and `workers` release worker threads). */
export async function buildWorld(store: Store, n = 5, master = randomBytes(32), workers = 0): Promise<World> {
  const c = await custodyOn(store, master, undefined, workers);
  const [platform, erp, carrier, regulator] = (await createParties(c, { operator: 'test' }, [
    { kind: 'platform', name: '测试平台' },
    { kind: 'erp', name: '测试ERP' },
    { kind: 'carrier', name: '测试快递' },
    { kind: 'regulator', name: '测试监管' },
  ])) as [Party, Party, Party, Party];
  const [merchant, cs, outlet] = (await createParties(c, { operator: 'test' }, [
    { kind: 'merchant', name: '测试店铺', erp_id: erp.id },
    { kind: 'cs_agent', name: '客服1', parent_id: platform.id },
    { kind: 'outlet', name: '西湖网点', parent_id: carrier.id },
  ])) as [Party, Party, Party];
  const [staff, staff2, station] = (await createParties(c, { operator: 'test' }, [
    { kind: 'merchant_staff', name: '店员1', parent_id: merchant.id },
    { kind: 'merchant_staff', name: '店员2', parent_id: merchant.id },
    { kind: 'station', name: '文三路驿站', parent_id: outlet.id },
  ])) as [Party, Party, Party];
  const [courier, courier2] = (await createParties(c, { operator: 'test' }, [
    { kind: 'courier', name: '快递员1', parent_id: station.id },
    { kind: 'courier', name: '快递员2', parent_id: station.id },
  ])) as [Party, Party];
  const parties = { platform, erp, carrier, regulator, merchant, cs, outlet, staff, staff2, station, courier, courier2 };
  const res = await ingestOrders(
    c,
    parties.platform,
    Array.from({ length: n }, (_, i) => sampleOrder(parties, i, i % 2 ? courier2 : courier)),
  );
  const orderIds = res.map((r) => ('id' in r ? r.id : ''));
  return { c, master, ...parties, orderIds };
}
