import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties, releaseView, type Party, type Scope } from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { addHook, flagRow, orderAccess } from '../supervise/index.ts';
import { createApp } from './app.ts';

/** Who calls: no key, a malformed key, a key lacking the route's scope, platform B, platform A (the owner), an all-reach regulator. */
type Caller = 'none' | 'bad' | 'wrongScope' | 'otherOrg' | 'ownOrg' | 'authority';

/** What platform A's world and platform B's keys give a route to aim at. */
interface Fixture {
  keys: Record<
    'adminA' | 'adminB' | 'courierA' | 'courierB' | 'csA' | 'csB' | 'regulator' | 'ledgerOnly' | 'releaseOnly' | 'spareCourierA' | 'spareB',
    string
  >;
  w: World;
  caseId: string;
  caseToken: string;
  evidenceId: string;
  orderA: string;
  entryA: number;
  channelA: string;
  appealId: string;
  spareKeyA: () => Promise<string>;
  /** A fresh key in courier A's own name. */
  spareCourierKeyA: () => Promise<string>;
  /** A fresh webhook of platform A, so that each revocation has one to revoke. */
  spareHookA: () => Promise<string>;
  aliasA: string;
}

/** One route's expectations; `as` picks the key an owner or authority uses when it is not the platform admin. */
interface Row {
  scope: string;
  call: (f: Fixture) => Promise<{ path: string; body?: unknown; type?: string }> | { path: string; body?: unknown; type?: string };
  /** B's admin aimed at A's target: `hidden` (400 or 404), `filtered` (2xx, no trace of A in the body), `public` (2xx, nothing of A's to hide), or a status. */
  other: 'hidden' | 'filtered' | 'public' | number;
  own: number[];
  ownAs?: keyof Fixture['keys'];
  /** What a caller without a valid key or scope gets (401 and 403, or 404 where the route also takes an owner's token). */
  unauth?: number;
  otherAs?: keyof Fixture['keys'];
  authority?: number[];
}

const day = '2026-11-20';
const caseJson = (phone: string, order: string): Record<string, unknown> => ({
  victim: { phone },
  claimed: '测试平台客服',
  contacted_at: '2026-11-25T02:10:00Z',
  scammer: { numbers: ['+86 171 0000 0009'] },
  order: { platform_order_id: order },
  narrative: '对方自称客服，说出了我的订单，要我共享屏幕。',
  consent: true,
});
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ea0000000049454e44ae426082',
  'hex',
);

/** Every authenticated route in the OpenAPI document must have a row here: a new route fails this test until it is classified. */
const ROUTES: Record<string, Row> = {
  'POST /api/v1/parties': {
    scope: 'registry',
    call: (f) => ({ path: '/api/v1/parties', body: { kind: 'courier', name: '快递员9', parent_id: f.w.station.id } }),
    other: 'hidden',
    own: [201],
  },
  'GET /api/v1/parties': { scope: 'trace', call: () => ({ path: '/api/v1/parties' }), other: 'filtered', own: [200], authority: [200] },
  'POST /api/v1/keys': {
    scope: 'registry',
    call: (f) => ({ path: '/api/v1/keys', body: { party_id: f.w.courier.id } }),
    other: 'hidden',
    own: [201],
  },
  'DELETE /api/v1/keys/{id}': {
    scope: 'registry',
    call: async (f) => ({ path: `/api/v1/keys/${await f.spareKeyA()}` }),
    other: 'hidden',
    own: [204],
  },
  'GET /api/v1/keys/own': { scope: 'any', call: () => ({ path: '/api/v1/keys/own' }), other: 'filtered', own: [200] },
  'POST /api/v1/keys/own': {
    scope: 'any',
    call: () => ({ path: '/api/v1/keys/own', body: { label: 'mine' } }),
    other: 'public',
    otherAs: 'spareB',
    own: [201],
    ownAs: 'spareCourierA',
  },
  'DELETE /api/v1/keys/own/{id}': {
    scope: 'any',
    call: async (f) => ({ path: `/api/v1/keys/own/${await f.spareCourierKeyA()}` }),
    other: 'hidden',
    own: [204],
    ownAs: 'courierA',
  },
  'POST /api/v1/tickets': {
    scope: 'ingest',
    call: (f) => ({ path: '/api/v1/tickets', body: { order: f.orderA, ticket: 'CS-1', agent_id: f.w.cs.id } }),
    other: 'hidden',
    own: [200, 201],
  },
  'POST /api/v1/orders': {
    scope: 'ingest',
    call: (f) => ({ path: '/api/v1/orders', body: sampleOrder(f.w, 500) }),
    other: 'hidden',
    own: [201, 200],
  },
  'POST /api/v1/orders/bulk': {
    scope: 'ingest',
    call: (f) => ({ path: '/api/v1/orders/bulk', body: JSON.stringify(sampleOrder(f.w, 501)), type: 'application/x-ndjson' }),
    other: 'filtered',
    own: [200],
  },
  'GET /api/v1/orders/{ref}/view': {
    scope: 'release',
    call: (f) => ({ path: `/api/v1/orders/${f.orderA}/view` }),
    other: 'hidden',
    otherAs: 'courierB',
    own: [200],
    ownAs: 'courierA',
  },
  'GET /api/v1/manifest': {
    scope: 'release',
    call: () => ({ path: `/api/v1/manifest?day=${day}` }),
    other: 'filtered',
    otherAs: 'courierB',
    own: [200],
    ownAs: 'courierA',
  },
  'POST /api/v1/orders/{ref}/decrypt': {
    scope: 'decrypt',
    call: (f) => ({ path: `/api/v1/orders/${f.orderA}/decrypt`, body: { reason: 'complaint' } }),
    other: 'hidden',
    otherAs: 'csB',
    own: [200],
    ownAs: 'csA',
  },
  'GET /api/v1/ledger/checkpoint': { scope: 'ledger', call: () => ({ path: '/api/v1/ledger/checkpoint' }), other: 'public', own: [200] },
  'GET /api/v1/ledger/key': { scope: 'ledger', call: () => ({ path: '/api/v1/ledger/key' }), other: 'public', own: [200] },
  'GET /api/v1/ledger/inclusion': {
    scope: 'ledger',
    call: (f) => ({ path: `/api/v1/ledger/inclusion?index=${String(f.entryA)}` }),
    other: 'hidden',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/ledger/consistency': {
    scope: 'ledger',
    call: () => ({ path: '/api/v1/ledger/consistency?first=1' }),
    other: 'public',
    own: [200],
  },
  'GET /api/v1/ledger/mine': { scope: 'ledger', call: () => ({ path: '/api/v1/ledger/mine' }), other: 'filtered', own: [200] },
  'POST /api/v1/trace/dump': {
    scope: 'trace',
    call: (f) => ({ path: '/api/v1/trace/dump', body: { dump: `order_no,name\n${f.aliasA},测*` } }),
    other: 'filtered',
    own: [200],
    authority: [200],
  },
  'POST /api/v1/trace/dump-report': {
    scope: 'trace',
    call: (f) => ({ path: '/api/v1/trace/dump-report', body: { dump: `order_no,name\n${f.aliasA},测*` } }),
    other: 'filtered',
    own: [200],
  },
  'POST /api/v1/trace/report': {
    scope: 'trace',
    call: (f) => ({ path: '/api/v1/trace/report', body: { order: f.orderA, alias_tail: f.aliasA.slice(-4) } }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/trace/canaries': {
    scope: 'trace',
    call: (f) => ({ path: '/api/v1/trace/canaries', body: { outcomes: [{ order: f.orderA, hit: true }] } }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/trace/reports': {
    scope: 'trace',
    call: (f) => ({ path: '/api/v1/trace/reports', body: { orders: [f.orderA] } }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/canaries': {
    scope: 'ingest',
    call: (f) => ({ path: '/api/v1/canaries', body: { outlet_id: f.w.outlet.id, merchant_id: f.w.merchant.id, phones: ['13700000001'] } }),
    other: 'hidden',
    own: [201, 200],
  },
  'POST /api/v1/canaries/hits': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/canaries/hits', body: { phone: '13700000001' } }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/trace/canaries/registry': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/trace/canaries/registry', body: {} }),
    other: 'filtered',
    own: [200],
  },
  'POST /api/v1/channels': {
    scope: 'registry',
    call: (f) => ({ path: '/api/v1/channels', body: { party_id: f.w.platform.id, channels: [{ kind: 'phone', value: '95199' }] } }),
    other: 'hidden',
    own: [200],
  },
  'DELETE /api/v1/channels/{id}': {
    scope: 'registry',
    call: (f) => ({ path: `/api/v1/channels/${f.channelA}` }),
    other: 'hidden',
    own: [204],
  },
  'POST /api/v1/contacts': {
    scope: 'contacts',
    call: (f) => ({
      path: '/api/v1/contacts',
      body: {
        contacts: [
          {
            agent_id: f.w.cs.id,
            platform_order_id: 'T00000001',
            channel: 'call',
            number_used: '95188',
            reason: 'after_sales',
            at: '2026-11-25T02:00:00Z',
          },
        ],
      },
    }),
    other: 'hidden',
    own: [201, 400],
  },
  'GET /api/v1/reputation/appeals': {
    scope: 'reputation',
    call: () => ({ path: '/api/v1/reputation/appeals' }),
    other: 403,
    own: [403],
    authority: [200],
  },
  'GET /api/v1/reputation/appeals/{id}': {
    scope: 'reputation',
    call: (f) => ({ path: `/api/v1/reputation/appeals/${f.appealId}` }),
    unauth: 404,
    other: 'hidden',
    own: [404],
    authority: [200],
  },
  'GET /api/v1/reputation': {
    scope: 'reputation',
    call: () => ({ path: '/api/v1/reputation' }),
    other: 403,
    own: [403],
    authority: [200],
  },
  'POST /api/v1/reputation/appeals/{id}/decision': {
    scope: 'reputation',
    call: (f) => ({ path: `/api/v1/reputation/appeals/${f.appealId}/decision`, body: { decision: 'rejected', note: '仍在被举报' } }),
    other: 403,
    own: [403],
    authority: [200],
  },
  'GET /api/v1/cases': { scope: 'cases', call: () => ({ path: '/api/v1/cases' }), other: 'filtered', own: [200], authority: [200] },
  'POST /api/v1/cases/{id}/evidence': {
    scope: 'cases',
    call: (f) => {
      const form = new FormData();
      form.append('evidence', new Blob([PNG], { type: 'image/png' }), 'b.png');
      return { path: `/api/v1/cases/${f.caseId}/evidence`, body: form };
    },
    other: 'hidden',
    own: [201],
  },
  'GET /api/v1/cases/{id}': {
    scope: 'cases',
    call: (f) => ({ path: `/api/v1/cases/${f.caseId}` }),
    other: 'hidden',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/cases/{id}/report.pdf': {
    scope: 'cases',
    call: (f) => ({ path: `/api/v1/cases/${f.caseId}/report.pdf` }),
    other: 'hidden',
    own: [200],
  },
  'GET /api/v1/cases/{id}/evidence/{evidence}': {
    scope: 'cases',
    call: (f) => ({ path: `/api/v1/cases/${f.caseId}/evidence/${f.evidenceId}` }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/cases/{id}/status': {
    scope: 'cases',
    call: (f) => ({ path: `/api/v1/cases/${f.caseId}/status`, body: { status: 'accepted' } }),
    other: 'hidden',
    own: [204],
  },
  'POST /api/v1/trace/case/{id}': {
    scope: 'trace',
    call: (f) => ({ path: `/api/v1/trace/case/${f.caseId}` }),
    other: 'hidden',
    own: [200],
  },
  'POST /api/v1/trace/cases': { scope: 'trace', call: () => ({ path: '/api/v1/trace/cases' }), other: 'filtered', own: [200] },
  'GET /api/v1/me': { scope: 'any', call: () => ({ path: '/api/v1/me' }), other: 'public', own: [200] },
  'GET /api/v1/parties/{id}/entries': {
    scope: 'trace',
    call: (f) => ({ path: `/api/v1/parties/${f.w.courier.id}/entries` }),
    other: 'hidden',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/ledger/status': {
    scope: 'ledger',
    call: () => ({ path: '/api/v1/ledger/status' }),
    other: 'public',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/stats/cases': { scope: 'cases', call: () => ({ path: '/api/v1/stats/cases' }), other: 'filtered', own: [200] },
  'GET /api/v1/stats/leaks': { scope: 'trace', call: () => ({ path: '/api/v1/stats/leaks' }), other: 'filtered', own: [200] },
  'POST /api/v1/orders/{ref}/access-link': {
    scope: 'ingest',
    call: (f) => ({ path: `/api/v1/orders/${f.orderA}/access-link`, body: {} }),
    other: 'hidden',
    own: [201],
  },
  'GET /api/v1/supervision/flags': {
    scope: 'cases',
    call: () => ({ path: '/api/v1/supervision/flags' }),
    other: 'filtered',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/supervision/anomalies': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/supervision/anomalies' }),
    other: 'filtered',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/supervision/parties/{id}': {
    scope: 'trace',
    call: (f) => ({ path: `/api/v1/supervision/parties/${f.w.courier.id}` }),
    other: 'hidden',
    own: [200],
    authority: [200, 404],
  },
  'GET /api/v1/supervision/parties/{id}/report.pdf': {
    scope: 'trace',
    call: (f) => ({ path: `/api/v1/supervision/parties/${f.w.courier.id}/report.pdf` }),
    other: 'hidden',
    own: [200],
    authority: [200, 404],
  },
  'POST /api/v1/supervision/webhooks': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/supervision/webhooks', body: { url: 'https://alerts.example.com/hook' } }),
    other: 'public',
    own: [201],
    authority: [201],
  },
  'GET /api/v1/supervision/webhooks': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/supervision/webhooks' }),
    other: 'filtered',
    own: [200],
    authority: [200],
  },
  'DELETE /api/v1/supervision/webhooks/{id}': {
    scope: 'trace',
    call: async (f) => ({ path: `/api/v1/supervision/webhooks/${await f.spareHookA()}` }),
    other: 'hidden',
    own: [204],
    authority: [404],
  },
  'GET /api/v1/supervision/alerts': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/supervision/alerts' }),
    other: 'filtered',
    own: [200],
    authority: [200],
  },
  'GET /api/v1/stats/carrier-suspects': {
    scope: 'trace',
    call: () => ({ path: '/api/v1/stats/carrier-suspects' }),
    other: 'filtered',
    own: [200],
  },
};

describe.each(BACKENDS)('authorization matrix from the OpenAPI document on $name', ({ open }) => {
  let f: Fixture;
  let app: ReturnType<typeof createApp>;
  let routes: string[] = [];
  const send = async (method: string, key: string | undefined, req: { path: string; body?: unknown; type?: string }): Promise<Response> => {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    let body: BodyInit | undefined;
    if (req.body instanceof FormData) body = req.body;
    else if (typeof req.body === 'string') {
      body = req.body;
      headers['content-type'] = req.type ?? 'text/plain';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    return app.request(req.path, { method, headers, ...(body === undefined ? {} : { body }) });
  };

  beforeAll(async () => {
    const w = await buildWorld(await open(), 3);
    app = createApp({ custody: w.c, limits: { submit: 1000, pdf: 1000 } });
    const [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    // Canaries compare the stations of an outlet: the world gets a second one.
    await createParties(w.c, { operator: 'test' }, [{ kind: 'station', name: '第二驿站', parent_id: w.outlet.id }]);
    const key = async (p: string, scopes?: Scope[]): Promise<string> =>
      (await createApiKey(w.c, { operator: 'test' }, p, scopes ? { scopes } : {})).key;
    const adminB = await key(platformB.id);
    const make = async (body: Record<string, unknown>): Promise<string> =>
      ((await (await send('POST', adminB, { path: '/api/v1/parties', body })).json()) as { id: string }).id;
    const carrier = await make({ kind: 'carrier', name: '乙快递' });
    const outlet = await make({ kind: 'outlet', name: '乙网点', parent_id: carrier });
    const station = await make({ kind: 'station', name: '乙驿站', parent_id: outlet });
    const courierB = await make({ kind: 'courier', name: '乙快递员', parent_id: station });
    const csB = await make({ kind: 'cs_agent', name: '乙客服', parent_id: platformB.id });
    const keys = {
      adminA: await key(w.platform.id),
      adminB,
      courierA: await key(w.courier.id),
      courierB: await key(courierB),
      csA: await key(w.cs.id),
      csB: await key(csB),
      regulator: await key(w.regulator.id),
      ledgerOnly: await key(w.courier.id, ['ledger']),
      releaseOnly: await key(w.courier.id, ['release']),
      // Exchanging a key revokes it: that route's calls use keys of their own.
      spareCourierA: await key(w.courier.id),
      spareB: await key(platformB.id),
    };
    const view = await releaseView(w.c, w.courier, w.orderIds[0] ?? '');
    // A consumer's flag on A's order, so that the flags route has something of A's to keep from B.
    const seen = await orderAccess(w.c, w.orderIds[0] ?? '');
    await flagRow(w.c, w.orderIds[0] ?? '', seen.rows[0]?.entry ?? 0, 'never_dealt');
    const mine = (await (await send('GET', keys.courierA, { path: '/api/v1/ledger/mine' })).json()) as { entries: { index: number }[] };
    const form = new FormData();
    form.append('case', JSON.stringify(caseJson('13900000001', 'T00000001')));
    form.append('evidence', new Blob([PNG], { type: 'image/png' }), 'a.png');
    const filed = (await (await send('POST', undefined, { path: '/api/v1/cases', body: form })).json()) as {
      id: string;
      token: string;
    };
    const caseView = (await (await send('GET', filed.token, { path: `/api/v1/cases/${filed.id}` })).json()) as {
      evidence: { id: string }[];
    };
    const reg = (await (
      await send('POST', keys.adminA, { path: '/api/v1/channels', body: { channels: [{ kind: 'phone', value: '95188' }] } })
    ).json()) as { channels: { id: string }[] };
    await send('POST', undefined, { path: '/api/v1/reputation/reports', body: { items: [{ kind: 'phone', value: '+8617100000009' }] } });
    const appeal = (await (
      await send('POST', undefined, {
        path: '/api/v1/reputation/appeals',
        body: { kind: 'phone', value: '+8617100000009', reason: '这是我本人的号码，被人冒用了' },
      })
    ).json()) as { id: string };
    f = {
      w,
      keys,
      caseId: filed.id,
      caseToken: filed.token,
      evidenceId: caseView.evidence[0]?.id ?? '',
      orderA: w.orderIds[0] ?? '',
      entryA: mine.entries[0]?.index ?? 0,
      channelA: reg.channels[0]?.id ?? '',
      appealId: appeal.id,
      spareKeyA: async () => (await createApiKey(w.c, { operator: 'test' }, w.station.id)).id,
      spareCourierKeyA: async () => (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).id,
      spareHookA: async () => {
        // A party holds at most five hooks; each call here needs a fresh one.
        await w.c.store.db
          .updateTable('alert_hooks')
          .set({ revoked_at: new Date().toISOString() })
          .where('party_id', '=', w.platform.id)
          .execute();
        return (await addHook(w.c, w.platform, { url: 'https://alerts.example.com/a' })).id;
      },
      aliasA: view.order_no,
    };
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.entries(ms)
        .filter(([, op]) => op.security !== undefined)
        .map(([m]) => `${m.toUpperCase()} ${p}`),
    );
  });
  afterAll(async () => {
    await f.w.c.close();
  });

  it('has an expectation for every authenticated route in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !(r in ROUTES))).toEqual([]);
  });

  const A_IDS = (x: Fixture): string[] => [x.w.platform.id, x.w.courier.id, x.w.station.id, x.caseId, x.orderA, x.w.merchant.id];

  it.each(Object.keys(ROUTES))('%s', async (route) => {
    const row = ROUTES[route] as Row;
    const method = route.split(' ')[0] as string;
    const status = async (caller: Caller): Promise<{ status: number; text: string }> => {
      const key = {
        none: undefined,
        bad: `gk_000000000000_${'A'.repeat(43)}`,
        wrongScope: row.scope === 'ledger' ? f.keys.releaseOnly : f.keys.ledgerOnly,
        otherOrg: f.keys[row.otherAs ?? 'adminB'],
        ownOrg: f.keys[row.ownAs ?? 'adminA'],
        authority: f.keys.regulator,
      }[caller];
      const r = await send(method, key, await row.call(f));
      return { status: r.status, text: await r.text() };
    };
    expect((await status('none')).status).toBe(row.unauth ?? 401);
    expect((await status('bad')).status).toBe(row.unauth ?? 401);
    if (row.scope !== 'any') expect((await status('wrongScope')).status).toBe(row.unauth ?? 403);
    const other = await status('otherOrg');
    if (typeof row.other === 'number') expect(other.status).toBe(row.other);
    else if (row.other === 'hidden') expect([400, 404]).toContain(other.status);
    else expect(other.status, other.text).toBeLessThan(300);
    if (row.other === 'filtered') for (const id of A_IDS(f)) expect(other.text).not.toContain(id);
    const own = await status('ownOrg');
    expect(row.own, own.text).toContain(own.status);
    if (row.authority) expect(row.authority).toContain((await status('authority')).status);
  });
});
