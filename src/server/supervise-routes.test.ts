import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties, decryptOrder, openTicket, releaseView, type Party } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import type { OrderAccess } from '../supervise/index.ts';
import { createApp } from './app.ts';

describe.each(BACKENDS)('supervision routes on $name', ({ open }) => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let adminA: string;
  let adminB: string;
  let courierA: string;
  let regulator: string;
  let order: string;
  const logged: string[] = [];
  const call = async (method: string, path: string, key?: string, body?: unknown): Promise<Response> =>
    app.request(path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const link = async (key: string, ref: string, body: unknown = {}): Promise<Response> =>
    call('POST', `/api/v1/orders/${ref}/access-link`, key, body);
  const tokenOf = async (r: Response): Promise<string> => ((await r.json()) as { token: string }).token;

  beforeAll(async () => {
    w = await buildWorld(await open(), 3);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString('utf8'));
        done();
      },
    });
    app = createApp({ custody: w.c, log: pino({ level: 'info' }, sink), limits: { lookup: 1000, submit: 1000 } });
    const [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    adminA = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    adminB = (await createApiKey(w.c, { operator: 'test' }, platformB.id)).key;
    courierA = (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).key;
    regulator = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
    order = w.orderIds[0] as string;
    await releaseView(w.c, w.merchant, order);
    await releaseView(w.c, w.courier, order);
    const ticket = await openTicket(w.c, w.platform, { order, ticket: 'CS-881' });
    await decryptOrder(w.c, w.cs, order, 'delivery_issue', '工单 881', ticket.ticket);
  });
  afterAll(async () => {
    await w.c.close();
  });

  it('issues a link only to the order’s platform, with the token in the fragment, never in a query', async () => {
    const r = await link(adminA, order, { ttl_minutes: 60 });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { link: string; token: string; expires_at: string };
    expect(body.link).toBe(`http://localhost/#/my-order/${body.token}`);
    expect(body.link).not.toContain('?');
    expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await link(adminA, 'T00000000')).status).toBe(201);
    // Another platform, and a key without `ingest`, cannot issue for it.
    expect((await link(adminB, order)).status).toBe(404);
    expect((await link(adminB, 'T00000000')).status).toBe(404);
    expect((await link(courierA, order)).status).toBe(403);
    expect((await link(adminA, order, { ttl_minutes: 100_000 })).status).toBe(400);
    expect((await link(adminA, 'o_nope')).status).toBe(404);
  });

  it('answers the token’s order only; a wrong or expired token reads as not found, a malformed one names the field', async () => {
    const token = await tokenOf(await link(adminA, order));
    const r = await call('POST', '/api/v1/my-order', undefined, { token });
    expect(r.status).toBe(200);
    const a = (await r.json()) as OrderAccess;
    expect(a.rows.map((x) => `${x.party.kind}:${x.action}`)).toEqual(['merchant:view', 'courier:view', 'cs_agent:decrypt']);
    expect(a.rows[2]?.why).toMatchObject({
      decrypt: 'delivery_issue',
      ticket: true,
      ticket_entry: { entry: expect.any(Number) as unknown },
    });
    expect(a.verifier_key).toBe(w.c.ledger.verifierKey());
    const wrong = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await call('POST', '/api/v1/my-order', undefined, { token: wrong })).status).toBe(404);
    const bad = await call('POST', '/api/v1/my-order', undefined, { token: 'not-a-token' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"field":"token"');
    const old = await tokenOf(await link(adminA, order, { ttl_minutes: 5 }));
    await w.c.store.db
      .updateTable('order_access_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('expires_at', '<', new Date(Date.now() + 6 * 60_000).toISOString())
      .execute();
    expect((await call('POST', '/api/v1/my-order', undefined, { token: old })).status).toBe(404);
    expect((await call('POST', '/api/v1/my-order/flags', undefined, { token: old, entry: a.rows[0]?.entry })).status).toBe(404);
  });

  it('takes a flag with the token and shows it to the platform and the regulator, not to another platform', async () => {
    const token = await tokenOf(await link(adminA, order));
    const a = (await (await call('POST', '/api/v1/my-order', undefined, { token })).json()) as OrderAccess;
    const courier = a.rows.find((x) => x.party.kind === 'courier');
    const first = await call('POST', '/api/v1/my-order/flags', undefined, { token, entry: courier?.entry });
    expect(first.status).toBe(201);
    expect((await call('POST', '/api/v1/my-order/flags', undefined, { token, entry: courier?.entry })).status).toBe(200);
    expect((await call('POST', '/api/v1/my-order/flags', undefined, { token, entry: 0 })).status).toBe(404);
    expect((await call('POST', '/api/v1/my-order/flags', undefined, { token, entry: -1 })).status).toBe(400);
    const list = async (key: string): Promise<{ party: { kind: string }; issued_by: string | null }[]> =>
      (
        (await (await call('GET', '/api/v1/supervision/flags', key)).json()) as {
          flags: { party: { kind: string }; issued_by: string | null }[];
        }
      ).flags;
    expect((await list(adminA)).map((f) => f.party.kind)).toEqual(['courier']);
    // The flag says whose link it came through: here the platform's.
    expect((await list(regulator))[0]?.issued_by).toBe(w.platform.id);
    expect(await list(regulator)).toHaveLength(1);
    expect(await list(adminB)).toEqual([]);
    expect((await call('GET', '/api/v1/supervision/flags', courierA)).status).toBe(403);
    expect((await call('GET', '/api/v1/supervision/flags?since=yesterday', adminA)).status).toBe(400);
  });

  it('never logs a token: request lines carry only method, path, status and time', async () => {
    const token = await tokenOf(await link(adminA, order));
    await call('POST', '/api/v1/my-order', undefined, { token });
    await call('POST', '/api/v1/my-order', undefined, { token: `${token}x` });
    const lines = logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.path === '/api/v1/my-order')).toBe(true);
    for (const l of lines)
      expect(
        Object.keys(l)
          .filter((k) => !['level', 'time', 'pid', 'hostname', 'msg'].includes(k))
          .sort(),
      ).toEqual(['method', 'ms', 'path', 'status']);
    expect(logged.join('')).not.toContain('gko_');
  });

  it('limits the anonymous routes per client', async () => {
    const limited = createApp({ custody: w.c, limits: { lookup: 2, submit: 1 } });
    const post = async (path: string, body: unknown): Promise<Response> =>
      limited.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const token = `gko_${'A'.repeat(43)}`;
    expect((await post('/api/v1/my-order', { token })).status).toBe(404);
    expect((await post('/api/v1/my-order', { token })).status).toBe(404);
    expect((await post('/api/v1/my-order', { token })).status).toBe(429);
    expect((await post('/api/v1/my-order/flags', { token, entry: 1 })).status).toBe(404);
    expect((await post('/api/v1/my-order/flags', { token, entry: 1 })).status).toBe(429);
  });
});
