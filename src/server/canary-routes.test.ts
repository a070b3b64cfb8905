import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, custodyOn, type Custody } from '../custody/index.ts';
import { buildSimWorld, SMALL_WORLD, type SimWorld } from '../sim/index.ts';
import { freshSqlite } from '../store/test-stores.ts';
import { at } from '../shared/at.ts';
import { createApp } from './app.ts';

describe('canaries over HTTP', () => {
  let c: Custody;
  let w: SimWorld;
  let admin: string;
  let regulator: string;
  let app: ReturnType<typeof createApp>;
  const call = async (path: string, body: unknown, key: string): Promise<Response> =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    c = await custodyOn(await freshSqlite(), randomBytes(32));
    w = await buildSimWorld(c, { ...SMALL_WORLD, orders: 300 });
    admin = (await createApiKey(c, { operator: 'test' }, w.platform.id)).key;
    regulator = (await createApiKey(c, { operator: 'test' }, at(w.byKind.get('regulator') ?? [], 0).id)).key;
    app = createApp({ custody: c });
  });
  afterAll(() => c.close());

  it('plants (platform only), takes hits (trace scope) and tests the registry', async () => {
    const outlet = at(w.byKind.get('outlet') ?? [], 0);
    const merchant = at(w.byKind.get('merchant') ?? [], 0);
    const body = { outlet_id: outlet.id, merchant_id: merchant.id, phones: ['19900000001', '19900000002', '19900000003'] };
    expect((await call('/api/v1/canaries', body, regulator)).status).toBe(403);
    const bad = await call('/api/v1/canaries', { ...body, phones: ['x'] }, admin);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('phones.0');
    const ok = await call('/api/v1/canaries', body, admin);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { planted: string[] }).planted).toHaveLength(3);
    expect((await call('/api/v1/canaries/hits', { phone: '199 0000 0002' }, regulator)).status).toBe(200);
    expect((await call('/api/v1/canaries/hits', { phone: '13800000000' }, regulator)).status).toBe(404);
    const test = await call('/api/v1/trace/canaries/registry', {}, regulator);
    expect(await test.json()).toMatchObject({ canaries: 3, hits: 1, accused: [] });
  });
});
