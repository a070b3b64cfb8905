import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParties,
  decryptOrder,
  ForbiddenError,
  InputError,
  ingestOrders,
  NotFoundError,
  releaseView,
  type Party,
} from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import type { AlertEventsTable as AlertEventsRow } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { addHook, deliverAlerts, flagRow, listAlerts, listHooks, orderAccess, revokeHook, signature, sweepAlerts } from './index.ts';
import { ticketedDecrypts } from './test-shop.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe.each(BACKENDS)('accountability alerts on $name', ({ open }) => {
  let w: World;
  let platformB: Party;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  const answers: number[] = [];
  const insecure = process.env.GATEKEEPER_WEBHOOK_INSECURE;
  beforeAll(async () => {
    w = await buildWorld(await open(), 0);
    [platformB] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'platform', name: '乙平台' }])) as [Party];
    const [cs2] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'cs_agent', name: '客服2', parent_id: w.platform.id }])) as [
      Party,
    ];
    const now = Date.now();
    const placed = await ingestOrders(
      w.c,
      w.platform,
      Array.from({ length: 10 }, (_, i) => ({
        ...sampleOrder(w, i),
        ordered_at: new Date(now - 3_600_000).toISOString(),
        paid_at: new Date(now - 3_500_000).toISOString(),
      })),
    );
    const orders = placed.map((r) => ('id' in r ? r.id : ''));
    await releaseView(w.c, w.courier, orders[0] as string);
    // Each of agent 1's decrypts names a ticket the platform registered for the order.
    await ticketedDecrypts(w, orders.slice(0, 3), '工单 #1');
    for (const o of orders.slice(3, 8)) await decryptOrder(w.c, cs2, o, 'refund');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString('utf8');
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`;
    process.env.GATEKEEPER_WEBHOOK_INSECURE = '1';
  });
  afterAll(async () => {
    if (insecure === undefined) delete process.env.GATEKEEPER_WEBHOOK_INSECURE;
    else process.env.GATEKEEPER_WEBHOOK_INSECURE = insecure;
    await new Promise<void>((r) => {
      server.close(() => {
        r();
      });
    });
    await w.c.close();
  });

  it('refuses other parties, bad thresholds and plain http outside development', async () => {
    await expect(addHook(w.c, w.courier, { url })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addHook(w.c, w.platform, { url, threshold: -1 })).rejects.toMatchObject({ issues: [{ field: 'threshold' }] });
    delete process.env.GATEKEEPER_WEBHOOK_INSECURE;
    await expect(addHook(w.c, w.platform, { url })).rejects.toBeInstanceOf(InputError);
    process.env.GATEKEEPER_WEBHOOK_INSECURE = '1';
    await expect(addHook(w.c, w.platform, { url: 'ftp://example.com/x' })).rejects.toMatchObject({ issues: [{ field: 'url' }] });
    // A party holds a few hooks: each costs an analysis every sweep. Twelve asked at once get five.
    const asked = await Promise.allSettled(Array.from({ length: 12 }, () => addHook(w.c, platformB, { url })));
    const many = asked.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(many).toHaveLength(5);
    await expect(addHook(w.c, platformB, { url })).rejects.toMatchObject({
      issues: [{ field: 'url', message: expect.stringContaining('at most 5') as unknown }],
    });
    for (const h of many) await revokeHook(w.c, platformB, h.id);
  });

  it('files each lead and flag once, signs each delivery and retries a failed one later', async () => {
    const hook = await addHook(w.c, w.platform, { url, threshold: 3 });
    expect(hook.secret).toMatch(/^gkw_/);
    expect(await listHooks(w.c, w.platform)).toEqual([{ id: hook.id, url, threshold: 3, created_at: hook.created_at }]);
    const first = (await w.c.store.db.selectFrom('orders').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const seen = await orderAccess(w.c, first);
    await flagRow(w.c, first, seen.rows[0]?.entry ?? 0, 'never_dealt');
    const now = new Date();
    expect(await sweepAlerts(w.c, now)).toBe(2);
    expect(await sweepAlerts(w.c, now)).toBe(0);
    answers.push(500);
    expect(await deliverAlerts(w.c, now)).toBe(1);
    expect(received).toHaveLength(2);
    expect(await deliverAlerts(w.c, now)).toBe(0);
    expect(await deliverAlerts(w.c, new Date(now.getTime() + 61_000))).toBe(1);
    expect(received).toHaveLength(3);
    for (const r of received) {
      const ts = r.headers['x-gatekeeper-timestamp'] as string;
      expect(r.headers['x-gatekeeper-signature']).toBe(signature(hook.secret, ts, r.body));
    }
    // The retry is the same event: a receiver keeps the first copy by its id.
    const ids = received.map((r) => r.headers['x-gatekeeper-event']);
    expect(new Set(ids).size).toBe(2);
    const bodies = received.map((r) => JSON.parse(r.body) as { type: string; notice?: { en: string }; score?: number });
    expect(new Set(bodies.map((b) => b.type))).toEqual(new Set(['lead', 'flag']));
    expect(received[2]?.body).toBe(received[0]?.body);
    const lead = bodies.find((b) => b.type === 'lead');
    expect(lead?.notice?.en).toContain('leads, not accusations');
    expect(lead?.score).toBeGreaterThanOrEqual(3);
    const feed = await listAlerts(w.c, w.platform);
    expect(feed).toHaveLength(2);
    expect(feed.every((a) => a.delivered_at !== null)).toBe(true);
    expect(await listAlerts(w.c, platformB)).toEqual([]);
  });

  it("serves every hook in a round: another tenant's dead receiver with a backlog delays nobody", async () => {
    const dead = await addHook(w.c, platformB, { url: 'http://127.0.0.1:9/hook' });
    const mine = await addHook(w.c, w.platform, { url });
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const event = (hook: string, i: number): AlertEventsRow => ({
      id: `${hook}-${String(i)}`,
      hook_id: hook,
      kind: 'lead',
      payload: JSON.stringify({ type: 'lead', i }),
      created_at: old,
      attempts: 0,
      next_at: old,
      delivered_at: null,
      last_status: null,
    });
    await w.c.store.db
      .insertInto('alert_events')
      .values(Array.from({ length: 40 }, (_, i) => event(dead.id, i)))
      .execute();
    await w.c.store.db
      .insertInto('alert_events')
      .values({ ...event(mine.id, 0), next_at: new Date().toISOString() })
      .execute();
    const before = received.length;
    expect(await deliverAlerts(w.c, new Date(Date.now() + 1000), 10)).toBe(1);
    expect(received).toHaveLength(before + 1);
    // The dead receiver was tried once this round, not once per event.
    const tried = await w.c.store.db.selectFrom('alert_events').select('attempts').where('hook_id', '=', dead.id).execute();
    expect(tried.reduce((n, r) => n + r.attempts, 0)).toBe(1);
    await revokeHook(w.c, platformB, dead.id);
    await revokeHook(w.c, w.platform, mine.id);
  });

  it('caps an organisation’s hooks across the authorities it creates, and serves a few of its hooks a round', async () => {
    const asB = { keyId: 'test', party: platformB, scopes: ['admin' as const] };
    const police = await createParties(
      w.c,
      asB,
      Array.from({ length: 4 }, (_, i) => ({ kind: 'police' as const, name: `乙地派出所${String(i)}` })),
    );
    const hooks = [];
    for (const p of [platformB, ...police])
      for (let i = 0; i < 4; i++) hooks.push(await addHook(w.c, p, { url: 'http://127.0.0.1:9/hook' }));
    expect(hooks).toHaveLength(20);
    await expect(addHook(w.c, police[0] as Party, { url: 'http://127.0.0.1:9/hook' })).rejects.toThrow(/organisation holds at most 20/);
    const old = new Date(Date.now() - 3_600_000).toISOString();
    await w.c.store.db
      .insertInto('alert_events')
      .values(
        hooks.map((h) => ({
          id: `${h.id}-0`,
          hook_id: h.id,
          kind: 'lead',
          payload: '{}',
          created_at: old,
          attempts: 0,
          next_at: old,
          delivered_at: null,
          last_status: null,
        })),
      )
      .execute();
    await deliverAlerts(w.c, new Date(), 100);
    const tried = await w.c.store.db
      .selectFrom('alert_events')
      .select('attempts')
      .where(
        'hook_id',
        'in',
        hooks.map((h) => h.id),
      )
      .execute();
    expect(tried.reduce((n, r) => n + r.attempts, 0)).toBe(5);
    for (const [i, p] of [platformB, ...police].entries()) for (const h of hooks.slice(i * 4, i * 4 + 4)) await revokeHook(w.c, p, h.id);
  });

  it('revokes only the owner’s hook, and a revoked hook sends nothing more', async () => {
    const [h] = await listHooks(w.c, w.platform);
    expect(await listHooks(w.c, w.platform)).toHaveLength(1);
    await expect(revokeHook(w.c, platformB, h?.id ?? '')).rejects.toBeInstanceOf(NotFoundError);
    await revokeHook(w.c, w.platform, h?.id ?? '');
    expect(await listHooks(w.c, w.platform)).toEqual([]);
    const before = received.length;
    await sweepAlerts(w.c, new Date(Date.now() + 2 * 86_400_000));
    expect(await deliverAlerts(w.c, new Date(Date.now() + 2 * 86_400_000))).toBe(0);
    expect(received).toHaveLength(before);
  });
});
