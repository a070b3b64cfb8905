import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';

const app = createApp();
const post = (body: unknown): Promise<Response> =>
  Promise.resolve(
    app.request('/api/v1/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

describe('POST /api/v1/check', () => {
  it('returns a verdict for valid input', async () => {
    const res = await post({ text: '我是淘宝客服，您的包裹丢失了，给您三倍赔偿，加我微信', caller: '17012345678', channel: 'call' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { level: string; spans: unknown[]; advice: { zh: string[] } };
    expect(body.level).toBe('high');
    expect(body.spans.length).toBeGreaterThan(0);
  });

  it('rejects bad input with 400 naming the field, without echoing values', async () => {
    const secret = '13812345678';
    for (const [body, field] of [
      [{ text: 5 }, 'text'],
      [{ text: 'x', channel: 'fax' }, 'channel'],
      [{ text: 'x', phone: secret }, '(body)'],
      [{}, 'text'],
      [{ text: '   ' }, 'text'],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const raw = await res.text();
      expect(raw).not.toContain(secret);
      const parsed = JSON.parse(raw) as { error: string; issues: Array<{ field: string }> };
      expect(parsed.error).toBe('invalid_input');
      expect(parsed.issues.map((i) => i.field)).toContain(field);
    }
  });

  it('rejects malformed JSON with 400', async () => {
    expect((await post('{bad')).status).toBe(400);
  });

  it('rejects text over 20,000 characters with 413', async () => {
    const res = await post({ text: '诈'.repeat(20_001) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { issues: Array<{ field: string }> }).issues[0]?.field).toBe('text');
    expect((await post({ text: '诈'.repeat(20_000) })).status).toBe(200);
  });

  it('rejects a huge body with 413 before parsing', async () => {
    expect((await post({ text: 'a'.repeat(400_000) })).status).toBe(413);
  });

  it('publishes the OpenAPI description', async () => {
    const res = await app.request('/api/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/check');
  });
});

describe('a real server', () => {
  let server: ReturnType<typeof serve>;
  let base = '';
  beforeAll(async () => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(() => {
    server.close();
  });

  it('answers check over HTTP', async () => {
    const res = await fetch(`${base}/api/v1/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '恭喜您中奖了，请先交手续费' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { level: string }).level).not.toBe('low');
  });

  it('answers unknown paths with 404 JSON', async () => {
    const res = await fetch(`${base}/api/nothing`);
    expect(res.status).toBe(404);
  });
});
