import { afterEach, describe, expect, it } from 'vitest';
import { releaseView } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { freshSqlite } from '../store/test-stores.ts';
import { investigateReport, quotedTail } from './report.ts';

describe('a victim report quoting an order-number tail', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.c.close();
    w = undefined;
  });

  it('picks the quoted digits out of what the victim wrote', () => {
    expect(quotedTail({ order: 'o', text: '他说我订单尾号 12345678 的快递丢了' })).toBe('12345678');
    expect(quotedTail({ order: 'o', text: '他知道我的名字和地址' })).toBeNull();
    expect(quotedTail({ order: 'o', aliasTail: '5678' })).toBe('5678');
  });

  it('accuses on 8 digits, and only ranks a suspect on 4 (10^-4 per handler is above the budget)', async () => {
    w = await buildWorld(await freshSqlite(), 1);
    const { c } = w;
    const id = w.orderIds[0] as string;
    const courier = await releaseView(c, w.courier, id);
    await releaseView(c, w.station, id);
    await releaseView(c, w.staff, id);
    const eight = await investigateReport(c, { order: id, text: `说是订单尾号${courier.order_no.slice(-8)}` });
    expect(eight.accused.map((a) => a.party)).toEqual([w.courier.id]);
    expect(eight.accused[0]?.proofs).toHaveLength(1);
    const four = await investigateReport(c, { order: id, aliasTail: courier.order_no.slice(-4) });
    expect(four.accused).toEqual([]);
    expect(four.suspects.map((s) => s.party)).toContain(w.courier.id);
    const none = await investigateReport(c, { order: id, text: '没有提到订单号' });
    expect(none.accused).toEqual([]);
  });
});
