import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../custody/index.ts';
import { buildWorld, sampleOrder, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { createApp } from './app.ts';
import { manifestCsv } from './custody-routes.ts';
import { clientAddressOf, clientKeyOf, trustProxyFrom } from './rate-limit.ts';

describe('the client address behind proxies', () => {
  it('takes the right-most untrusted hop, so a client cannot choose its own address', () => {
    expect(clientAddressOf('10.0.0.5', '1.2.3.4, 198.51.100.7', { hops: 0 })).toBe('10.0.0.5');
    expect(clientAddressOf('10.0.0.5', 'spoofed, 198.51.100.7', { hops: 1 })).toBe('198.51.100.7');
    const list = trustProxyFrom('10.0.0.0/8, 127.0.0.1');
    expect(clientAddressOf('10.0.0.5', 'spoofed, 198.51.100.7, 10.1.1.1', list)).toBe('198.51.100.7');
    expect(clientAddressOf('203.0.113.9', 'spoofed', list)).toBe('203.0.113.9');
    expect(clientAddressOf('127.0.0.1', undefined, list)).toBe('127.0.0.1');
    // Whatever is not an address counts as the proxy that passed it on.
    expect(clientAddressOf('10.0.0.5', 'bogus', list)).toBe('10.0.0.5');
    expect(clientAddressOf('10.0.0.5', 'bogus', { hops: 1 })).toBe('10.0.0.5');
    expect(() => trustProxyFrom('not-an-ip')).toThrow(/GATEKEEPER_TRUST_PROXY/);
  });
});

describe('the client key for limits and anonymous reports', () => {
  it('keys an IPv6 client by its /56, so rotating addresses inside it is one client', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:0::/56');
    expect(clientKeyOf('2001:0db8:0001:00ff:ffff:1:2:3')).toBe('2001:db8:1:0::/56');
    expect(clientKeyOf('2001:db8:1:1234::1')).toBe('2001:db8:1:1200::/56');
    expect(clientKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/56');
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/56');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/56');
    expect(clientKeyOf('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKeyOf('::ffff:808:801')).toBe('8.8.8.1');
    expect(clientKeyOf('64:ff9b::198.51.100.7')).toBe('64:ff9b:0:0::/56');
    expect(clientKeyOf('2001:db8:1:3::1')).toBe(clientKeyOf('2001:db8:1:4::1'));
    expect(clientKeyOf('2001:db8:1:100::1')).not.toBe(clientKeyOf('2001:db8:1:2::1'));
    expect(clientKeyOf('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKeyOf('local')).toBe('local');
  });

  it('limits two addresses of one /56 together and two /56s apart', async () => {
    const app = createApp({ limits: { check: 1 }, trustProxy: { hops: 1 } });
    const check = (from: string) =>
      app.request('/api/v1/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ text: '你好' }),
      });
    expect((await check('2001:db8:1:2::a')).status).toBe(200);
    expect((await check('2001:db8:1:2:ffff::b')).status).toBe(429);
    expect((await check('2001:db8:1:3::a')).status).toBe(429);
    expect((await check('2001:db8:1:100::a')).status).toBe(200);
  });
});

describe('manifest CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = manifestCsv([{ order_no: '2000', item: '=HYPERLINK("x")', name: '@SUM(1)', address: '-1+1', region: '+86' }]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain("'@SUM(1)");
    expect(csv).toContain("'-1+1");
    expect(csv).toContain("'+86");
  });
});

describe.each(BACKENDS)('bounded requests and consistent validation on $name', ({ open }) => {
  let w: World;
  let app: ReturnType<typeof createApp>;
  let courier: string;
  let admin: string;
  beforeAll(async () => {
    w = await buildWorld(await open(), 2);
    app = createApp({ custody: w.c, limits: { submit: 1000 } });
    courier = (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).key;
    admin = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
  });
  afterAll(async () => {
    await w.c.close();
  });
  const get = (path: string, key: string): Promise<Response> =>
    Promise.resolve(app.request(path, { headers: { authorization: `Bearer ${key}` } }));

  it('refuses a large anonymous JSON case before parsing it, and a broken multipart body as a 400', async () => {
    const big = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ narrative: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const broken = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="evidence"; filename="a"b.png"\r\n\r\nxx\r\n--ab',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toBe('invalid_input');
  });

  it('refuses a multipart body of many parts before parsing it, for cases and for dumps', async () => {
    const parts = Array.from(
      { length: 3000 },
      (_, i) => `--b\r\nContent-Disposition: form-data; name="evidence"; filename="a${String(i)}.png"\r\n\r\nx\r\n`,
    );
    const body = `${parts.join('')}--b--\r\n`;
    const kase = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect(kase.status).toBe(400);
    expect(await kase.text()).toContain('at most 9 parts');
    const dump = await app.request('/api/v1/trace/dump', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b', authorization: `Bearer ${admin}` },
      body: body.replaceAll('name="evidence"', 'name="file"'),
    });
    expect(dump.status).toBe(400);
    expect(await dump.text()).toContain('at most 8 parts');
  });

  it('limits manifests per party and investigations per organisation, whatever keys it mints', async () => {
    const limited = createApp({ custody: w.c, limits: { export: 2, trace: 1 } });
    const manifest = (key: string) => limited.request('/api/v1/manifest?day=2026-11-20', { headers: { authorization: `Bearer ${key}` } });
    expect((await manifest(courier)).status).toBe(200);
    expect((await manifest(courier)).status).toBe(200);
    expect((await manifest(courier)).status).toBe(429);
    const station = (await createApiKey(w.c, { operator: 'test' }, w.station.id)).key;
    expect((await manifest(station)).status).toBe(200);
    const report = (key: string) =>
      limited.request('/api/v1/trace/report', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ order: w.orderIds[0], alias_tail: '12345678' }),
      });
    expect((await report(admin)).status).toBe(200);
    const second = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    expect((await report(second)).status).toBe(429);
  });

  it('answers 400 naming the field for impossible dates, numbers out of range and empty numbers', async () => {
    const feb = await get('/api/v1/manifest?day=2026-02-31', courier);
    expect(feb.status).toBe(400);
    expect(await feb.text()).toContain('day');
    expect((await get('/api/v1/manifest?day=2024-02-29', courier)).status).toBe(200);
    const range = await get('/api/v1/parties?limit=5001', admin);
    expect(range.status).toBe(400);
    expect(await range.text()).toContain('limit');
    expect((await get('/api/v1/ledger/inclusion?index=', courier)).status).toBe(400);
    expect((await get('/api/v1/ledger/inclusion?index=-1', courier)).status).toBe(400);
  });

  it('draws case PDFs off the main thread and stays responsive', async () => {
    const filed = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        victim: { phone: '13900000001' },
        contacted_at: '2026-11-25T02:10:00Z',
        order: { platform_order_id: (sampleOrder(w, 1) as { platform_order_id: string }).platform_order_id },
        narrative: '对方自称客服，要我共享屏幕。',
        consent: true,
      }),
    });
    expect(filed.status).toBe(201);
    const { id, token } = (await filed.json()) as { id: string; token: string };
    const pdfs = Array.from({ length: 6 }, () => get(`/api/v1/cases/${id}/report.pdf`, token));
    const t0 = performance.now();
    const health = await app.request('/healthz');
    const healthMs = performance.now() - t0;
    expect(health.status).toBe(200);
    const statuses = (await Promise.all(pdfs)).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503 || s === 429)).toBe(true);
    expect(statuses).toContain(200);
    expect(healthMs).toBeLessThan(5000);
  });
});
