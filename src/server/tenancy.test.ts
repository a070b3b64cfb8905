import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties, type Party } from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApp } from './app.ts';

/** A victim's case linked to platform A's order T00000001 (the victim's phone is that order's). */
const CASE = {
  victim: { phone: '13900000001' },
  claimed: '测试平台客服',
  contacted_at: '2026-11-25T02:10:00Z',
  scammer: { numbers: ['+86 171 0000 0001'] },
  order: { platform_order_id: 'T00000001' },
  narrative: '对方自称客服，说出了我的订单，称质量问题可三倍赔偿，让我下载会议软件共享屏幕。',
  consent: true,
};

interface PartyBody {
  id: string;
}

/**
 * The attacks an outside tester ran with a second platform beside the first: each organisation's keys stay in
 * its own tree, and each kind of target (party, key, order, case, channel, ledger entry) refuses other tenants.
 */
describe.each(BACKENDS)('tenants and roles on $name', ({ open }) => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let adminA: string;
  let adminB: string;
  let merchantA: string;
  let courierA: string;
  let courierB: string;
  let platformB: Party;
  let outletB: string;
  let orderTemplateB: Record<string, unknown>;
  let merchantB: string;
  let caseA: { id: string; token: string };
  const call = async (method: string, path: string, key?: string, body?: unknown): Promise<Response> =>
    app.request(path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const listed = async (key: string, kind: string): Promise<string[]> =>
    ((await (await call('GET', `/api/v1/parties?kind=${kind}`, key)).json()) as { parties: { id: string }[] }).parties.map((p) => p.id);
  const make = async (key: string, body: Record<string, unknown>): Promise<string> => {
    const r = await call('POST', '/api/v1/parties', key, body);
    expect(r.status).toBe(201);
    return ((await r.json()) as PartyBody).id;
  };

  beforeAll(async () => {
    w = await buildWorld(await open(), 3);
    app = createApp({ custody: w.c, limits: { submit: 1000 } });
    [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    adminA = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    adminB = (await createApiKey(w.c, { operator: 'test' }, platformB.id)).key;
    merchantA = (await createApiKey(w.c, { operator: 'test' }, w.merchant.id, { scopes: ['release', 'ledger', 'registry'] })).key;
    courierA = (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).key;
    // Platform B builds its own tree through the API, as a tenant would.
    const carrier = await make(adminB, { kind: 'carrier', name: '乙快递' });
    const outlet = await make(adminB, { kind: 'outlet', name: '乙网点', parent_id: carrier });
    outletB = outlet;
    const station = await make(adminB, { kind: 'station', name: '乙驿站', parent_id: outlet });
    const courier = await make(adminB, { kind: 'courier', name: '乙快递员', parent_id: station });
    await make(adminB, { kind: 'cs_agent', name: '乙客服', parent_id: platformB.id });
    const merchant = await make(adminB, { kind: 'merchant', name: '乙店铺' });
    merchantB = merchant;
    const k = await call('POST', '/api/v1/keys', adminB, { party_id: courier });
    expect(k.status).toBe(201);
    courierB = ((await k.json()) as { key: string }).key;
    const order = {
      ...sampleOrder(w, 900),
      merchant_id: merchant,
      carrier_id: carrier,
      outlet_id: outlet,
      station_id: station,
      courier_id: courier,
    };
    orderTemplateB = order;
    const ingested = await call('POST', '/api/v1/orders', adminB, order);
    expect(ingested.status).toBe(201);
    const orderB = ((await ingested.json()) as { id: string }).id;
    expect((await call('GET', `/api/v1/orders/${orderB}/view`, courierB)).status).toBe(200);
    const filed = await call('POST', '/api/v1/cases', undefined, CASE);
    expect(filed.status, await filed.clone().text()).toBe(201);
    caseA = (await filed.json()) as { id: string; token: string };
  });
  afterAll(async () => {
    await w.c.close();
  });

  it("keeps each platform's canary numbers its own: planting one another platform monitors tells nothing", async () => {
    await make(adminA, { kind: 'station', name: '甲驿站二', parent_id: w.outlet.id });
    await make(adminB, { kind: 'station', name: '乙驿站二', parent_id: outletB });
    const phone = '19912340000';
    const plantedB = await call('POST', '/api/v1/canaries', adminB, { outlet_id: outletB, merchant_id: merchantB, phones: [phone] });
    expect(plantedB.status, await plantedB.clone().text()).toBe(201);
    const plantedA = await call('POST', '/api/v1/canaries', adminA, {
      outlet_id: w.outlet.id,
      merchant_id: w.merchant.id,
      phones: [phone],
    });
    expect(plantedA.status, await plantedA.clone().text()).toBe(201);
    // Another platform's outlet reads exactly as one that does not exist.
    const theirs = await call('POST', '/api/v1/canaries', adminB, {
      outlet_id: w.outlet.id,
      merchant_id: merchantB,
      phones: ['19912340001'],
    });
    const none = await call('POST', '/api/v1/canaries', adminB, {
      outlet_id: 'outlet_ffffffffff',
      merchant_id: merchantB,
      phones: ['19912340001'],
    });
    expect(theirs.status).toBe(400);
    expect(await theirs.text()).toBe(await none.text());
    // Within one platform the number is still unique.
    const twice = await call('POST', '/api/v1/canaries', adminA, { outlet_id: w.outlet.id, merchant_id: w.merchant.id, phones: [phone] });
    expect(twice.status).toBe(400);
    const [canaryB] = ((await plantedB.json()) as { planted: string[] }).planted;
    const hit = await call('POST', '/api/v1/canaries/hits', adminB, { phone });
    expect(await hit.json()).toMatchObject({ orders: [canaryB], first: true });
    const registry = async (key: string) =>
      (await (await call('POST', '/api/v1/trace/canaries/registry', key, {})).json()) as { hits: number };
    expect((await registry(adminB)).hits).toBe(1);
    expect((await registry(adminA)).hits).toBe(0);
  });

  it('mints keys only downward, with scopes the minter holds', async () => {
    // The critical finding: a merchant's registry key minted an admin key for the platform, then a decrypt key.
    const up = await call('POST', '/api/v1/keys', merchantA, { party_id: w.platform.id, scopes: ['admin'] });
    expect(up.status).toBe(400);
    const cs = await call('POST', '/api/v1/keys', merchantA, { party_id: w.cs.id, scopes: ['decrypt'] });
    expect(cs.status).toBe(400);
    const side = await call('POST', '/api/v1/keys', merchantA, { party_id: w.carrier.id });
    expect(side.status).toBe(400);
    // Below itself, with what it holds: yes; a scope it does not hold: no.
    expect((await call('POST', '/api/v1/keys', merchantA, { party_id: w.staff.id })).status).toBe(201);
    expect((await call('POST', '/api/v1/keys', merchantA, { party_id: w.staff.id, scopes: ['release', 'ledger'] })).status).toBe(201);
    const self = await call('POST', '/api/v1/keys', merchantA, { party_id: w.merchant.id, scopes: ['registry', 'release'] });
    expect(self.status).toBe(201);
    // Platform B reaches nothing of platform A.
    for (const target of [w.platform.id, w.cs.id, w.courier.id, w.regulator.id])
      expect((await call('POST', '/api/v1/keys', adminB, { party_id: target })).status).toBe(400);
  });

  it('creates parties only inside the creator’s tree; platforms and authorities only from above', async () => {
    expect((await call('POST', '/api/v1/parties', merchantA, { kind: 'platform', name: '假平台' })).status).toBe(403);
    expect((await call('POST', '/api/v1/parties', merchantA, { kind: 'police', name: '假警察' })).status).toBe(403);
    expect((await call('POST', '/api/v1/parties', adminA, { kind: 'platform', name: '又一个平台' })).status).toBe(403);
    expect(
      (await call('POST', '/api/v1/parties', merchantA, { kind: 'merchant_staff', name: '店员3', parent_id: w.merchant.id })).status,
    ).toBe(201);
    // Under another organisation's node, within the same platform or across: as if it did not exist.
    expect((await call('POST', '/api/v1/parties', merchantA, { kind: 'courier', name: 'x', parent_id: w.station.id })).status).toBe(400);
    expect((await call('POST', '/api/v1/parties', adminB, { kind: 'courier', name: 'x', parent_id: w.station.id })).status).toBe(400);
    expect((await call('POST', '/api/v1/parties', adminB, { kind: 'merchant', name: 'x', erp_id: w.erp.id })).status).toBe(400);
    // An authority a platform creates sees that platform only.
    const police = await make(adminB, { kind: 'police', name: '乙地派出所' });
    const k = await call('POST', '/api/v1/keys', adminB, { party_id: police });
    expect(k.status).toBe(201);
    const policeKey = ((await k.json()) as { key: string }).key;
    expect((await call('GET', `/api/v1/cases/${caseA.id}`, policeKey)).status).toBe(404);
    expect((await call('POST', '/api/v1/parties', adminB, { kind: 'regulator', name: 'x', jurisdiction: ['*'] })).status).toBe(400);
    // Hidden characters are refused in public names.
    const rtl = await call('POST', '/api/v1/parties', adminA, { kind: 'merchant', name: '官方\u202E服客' });
    expect(rtl.status).toBe(400);
    expect((await call('POST', '/api/v1/parties', adminA, { kind: 'merchant', name: 'a\u0000b' })).status).toBe(400);
    expect((await call('POST', '/api/v1/parties', adminA, { kind: 'merchant', name: '驿站\ud800' })).status).toBe(400);
  });

  it("lets no tenant pass for another platform by name, in a party's name, a name alias or a label", async () => {
    const a = (await (await call('GET', '/api/v1/me', adminA)).json()) as { party: { name: string } };
    const copy = await call('POST', '/api/v1/parties', adminB, { kind: 'merchant', name: ` ${a.party.name}官方旗舰店` });
    expect(copy.status).toBe(400);
    expect(await copy.text()).toContain('name');
    // Nor in traditional characters (测试平台 as 測試平臺).
    const traditional = await call('POST', '/api/v1/parties', adminB, { kind: 'merchant', name: '測試平臺旗艦店' });
    expect(a.party.name).toBe('测试平台');
    expect(traditional.status).toBe(400);
    const own = await make(adminB, { kind: 'merchant', name: '乙平台自营店' });
    for (const ch of [
      { kind: 'name', value: `${a.party.name}客服` },
      { kind: 'phone', value: '17066667777', label: `${a.party.name}官方客服热线` },
    ]) {
      const r = await call('POST', '/api/v1/channels', adminB, { party_id: own, channels: [ch] });
      expect(r.status, await r.clone().text()).toBe(400);
    }
    // Its own name is its own to use.
    expect(
      (await call('POST', '/api/v1/channels', adminB, { party_id: own, channels: [{ kind: 'name', value: '乙平台客服' }] })).status,
    ).toBe(200);
  });

  it('revokes only keys of parties it manages', async () => {
    const victim = await createApiKey(w.c, { operator: 'test' }, w.station.id);
    expect((await call('DELETE', `/api/v1/keys/${victim.id}`, adminB)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/keys/${victim.id}`, merchantA)).status).toBe(404);
    expect((await call('GET', '/api/v1/manifest?day=2026-11-20', victim.key)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${victim.id}`, adminA)).status).toBe(204);
  });

  it('ingests only orders routed through the platform’s own parties', async () => {
    const r = await call('POST', '/api/v1/orders', adminB, sampleOrder(w, 901));
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).toContain('merchant_id');
  });

  it('keeps cases, parties, access logs and statistics inside the tenant', async () => {
    const listed = (await (await call('GET', '/api/v1/parties', adminB)).json()) as { parties: { id: string }[] };
    expect(listed.parties.map((p) => p.id)).not.toContain(w.platform.id);
    expect(listed.parties.length).toBeGreaterThan(0);
    const mine = (await (await call('GET', '/api/v1/parties', adminA)).json()) as { parties: { id: string }[] };
    expect(mine.parties.map((p) => p.id)).toContain(w.courier.id);
    expect(mine.parties.map((p) => p.id)).not.toContain(platformB.id);
    expect(((await (await call('GET', '/api/v1/cases', adminB)).json()) as { cases: unknown[] }).cases).toEqual([]);
    expect(((await (await call('GET', '/api/v1/cases', adminA)).json()) as { cases: { id: string }[] }).cases.map((c) => c.id)).toContain(
      caseA.id,
    );
    expect((await call('GET', `/api/v1/cases/${caseA.id}`, adminB)).status).toBe(404);
    expect((await call('GET', `/api/v1/cases/${caseA.id}/report.pdf`, adminB)).status).toBe(404);
    expect((await call('POST', `/api/v1/cases/${caseA.id}/status`, adminB, { status: 'closed' })).status).toBe(404);
    expect((await call('POST', `/api/v1/trace/case/${caseA.id}`, adminB)).status).toBe(404);
    expect((await call('GET', `/api/v1/cases/${caseA.id}`, adminA)).status).toBe(200);
    expect((await call('GET', `/api/v1/parties/${w.courier.id}/entries`, adminB)).status).toBe(404);
    expect((await call('GET', `/api/v1/parties/${w.courier.id}/entries`, adminA)).status).toBe(200);
    const days = (await (await call('GET', '/api/v1/stats/cases', adminB)).json()) as { days: unknown[] };
    expect(days.days).toEqual([]);
  });

  it('lets only the owning organisation change its channels and never-do list', async () => {
    const reg = await call('POST', '/api/v1/channels', adminA, { channels: [{ kind: 'phone', value: '95177' }], never: ['code'] });
    expect(reg.status).toBe(200);
    const entry = (await reg.json()) as { channels: { id: string }[] };
    const id = entry.channels[0]?.id ?? '';
    expect(
      (await call('POST', '/api/v1/channels', adminB, { party_id: w.platform.id, channels: [{ kind: 'phone', value: '17100000001' }] }))
        .status,
    ).toBe(400);
    expect((await call('POST', '/api/v1/channels', adminB, { party_id: w.platform.id, channels: [], never: [] })).status).toBe(400);
    expect((await call('DELETE', `/api/v1/channels/${id}`, adminB)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/channels/${id}`, merchantA)).status).toBe(404);
    const dir = (await (await call('GET', '/api/v1/directory')).json()) as { channels: { id: string }[] }[];
    expect(dir.flatMap((e) => e.channels.map((c) => c.id))).toContain(id);
  });

  it('shows a ledger entry only to its party, its platform and authorities', async () => {
    const own = (await (await call('GET', '/api/v1/ledger/mine', courierB)).json()) as { entries: { index: number }[] };
    expect(own.entries.length).toBeGreaterThan(0);
    const index = own.entries[0]?.index ?? -1;
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, courierB)).status).toBe(200);
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, courierA)).status).toBe(404);
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, adminA)).status).toBe(404);
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, adminB)).status).toBe(200);
    // Not even a party of the same tree: the leaf names the courier's virtual numbers and aliases.
    const stationB = (await (await call('GET', '/api/v1/parties?kind=station', adminB)).json()) as { parties: { id: string }[] };
    const sibling = ((await (await call('POST', '/api/v1/keys', adminB, { party_id: stationB.parties[0]?.id })).json()) as { key: string })
      .key;
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, sibling)).status).toBe(404);
    const regulator = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
    expect((await call('GET', `/api/v1/ledger/inclusion?index=${String(index)}`, regulator)).status).toBe(200);
    expect((await call('GET', '/api/v1/ledger/inclusion?index=', courierB)).status).toBe(400);
    expect((await call('GET', '/api/v1/ledger/status', courierA)).status).toBe(403);
  });

  it('lets no platform decide reputation appeals, and no anonymous crowd make a known scam', async () => {
    expect(
      (await call('POST', '/api/v1/reputation/appeals/ap_0000000000000000/decision', adminB, { decision: 'upheld', note: 'x' })).status,
    ).toBe(403);
    let trusted = createApp({ custody: w.c, limits: { submit: 1000 }, trustProxy: { hops: 1 } });
    for (let i = 0; i < 30; i++) {
      const r = await trusted.request('/api/v1/reputation/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${String(i)}` },
        body: JSON.stringify({ items: [{ kind: 'phone', value: '+8617199990000' }] }),
      });
      expect(r.status).toBeLessThan(300);
    }
    trusted = createApp({ custody: w.c });
    const look = (await (
      await trusted.request('/api/v1/reputation/lookup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'phone', value: '+8617199990000' }),
      })
    ).json()) as { level: string };
    expect(look.level).toBe('reported');
  });

  it('lets no single tenant, its keys, or cases on no order make a known scam; two platforms or a national authority can', async () => {
    const report = async (key: string | undefined, value: string): Promise<void> => {
      const r = await call('POST', '/api/v1/reputation/reports', key, { items: [{ kind: 'phone', value }] });
      expect(r.status).toBe(200);
    };
    const level = async (value: string): Promise<string> =>
      ((await (await call('POST', '/api/v1/reputation/lookup', undefined, { kind: 'phone', value })).json()) as { level: string }).level;
    // Platform B mints seven courier keys and reports A's hotline with each, then files a case on no order.
    const hotline = '+8657188001234';
    for (let i = 0; i < 7; i++) {
      const courier = await make(adminB, {
        kind: 'courier',
        name: `乙快递员${String(i)}`,
        parent_id: (await listed(adminB, 'station'))[0] ?? '',
      });
      const k = await call('POST', '/api/v1/keys', adminB, { party_id: courier });
      await report(((await k.json()) as { key: string }).key, hotline);
    }
    await report(adminB, hotline);
    const fake = { ...CASE, victim: { phone: '13911112222' }, scammer: { numbers: [hotline] }, narrative: '编造的案件，没有对应订单。' };
    expect((await call('POST', '/api/v1/cases', undefined, fake)).status).toBe(201);
    await report(undefined, hotline);
    expect(await level(hotline)).toBe('reported');
    // A second platform, or a national authority, makes it a known scam.
    const scam = '+8617188880000';
    await report(adminB, scam);
    expect(await level(scam)).toBe('reported');
    await report(adminA, scam);
    expect(await level(scam)).toBe('known_scam');
    const other = '+8617188880001';
    await report((await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key, other);
    expect(await level(other)).toBe('known_scam');
  });

  it("counts only reputation keys as their organisation, and never makes a platform's registered hotline a known scam", async () => {
    const report = async (key: string | undefined, value: string): Promise<void> => {
      expect((await call('POST', '/api/v1/reputation/reports', key, { items: [{ kind: 'phone', value }] })).status).toBe(200);
    };
    const lookup = async (value: string): Promise<{ level: string; reports: number }> =>
      (await (await call('POST', '/api/v1/reputation/lookup', undefined, { kind: 'phone', value })).json()) as {
        level: string;
        reports: number;
      };
    // Two couriers of two platforms: each reports as an anonymous client would, vouching for nobody.
    const target = '+8617188880002';
    await report(courierA, target);
    await report(courierB, target);
    expect(await lookup(target)).toMatchObject({ level: 'reported' });
    // A's registered hotline, reported by both platforms' admins and a national authority, stays "reported".
    const hotline = '4008001234';
    expect((await call('POST', '/api/v1/channels', adminA, { channels: [{ kind: 'phone', value: hotline }] })).status).toBe(200);
    await report(adminA, hotline);
    await report(adminB, hotline);
    const regulatorKey = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
    await report(regulatorKey, hotline);
    expect((await lookup(hotline)).level).toBe('reported');
    const verdict = (await (await call('POST', '/api/v1/verify/number', undefined, { number: hotline })).json()) as {
      reputation: { level: string };
      official: unknown;
    };
    expect(verdict.official).not.toBeNull();
    expect(verdict.reputation.level).toBe('reported');
    // The reviewers' list says the same.
    const listed = (await (await call('GET', '/api/v1/reputation?limit=500', regulatorKey)).json()) as {
      entries: { display: string; level: string }[];
    };
    expect(listed.entries.filter((e) => e.level === 'known_scam').map((e) => e.display)).not.toContain(
      ((await lookup(hotline)) as unknown as { display: string }).display,
    );
    // And the check does not warn about the official number's reports: the registry speaks for it.
    const checked = (await (
      await call('POST', '/api/v1/check', undefined, { text: '您好，您的包裹物流异常，我们会为您重新发货。', caller: hotline })
    ).json()) as { advice: { zh: string[] } };
    expect(checked.advice.zh.join('')).not.toContain('举报');
  });

  it('lets only national authorities read and decide appeals', async () => {
    const police = await make(adminB, { kind: 'regulator', name: '乙地监管' });
    const k = await call('POST', '/api/v1/keys', adminB, { party_id: police });
    const local = ((await k.json()) as { key: string }).key;
    expect((await call('GET', '/api/v1/reputation/appeals', local)).status).toBe(403);
    expect((await call('GET', '/api/v1/reputation/appeals', adminB)).status).toBe(403);
    const national = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
    expect((await call('GET', '/api/v1/reputation/appeals', national)).status).toBe(200);
  });

  it('links a case to an order only through the victim’s phone', async () => {
    const noPhone = await call('POST', '/api/v1/cases', undefined, { ...CASE, victim: { name: '王五' }, narrative: '没有留电话的报案' });
    const { id } = (await noPhone.json()) as { id: string };
    expect(((await (await call('GET', `/api/v1/cases/${id}`, adminA)).json()) as { orderId?: unknown }).orderId ?? null).toBeNull();
    expect((await call('GET', `/api/v1/cases/${id}`, adminB)).status).toBe(404);
  });

  it('keeps a victim’s case with the order it came from when another tenant ingests a copy of it', async () => {
    const original = sampleOrder(w, 2);
    const copy = { ...orderTemplateB, platform_order_id: original.platform_order_id, recipient: original.recipient };
    expect((await call('POST', '/api/v1/orders', adminB, copy)).status).toBe(201);
    const filed = await call('POST', '/api/v1/cases', undefined, {
      ...CASE,
      victim: { phone: '13900000002' },
      order: { platform_order_id: original.platform_order_id },
      narrative: '对方说出了我的订单号，说要退款，让我共享屏幕。',
    });
    const { id } = (await filed.json()) as { id: string };
    const seen = (await (await call('GET', `/api/v1/cases/${id}`, adminA)).json()) as { orderId?: string | null };
    expect(seen.orderId).toBe(w.orderIds[2]);
    expect((await call('GET', `/api/v1/cases/${id}`, adminB)).status).toBe(404);
  });

  it('reads another tenant’s party like a missing one when registering channels', async () => {
    const a = await call('POST', '/api/v1/channels', adminB, { party_id: w.courier.id, channels: [] });
    const missing = await call('POST', '/api/v1/channels', adminB, { party_id: 'courier_ffffffffff', channels: [] });
    expect(a.status).toBe(400);
    expect(await a.text()).toBe(await missing.text());
  });

  it('hands out no new token for an identical resubmission', async () => {
    const again = await call('POST', '/api/v1/cases', undefined, CASE);
    expect(again.status).toBe(201);
    const r = (await again.json()) as { id: string; token: string | null; merged: boolean };
    expect(r).toMatchObject({ id: caseA.id, token: null, merged: true });
    // Nor does a resubmission with a file change the case: files come only with the token.
    const form = new FormData();
    form.append('case', JSON.stringify(CASE));
    form.append(
      'evidence',
      new Blob(
        [
          Buffer.from(
            '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ea0000000049454e44ae426082',
            'hex',
          ),
        ],
        { type: 'image/png' },
      ),
      'fake.png',
    );
    const withFile = (await (await app.request('/api/v1/cases', { method: 'POST', body: form })).json()) as { evidence: unknown[] };
    expect(withFile.evidence).toEqual([]);
    const k = (await (await call('GET', `/api/v1/cases/${caseA.id}`, caseA.token)).json()) as { evidence: unknown[] };
    expect(k.evidence).toEqual([]);
  });
});
