import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createApiKey,
  createParties,
  decryptOrder,
  ingestOrders,
  releaseView,
  type Party,
  type Principal,
} from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { addPeerShop, ticketedDecrypts } from '../supervise/test-shop.ts';
import { createApp } from './app.ts';

interface Lead {
  rank: number;
  party: { id: string; kind: string };
  score: number;
  reasons: { code: string; zh: string; en: string }[];
  keys: { id: string; entries: number; minted_by: string | null; exchanged: boolean; seen_by: { id: string }[]; zh: string }[];
}

describe.each(BACKENDS)('accountability routes on $name', ({ open }) => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let cs2: Party;
  let cs2Key: string;
  const keys: Record<string, string> = {};
  const get = (path: string, key?: string): Promise<Response> =>
    Promise.resolve(app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} }));

  beforeAll(async () => {
    w = await buildWorld(await open(), 0);
    app = createApp({ custody: w.c, limits: { pdf: 1000, analysis: 1000 } });
    const [platformB, national] = (await createParties(w.c, { operator: 'test' }, [
      { kind: 'platform', name: '乙平台' },
      { kind: 'regulator', name: '全国监管', jurisdiction: ['*'] },
    ])) as [Party, Party];
    [cs2] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'cs_agent', name: '客服2', parent_id: w.platform.id }])) as [Party];
    const now = Date.now();
    const placed = await ingestOrders(
      w.c,
      w.platform,
      Array.from({ length: 20 }, (_, i) => ({
        ...sampleOrder(w, i),
        ordered_at: new Date(now - 3_600_000).toISOString(),
        paid_at: new Date(now - 3_500_000).toISOString(),
      })),
    );
    const orders = placed.map((r) => ('id' in r ? r.id : ''));
    await addPeerShop(w, 20, now - 3_600_000);
    for (const o of orders.slice(0, 8)) await releaseView(w.c, w.staff, o);
    for (let k = 0; k < 3; k++) for (const o of orders) await releaseView(w.c, w.staff2, o);
    // Each of agent 1's decrypts names a ticket the platform registered for the order.
    await ticketedDecrypts(w, orders.slice(0, 3), '工单 #9');
    const key = async (p: string): Promise<string> => (await createApiKey(w.c, { operator: 'test' }, p)).key;
    keys.adminA = await key(w.platform.id);
    // The platform mints CS agent 2's key (and so saw it): its decrypts name that key.
    cs2Key = (await createApiKey(w.c, (await authenticate(w.c, keys.adminA)) as Principal, cs2.id)).id;
    for (const o of orders.slice(3, 8)) await decryptOrder(w.c, { party: cs2, keyId: cs2Key }, o, 'refund');
    keys.adminB = await key(platformB.id);
    keys.national = await key(national.id);
    keys.courier = await key(w.courier.id);
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('ranks the platform’s own parties with reasons in both languages and the leads notice', async () => {
    const r = await get('/api/v1/supervision/anomalies', keys.adminA);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { notice: { zh: string; en: string }; anomalies: Lead[]; parties: number };
    expect(body.notice.zh).toContain('不是指控');
    expect(body.notice.en).toContain('leads, not accusations');
    expect(
      body.anomalies
        .slice(0, 2)
        .map((a) => a.party.id)
        .sort(),
    ).toEqual([w.staff2.id, cs2.id].sort());
    expect(body.anomalies.map((a) => a.rank)).toEqual(body.anomalies.map((_, i) => i + 1));
    const staff2 = body.anomalies.find((a) => a.party.id === w.staff2.id);
    expect(staff2?.reasons.map((x) => x.code)).toContain('org_volume_vs_peers');
    const lead = body.anomalies.find((a) => a.party.id === cs2.id);
    expect(lead?.reasons[0]?.en).toBe('5 of 5 decrypts without a registered ticket (peers of its kind: about 1.9%)');
    expect(lead?.keys).toEqual([expect.objectContaining({ id: cs2Key, entries: 5, minted_by: w.platform.id, exchanged: false })]);
    expect(lead?.keys[0]?.seen_by.map((h) => h.id)).toEqual([w.platform.id]);
    expect(lead?.keys[0]?.zh).toContain(w.platform.name);
    const national = (await (await get('/api/v1/supervision/anomalies?limit=1', keys.national)).json()) as { anomalies: Lead[] };
    expect(national.anomalies).toHaveLength(1);
  });

  it('shows one party over time, and its report as a PDF', async () => {
    const r = await get(`/api/v1/supervision/parties/${w.staff2.id}`, keys.adminA);
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      profile: {
        views: number;
        need: number;
        days: { views: number }[];
        hours: number[];
        fields: Record<string, number>;
        peers: { parties: number };
      };
      lead: Lead | null;
    };
    expect(body.profile).toMatchObject({ views: 60, need: 20, peers: { parties: 2 } });
    expect(body.profile.hours.reduce((s, n) => s + n, 0)).toBe(60);
    expect(body.profile.fields.address).toBe(60);
    expect(body.lead?.party.id).toBe(w.staff2.id);
    const honest = (await (await get(`/api/v1/supervision/parties/${w.courier.id}`, keys.adminA)).json()) as { lead: Lead | null };
    expect(honest.lead).toBeNull();
    const pdf = await get(`/api/v1/supervision/parties/${w.staff2.id}/report.pdf`, keys.adminA);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('hides another platform’s parties and refuses keys without the trace scope', async () => {
    const b = (await (await get('/api/v1/supervision/anomalies', keys.adminB)).json()) as { anomalies: Lead[]; parties: number };
    expect(b).toMatchObject({ anomalies: [], parties: 0 });
    expect((await get(`/api/v1/supervision/parties/${w.staff2.id}`, keys.adminB)).status).toBe(404);
    expect((await get(`/api/v1/supervision/parties/${w.staff2.id}/report.pdf`, keys.adminB)).status).toBe(404);
    expect((await get('/api/v1/supervision/anomalies', keys.courier)).status).toBe(403);
    expect((await get('/api/v1/supervision/anomalies')).status).toBe(401);
  });

  it.each([
    ['since=yesterday', 'since'],
    ['since=2026-12-01T00:00:00Z&until=2026-11-01T00:00:00Z', 'since'],
    ['since=2026-01-01T00:00:00Z&until=2026-12-01T00:00:00Z', 'since'],
    ['limit=0', 'limit'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const r = await get(`/api/v1/supervision/anomalies?${query}`, keys.adminA);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe(field);
  });

  it('reads windows in whole minutes, and limits each organisation’s analyses (all its keys together)', async () => {
    const r = await get('/api/v1/supervision/anomalies?since=2026-12-01T10:00:00.123Z&until=2026-12-02T10:00:59.001Z', keys.adminA);
    expect(await r.json()).toMatchObject({ since: '2026-12-01T10:00:00.000Z', until: '2026-12-02T10:01:00.000Z' });
    const limited = createApp({ custody: w.c, limits: { analysis: 2 } });
    const other = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    const ask = (key: string): Promise<Response> =>
      Promise.resolve(limited.request('/api/v1/supervision/anomalies', { headers: { authorization: `Bearer ${key}` } }));
    expect((await ask(keys.adminA as string)).status).toBe(200);
    expect((await ask(other)).status).toBe(200);
    expect((await ask(other)).status).toBe(429);
    expect((await ask(keys.national as string)).status).toBe(200);
    // New windows beyond three a minute wait; cached ones are still answered.
    const window = (d: number): string => `/api/v1/supervision/anomalies?since=2026-11-0${String(d)}T00:00:00Z&until=2026-11-20T00:00:00Z`;
    for (const d of [1, 2]) expect((await get(window(d), keys.national)).status).toBe(200);
    expect((await get(window(3), keys.national)).status).toBe(503);
    expect((await get(window(1), keys.national)).status).toBe(200);
  });

  it('never answers 5xx to arbitrary windows, limits and party ids', async () => {
    const part = fc.oneof(
      fc.string(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer().map(String),
    );
    await fc.assert(
      fc.asyncProperty(part, part, part, part, async (since, until, limit, id) => {
        const q = new URLSearchParams({ since, until, limit }).toString();
        for (const path of [`/api/v1/supervision/anomalies?${q}`, `/api/v1/supervision/parties/${encodeURIComponent(id)}?${q}`]) {
          const r = await get(path, keys.adminA);
          expect(r.status, path).toBeLessThan(500);
        }
      }),
      { numRuns: 40, seed: 20261207 },
    );
  });
});
