import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties } from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { must } from '../shared/at.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApp } from './app.ts';

/** Bodies that pass validation on some JSON routes: the fuzzer mutates them as well as sending arbitrary JSON. */
const seeds = (w: World): Record<string, unknown> => ({
  '/api/v1/check': { text: '我是淘宝客服，请把验证码告诉我' },
  '/api/v1/parties': { kind: 'merchant', name: '新店' },
  '/api/v1/keys': { party_id: w.courier.id },
  '/api/v1/keys/own': { label: 'rotated' },
  '/api/v1/tickets': { order: w.orderIds[0], ticket: 'CS-1', agent_id: w.cs.id },
  '/api/v1/orders': sampleOrder(w, 700),
  '/api/v1/channels': { channels: [{ kind: 'phone', value: '95123' }], never: ['code'] },
  '/api/v1/reputation/lookup': { kind: 'phone', value: '+8617100000001' },
  '/api/v1/reputation/reports': { items: [{ kind: 'phone', value: '+8617100000001' }] },
  '/api/v1/cases': {
    contacted_at: '2026-11-25T02:10:00Z',
    narrative: '对方自称客服，要我共享屏幕。',
    consent: true,
  },
  '/api/v1/verify/number': { number: '95123' },
  '/api/v1/my-order': { token: `gko_${'A'.repeat(43)}` },
  '/api/v1/my-order/flags': { token: `gko_${'A'.repeat(43)}`, entry: 3 },
  '/api/v1/supervision/webhooks': { url: 'https://alerts.example.com/gatekeeper', threshold: 8 },
});

/** A JSON value changed at one place: a key dropped, a value replaced, or a key added. */
function mutated(base: unknown): fc.Arbitrary<unknown> {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return fc.jsonValue();
  const keys = Object.keys(base);
  const obj = base as Record<string, unknown>;
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(obj).filter(([x]) => x !== k))),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...obj, [k]: v })),
    fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue()).map(([k, v]) => ({ ...obj, [k]: v })),
    fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 300, unit: 'binary' })).map(([k, v]) => ({ ...obj, [k]: v })),
  );
}

describe.each(BACKENDS)('every JSON route under arbitrary and mutated bodies on $name', ({ open }) => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let routes: string[] = [];
  /** The key a request goes out with: exchanging a key (`/keys/own`) revokes it, so that route gets a fresh party's key each time. */
  const keyFor = async (path: string): Promise<string> => {
    if (path !== '/api/v1/keys/own') return admin;
    const [agent] = await createParties(w.c, { operator: 'test' }, [{ kind: 'cs_agent', name: '客服', parent_id: w.platform.id }]);
    return (await createApiKey(w.c, { operator: 'test' }, must(agent, 'a new agent').id)).key;
  };
  beforeAll(async () => {
    w = await buildWorld(await open(), 2);
    app = createApp({ custody: w.c, limits: { check: 1e6, lookup: 1e6, bucket: 1e6, submit: 1e6, pdf: 1e6, trace: 1e6 } });
    admin = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };
    routes = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.entries(ms)
        .filter(([m, op]) => m === 'post' && op.requestBody?.content?.['application/json'] !== undefined && !p.includes('{'))
        .map(() => p),
    );
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('never answers 5xx, and writes nothing to the ledger when it refuses', async () => {
    expect(routes.length).toBeGreaterThan(15);
    const bySeed = seeds(w);
    for (const path of routes) {
      const body = fc.oneof(fc.jsonValue(), mutated(bySeed[path]));
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const key = await keyFor(path);
          const before = w.c.ledger.size;
          const r = await app.request(path, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(value),
          });
          expect(r.status, `${path} ${JSON.stringify(value).slice(0, 200)}`).toBeLessThan(500);
          if (r.status >= 400) expect(w.c.ledger.size, `${path} wrote to the ledger and answered ${String(r.status)}`).toBe(before);
        }),
        { numRuns: 25, seed: 20261207 },
      );
    }
  });

  it('answers 400, never 5xx, to NUL characters in bodies, paths and queries', async () => {
    const bySeed = seeds(w);
    const withNul = (v: unknown): unknown =>
      typeof v === 'string'
        ? `${v}\u0000`
        : Array.isArray(v)
          ? v.map(withNul)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withNul(x)]))
            : v;
    for (const path of routes) {
      const r = await app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${await keyFor(path)}`, 'content-type': 'application/json' },
        body: JSON.stringify(withNul(bySeed[path] ?? {})),
      });
      expect(r.status, path).toBeLessThan(500);
    }
    for (const [method, path] of [
      ['GET', '/api/v1/orders/%00/view'],
      ['POST', '/api/v1/orders/%00/decrypt'],
      ['GET', '/api/v1/supervision/anomalies?since=%00'],
    ] as const) {
      const r = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : null,
      });
      expect(r.status, path).toBe(400);
    }
  });

  it('answers 400 for bodies that are not JSON at all', async () => {
    for (const path of routes) {
      const r = await app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${await keyFor(path)}`, 'content-type': 'application/json' },
        body: '{"unterminated": ',
      });
      expect(r.status, path).toBe(400);
    }
  });
});
