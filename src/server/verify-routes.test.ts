import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createParties, type Party } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { contactAnswer, findContacts, type BucketEntry, type BucketRequest, type CallerVerdict } from '../verify/index.ts';
import { createApp } from './app.ts';

const ago = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString();
const PNG_HEAD = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ea0000000049454e44ae426082',
  'hex',
);

describe.each(BACKENDS)('verify, reputation and cases over HTTP on $name', (backend) => {
  let w: World;
  let server: ServerType;
  let base: string;
  let admin: string;
  let police: string;
  let courierKey: string;
  const seen: string[] = [];

  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<Response> => {
    const init: RequestInit = { method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}) } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    if (typeof init.body === 'string') seen.push(`${path} ${init.body}`);
    return fetch(`${base}${path}`, init);
  };

  beforeAll(async () => {
    w = await buildWorld(await backend.open(), 2);
    const [pol] = (await createParties(w.c, { operator: 'test' }, [{ kind: 'police', name: '测试派出所' }])) as [Party];
    admin = (await createApiKey(w.c, { operator: 'test' }, w.platform.id)).key;
    police = (await createApiKey(w.c, { operator: 'test' }, pol.id)).key;
    courierKey = (await createApiKey(w.c, { operator: 'test' }, w.courier.id)).key;
    const app = createApp({ custody: w.c, limits: { bucket: 4, submit: 8 } });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
        resolve();
      });
    });
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await w.c.close();
  });

  it('registers channels with a key only, and publishes them in the directory', async () => {
    const reg = {
      channels: [
        { kind: 'phone', value: '95123', label: '官方客服' },
        { kind: 'domain', value: 'ceshi.com' },
      ],
      never: ['code', 'transfer'],
    };
    expect((await call('POST', '/api/v1/channels', reg)).status).toBe(401);
    expect((await call('POST', '/api/v1/channels', reg, courierKey)).status).toBe(403);
    const ok = await call('POST', '/api/v1/channels', reg, admin);
    expect(ok.status).toBe(200);
    const bad = await call('POST', '/api/v1/channels', { channels: [{ kind: 'phone', value: 'abc' }] }, admin);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('channels.0.value');
    const dir = (await (await call('GET', '/api/v1/directory')).json()) as Array<{ party: { name: string }; never: string[] }>;
    expect(dir[0]).toMatchObject({ party: { name: '测试平台' }, never: ['code', 'transfer'] });
  });

  it('verifies a caller end to end: public number check, contact filed, k-anonymous lookup', async () => {
    const filed = await call(
      'POST',
      '/api/v1/contacts',
      {
        contacts: [
          { agent_id: w.cs.id, platform_order_id: 'T00000000', channel: 'call', number_used: '95123', at: ago(1), reason: 'after_sales' },
        ],
      },
      admin,
    );
    expect(filed.status).toBe(201);
    const verdict = (await (await call('POST', '/api/v1/verify/number', { number: '95123' })).json()) as CallerVerdict;
    expect(verdict.official?.party.name).toBe('测试平台');
    const fetchBucket = async (q: BucketRequest): Promise<BucketEntry[]> => {
      const r = await call('POST', '/api/v1/verify/contacts', q);
      expect(r.status).toBe(200);
      return ((await r.json()) as { entries: BucketEntry[] }).entries;
    };
    const found = await findContacts('13900000000', '95123', { from: ago(24), to: ago(-1) }, verdict.lookup, fetchBucket);
    expect(contactAnswer(verdict, found).status).toBe('confirmed');
    const notMe = await findContacts('13900000001', '95123', { from: ago(24), to: ago(-1) }, verdict.lookup, fetchBucket);
    expect(contactAnswer(verdict, notMe).status).toBe('no_record');
    // Nothing the consumer sent named their number.
    expect(seen.filter((s) => s.startsWith('/api/v1/verify/contacts')).join()).not.toMatch(/1390000000/);
  });

  it('refuses bad bucket queries and rate-limits bucket enumeration (429)', async () => {
    const bad = await call('POST', '/api/v1/verify/contacts', { bits: 4, bucket: 16, from: ago(1), to: ago(0) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('"field":"bucket"');
    const wide = await call('POST', '/api/v1/verify/contacts', { bits: 0, bucket: 0, from: ago(24 * 60), to: ago(0) });
    expect(wide.status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call('POST', '/api/v1/verify/contacts', { bits: 0, bucket: 0, from: ago(i + 1), to: ago(0) })).status);
    expect(statuses).toContain(429);
  });

  it('checks text with the registry: an unregistered caller claiming the platform is named', async () => {
    const r = await call('POST', '/api/v1/check', {
      text: '我是测试平台客服，您的订单可以三倍赔偿，请说一下验证码',
      caller: '+86 171 2345 6789',
      channel: 'call',
    });
    const body = (await r.json()) as { level: string; channel: Array<{ id: string }> };
    expect(body.level).toBe('high');
    expect(body.channel.map((c) => c.id)).toEqual(expect.arrayContaining(['unofficial_number', 'never_do']));
  });

  it('files a multipart case with evidence, opens it with its token only, and serves the PDF', async () => {
    const form = new FormData();
    form.set(
      'case',
      JSON.stringify({
        victim: { name: '测试报案人', phone: '13900000000' },
        claimed: '测试平台客服',
        contacted_at: ago(5),
        scammer: { numbers: ['+86 171 2345 6789'], accounts: [], links: [] },
        transfers: [{ at: ago(4), amount_yuan: 3000, method: 'bank', to: { kind: 'bank_card', value: '6222021234567890123' } }],
        narrative: '对方冒充测试平台客服，说商品有质量问题要赔偿，让我转账验证流水。',
        consent: true,
      }),
    );
    form.append('evidence', new Blob([PNG_HEAD], { type: 'image/png' }), '截图.png');
    const res = await call('POST', '/api/v1/cases', form);
    expect(res.status).toBe(201);
    const receipt = (await res.json()) as { id: string; token: string; evidence: unknown[] };
    expect(receipt.evidence).toHaveLength(1);
    expect((await call('GET', `/api/v1/cases/${receipt.id}`)).status).toBe(401);
    expect((await call('GET', `/api/v1/cases/${receipt.id}`, undefined, 'gkc_notthetoken')).status).toBe(404);
    expect((await call('GET', `/api/v1/cases/${receipt.id}`, undefined, courierKey)).status).toBe(403);
    const mine = await call('GET', `/api/v1/cases/${receipt.id}`, undefined, receipt.token);
    expect(((await mine.json()) as { lossYuan: number }).lossYuan).toBe(3000);
    const detail = (await (await call('GET', `/api/v1/cases/${receipt.id}`, undefined, police)).json()) as {
      evidence: Array<{ id: string }>;
    };
    const file = await call('GET', `/api/v1/cases/${receipt.id}/evidence/${detail.evidence[0]?.id ?? ''}`, undefined, police);
    // A stored upload is served as an attachment that the browser may not re-sniff into something runnable.
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toBe('attachment');
    expect(file.headers.get('content-security-policy')).toContain("script-src 'self'");
    const pdf = await call('GET', `/api/v1/cases/${receipt.id}/report.pdf`, undefined, police);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await call('POST', `/api/v1/cases/${receipt.id}/status`, { status: 'accepted' }, receipt.token)).status).toBe(401);
    expect((await call('POST', `/api/v1/cases/${receipt.id}/status`, { status: 'accepted', note: '已立案' }, police)).status).toBe(204);
    const seenByVictim = (await (await call('GET', `/api/v1/cases/${receipt.id}`, undefined, receipt.token)).json()) as { status: string };
    expect(seenByVictim.status).toBe('accepted');
    const list = (await (await call('GET', '/api/v1/cases', undefined, police)).json()) as { cases: Array<{ id: string }> };
    expect(list.cases.map((c) => c.id)).toContain(receipt.id);
    const disguised = new FormData();
    disguised.set('case', '{"oops"');
    const bad = await call('POST', '/api/v1/cases', disguised);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('"field":"case"');
  });

  it('counts the case in reputation, takes an appeal and lets a reviewer decide it', async () => {
    const look = await call('POST', '/api/v1/reputation/lookup', { kind: 'phone', value: '17123456789' });
    expect(((await look.json()) as { reports: number }).reports).toBe(1);
    const ap = await call('POST', '/api/v1/reputation/appeals', {
      kind: 'phone',
      value: '17123456789',
      reason: '这是我新办的号码，之前的主人不是我',
    });
    expect(ap.status).toBe(201);
    const { id, token } = (await ap.json()) as { id: string; token: string };
    expect(((await (await call('GET', `/api/v1/reputation/appeals/${id}`, undefined, token)).json()) as { status: string }).status).toBe(
      'open',
    );
    expect((await call('GET', `/api/v1/reputation/appeals/${id}`, undefined, 'gka_wrong')).status).toBe(404);
    expect((await call('POST', `/api/v1/reputation/appeals/${id}/decision`, { decision: 'upheld', note: 'ok' }, courierKey)).status).toBe(
      403,
    );
    // Reputation is shared across platforms: a platform's own key may not decide it.
    expect((await call('POST', `/api/v1/reputation/appeals/${id}/decision`, { decision: 'upheld', note: 'ok' }, admin)).status).toBe(403);
    const d = await call(
      'POST',
      `/api/v1/reputation/appeals/${id}/decision`,
      { decision: 'rejected', note: '号码近期仍被多人举报' },
      (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key,
    );
    expect(((await d.json()) as { status: string }).status).toBe('rejected');
    const anon = await call('POST', '/api/v1/reputation/reports', { items: [{ kind: 'domain', value: 'https://fake-ceshi.top/x' }] });
    expect(((await anon.json()) as { results: Array<{ counted: boolean }> }).results[0]?.counted).toBe(true);
    const again = await call('POST', '/api/v1/reputation/reports', { items: [{ kind: 'domain', value: 'fake-ceshi.top' }] });
    expect(((await again.json()) as { results: Array<{ counted: boolean }> }).results[0]?.counted).toBe(false);
  });
});
