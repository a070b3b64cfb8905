import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey, releaseView } from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { leafHash, parseCheckpoint, openNote, parseVerifierKey, verifyInclusion } from '../ledger/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApp } from './app.ts';

describe.each(BACKENDS)('custody and ledger API on $name', ({ open }) => {
  let w: World;
  afterEach(async () => {
    await w.c.close();
  });

  async function setup(n = 2) {
    w = await buildWorld(await open(), n);
    const app = createApp({ custody: w.c });
    const admin = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    const courier = (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).key;
    const call = (method: string, path: string, key?: string, body?: unknown, type = 'application/json'): Promise<Response> =>
      Promise.resolve(
        app.request(path, {
          method,
          headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': type }) },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      );
    return { app, admin, courier, call };
  }

  it('needs a key (401) with the right scope (403)', async () => {
    const { call, courier } = await setup();
    expect((await call('POST', '/api/v1/orders', undefined, sampleOrder(w, 1))).status).toBe(401);
    expect((await call('POST', '/api/v1/orders', 'gk_000000000000_' + 'A'.repeat(43), sampleOrder(w, 1))).status).toBe(401);
    expect((await call('POST', '/api/v1/orders', courier, sampleOrder(w, 1))).status).toBe(403);
    expect((await call('POST', '/api/v1/parties', courier, { kind: 'merchant', name: 'x' })).status).toBe(403);
  });

  it('registers tickets and decrypts naming one; an unregistered ticket is refused naming the field', async () => {
    const { call, admin } = await setup();
    const cs = (await createApiKey(w.c, { operator: 'test' }, w.cs.id)).key;
    const order = w.orderIds[0] as string;
    const opened = await call('POST', '/api/v1/tickets', admin, { order, ticket: 'CS-77', agent_id: w.cs.id });
    expect(opened.status).toBe(201);
    expect(await opened.json()).toMatchObject({ ticket: 'CS-77', order_id: order, agent_id: w.cs.id });
    expect((await call('POST', '/api/v1/tickets', admin, { order, ticket: 'CS-77', agent_id: w.cs.id })).status).toBe(200);
    const bad = await call('POST', '/api/v1/tickets', admin, { order, ticket: 'CS 77' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('ticket');
    expect((await call('POST', '/api/v1/tickets', cs, { order, ticket: 'CS-78' })).status).toBe(403);
    expect((await call('POST', `/api/v1/orders/${order}/decrypt`, cs, { reason: 'complaint', ticket: 'CS-77' })).status).toBe(200);
    const unknown = await call('POST', `/api/v1/orders/${order}/decrypt`, cs, { reason: 'complaint', ticket: 'CS-79' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe('ticket');
  });

  it('ingests single orders idempotently and refuses bad ones naming the field', async () => {
    const { call, admin } = await setup();
    expect((await call('POST', '/api/v1/orders', admin, sampleOrder(w, 50))).status).toBe(201);
    expect((await call('POST', '/api/v1/orders', admin, sampleOrder(w, 50))).status).toBe(200);
    const bad = sampleOrder(w, 51) as { recipient: { phone: string } };
    bad.recipient.phone = '99999999999';
    const res = await call('POST', '/api/v1/orders', admin, bad);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('recipient.phone');
    expect(text).not.toContain('99999999999');
  });

  it('streams bulk NDJSON results line by line, bad lines reported, good ones committed', async () => {
    const { call, admin } = await setup(0);
    const lines = [
      JSON.stringify(sampleOrder(w, 1)),
      '{oops',
      JSON.stringify({ ...sampleOrder(w, 2), merchant_id: w.courier.id }),
      '',
      JSON.stringify(sampleOrder(w, 1)),
    ];
    const res = await call('POST', '/api/v1/orders/bulk', admin, lines.join('\n'), 'application/x-ndjson');
    expect(res.status).toBe(200);
    const out = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; status?: string; error?: string });
    expect(out.map((o) => [o.line, o.status ?? o.error])).toEqual([
      [1, 'created'],
      [2, 'invalid_json'],
      [3, 'invalid_input'],
      [5, 'exists'],
    ]);
    // A line far over the limit, with no newline after it, is refused while it streams; the server carries on.
    const huge = `${JSON.stringify(sampleOrder(w, 7))}\n${'x'.repeat(8 * 1024 * 1024)}`;
    const big = await call('POST', '/api/v1/orders/bulk', admin, huge, 'application/x-ndjson');
    const bigOut = (await big.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; status?: string; error?: string });
    expect(bigOut.map((o) => [o.line, o.status ?? o.error])).toEqual([
      [1, 'created'],
      [2, 'too_large'],
    ]);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('serves a courier its views and manifest, never another courier’s order', async () => {
    const { call, courier } = await setup(3);
    const v = await call('GET', `/api/v1/orders/${w.orderIds[0] ?? ''}/view`, courier);
    expect(v.status).toBe(200);
    const view = (await v.json()) as { order_no: string };
    expect(view.order_no).toMatch(/^2\d{18}$/);
    expect((await call('GET', `/api/v1/orders/${w.orderIds[1] ?? ''}/view`, courier)).status).toBe(404);
    const csv = await call('GET', '/api/v1/manifest?day=2026-11-20&format=csv', courier);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('order_no');
    expect((await call('GET', '/api/v1/manifest?day=20261120', courier)).status).toBe(400);
  });

  it('gives ledger proofs an outside verifier can check with the published key', async () => {
    const { call, courier } = await setup(1);
    await call('GET', `/api/v1/orders/${w.orderIds[0] ?? ''}/view`, courier);
    const vkey = (await (await call('GET', '/api/v1/ledger/key', courier)).text()).trim();
    const own = (await (await call('GET', '/api/v1/ledger/mine', courier)).json()) as { entries: { index: number }[] };
    const res = await call('GET', `/api/v1/ledger/inclusion?index=${String(own.entries[0]?.index)}`, courier);
    const inc = (await res.json()) as { index: number; size: number; leaf: string; proof: string[]; checkpoint: string };
    const cp = parseCheckpoint(openNote(inc.checkpoint, parseVerifierKey(vkey)));
    expect(cp.size).toBe(inc.size);
    const ok = verifyInclusion(
      inc.index,
      inc.size,
      leafHash(Buffer.from(inc.leaf, 'base64')),
      inc.proof.map((p) => Buffer.from(p, 'base64')),
      cp.root,
    );
    expect(ok).toBe(true);
    expect((await call('GET', '/api/v1/ledger/inclusion?index=999999', courier)).status).toBe(400);
    // Self-audit: the courier's own entries, each provable, and nobody else's.
    const mine = (await (await call('GET', '/api/v1/ledger/mine', courier)).json()) as {
      checkpoint: string;
      entries: { index: number; leaf: string; proof: string[] }[];
    };
    expect(mine.entries.length).toBeGreaterThan(0);
    const root = parseCheckpoint(openNote(mine.checkpoint, parseVerifierKey(vkey)));
    for (const e of mine.entries) {
      const leaf = Buffer.from(e.leaf, 'base64');
      expect(JSON.parse(leaf.toString('utf8'))).toMatchObject({ party: w.courier.id });
      expect(
        verifyInclusion(
          e.index,
          root.size,
          leafHash(leaf),
          e.proof.map((p) => Buffer.from(p, 'base64')),
          root.root,
        ),
      ).toBe(true);
    }
  });

  it('runs behind a real listening server', async () => {
    const { app, courier } = await setup(1);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/ledger/checkpoint`, { headers: { authorization: `Bearer ${courier}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^gatekeeper\.local\/ledger\n\d+\n/);
    await new Promise((r) => server.close(r));
  });
});

describe('trace API', () => {
  it('investigates a dump for a regulator key, refuses other keys', async () => {
    const { openStore } = await import('../store/index.ts');
    const { randomBytes } = await import('node:crypto');
    const { custodyOn } = await import('../custody/index.ts');
    const { buildSimWorld, makeDump, releaseToHandlers, SMALL_WORLD } = await import('../sim/index.ts');
    const c = await custodyOn(await openStore({ url: ':memory:' }), randomBytes(32));
    try {
      const world = await buildSimWorld(c, { ...SMALL_WORLD, orders: 3000 });
      const courier = (world.byKind.get('courier') ?? [])[0];
      if (!courier) throw new Error('no courier');
      const pool = world.orders.filter((o) => o.courier === courier.id);
      await releaseToHandlers(c, world, pool, 1);
      const dump = await makeDump(c, world, [courier], pool, {
        seed: 1,
        records: 60,
        erase: 0.3,
        retype: 0.05,
        noise: 200,
        stripIdentifiers: true,
      });
      const text = dump.map((r) => JSON.stringify(r)).join('\n');
      const app = createApp({ custody: c });
      const regulator = (await createApiKey(c, { operator: 'test' }, (world.byKind.get('regulator') ?? [])[0]?.id ?? '')).key;
      const station = (await createApiKey(c, { operator: 'test' }, (world.byKind.get('station') ?? [])[0]?.id ?? '')).key;
      const post = (key: string, body: unknown): Promise<Response> =>
        Promise.resolve(
          app.request('/api/v1/trace/dump', {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        );
      expect((await post(station, { dump: text })).status).toBe(403);
      expect((await post(regulator, { dump: '' })).status).toBe(400);
      // The investigation's number and ε are the server's: a caller cannot pick them.
      const chosen = await post(regulator, { dump: text, investigation: 1, epsilon: 0.01 });
      expect(chosen.status).toBe(400);
      expect(await chosen.text()).toMatch(/investigation|epsilon/);
      const res = await post(regulator, { dump: text });
      expect(res.status).toBe(200);
      const inv = (await res.json()) as { accused: { party: string; channel: string }[]; investigation: number; epsilon: number };
      expect(inv.accused.map((a) => a.party)).toEqual([courier.id]);
      const again = (await (await post(regulator, { dump: text })).json()) as { investigation: number; epsilon: number };
      expect(again.investigation).toBe(inv.investigation + 1);
      expect(again.epsilon).toBeLessThan(inv.epsilon);

      const order = pool[0]?.id ?? '';
      const alias = (await releaseView(c, courier, order)).order_no;
      const call = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
        const r = await app.request(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${regulator}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(r.status, path).toBe(200);
        return (await r.json()) as Record<string, unknown>;
      };
      // The third investigation of this deployment spends less than the first: 10 quoted digits, not 8.
      const report = await call('/api/v1/trace/report', { order, text: `他说订单尾号${alias.slice(-10)}` });
      expect((report.accused as { party: string }[]).map((a) => a.party)).toEqual([courier.id]);
      const triage = await call('/api/v1/trace/reports', { orders: pool.slice(0, 5).map((o) => o.id) });
      expect(triage.accused).toEqual([]);
      const canaries = await call('/api/v1/trace/canaries', { outcomes: pool.slice(0, 5).map((o, i) => ({ order: o.id, hit: i < 2 })) });
      expect(Array.isArray(canaries.tests)).toBe(true);
      const pdf = await app.request('/api/v1/trace/dump-report', {
        method: 'POST',
        headers: { authorization: `Bearer ${regulator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ dump: text, source: '测试' }),
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const bad = await app.request('/api/v1/trace/report', {
        method: 'POST',
        headers: { authorization: `Bearer ${regulator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ order: 'x' }),
      });
      expect(bad.status).toBe(400);
    } finally {
      await c.close();
    }
  });
});
