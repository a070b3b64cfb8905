import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../custody/index.ts';
import { buildWorld, type World } from '../custody/test-world.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { gb18030 } from '../trace/test-encode.ts';
import { createApp } from './app.ts';

/** A Taobao-style export of the test world's orders: two map by address (one in traditional characters), one by phone, one not at all. */
const TAOBAO = [
  '订单编号,收货人姓名,收货地址,联系手机,宝贝标题,订单创建时间,物流单号',
  ',李**,浙江省 杭州市 西湖區 文三路1號2棟1單元102室,,,,',
  ',张*,杭州市西湖区文三路2号3栋1单元103室,,,,',
  ',赵*,,13900000003,,,',
  ',孙*,杭州市西湖区无此路1号,,,,',
].join('\r\n');

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describe.each(BACKENDS)('dump upload over HTTP on $name', ({ open }) => {
  let w: World;
  let server: ServerType;
  let base: string;
  let regulator: string;
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await w.c.close();
  });

  async function start(): Promise<void> {
    w = await buildWorld(await open(), 4);
    server = serve({ fetch: createApp({ custody: w.c }).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    regulator = (await createApiKey(w.c, { operator: 'test' }, w.regulator.id)).key;
  }

  const send = async (path: string, init: RequestInit, key = regulator): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...(init.headers as object) },
    });
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      body: type.includes('json') ? ((await res.json()) as Record<string, unknown>) : { type, size: (await res.arrayBuffer()).byteLength },
    };
  };
  const form = (bytes: Buffer, fields: Record<string, string> = {}, name = 'dump.csv'): FormData => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(bytes)]), name);
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };
  /** A multipart body written by hand, to send what no FormData would. */
  const raw = (body: string, boundary = 'XyZ'): RequestInit => ({
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });

  it('takes a GBK file as multipart bytes and the same dump as JSON text, and reports the mapping in both', async () => {
    await start();
    const json = await send('/api/v1/trace/dump', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dump: TAOBAO }),
    });
    expect(json.status).toBe(200);
    const file = await send('/api/v1/trace/dump', { body: form(gb18030(TAOBAO)) });
    expect(file.status).toBe(200);
    for (const [r, encoding] of [
      [json, 'text'],
      [file, 'gb18030'],
    ] as const) {
      expect(r.body.records).toBe(4);
      expect(r.body.mapped).toEqual({ alias: 0, address: 2, phone: 1, time: 0 });
      expect(r.body.report).toMatchObject({
        encoding,
        format: 'csv',
        records: 4,
        mapped: 3,
        notMapped: 1,
        reasons: [{ reason: 'address_unknown', count: 1, lines: [5] }],
      });
    }
    const pdf = await send('/api/v1/trace/dump-report', { body: form(gb18030(TAOBAO), { source: '测试来源' }) });
    expect(pdf).toEqual({ status: 200, body: { type: 'application/pdf', size: expect.any(Number) as number } });
    // Each took its number from an investigation entry in the ledger that names the caller and hashes the input.
    expect([json.body.investigation, file.body.investigation]).toEqual([1, 2]);
    const entry = await w.c.store.db
      .selectFrom('ledger')
      .select('leaf')
      .where('idx', '=', file.body.investigationEntry as number)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.leaf)).toMatchObject({ t: 'investigation', party: w.regulator.id, n: 2, kind: 'dump' });
    expect(entry.leaf).not.toContain('杭州');
  });

  it('warns when nothing maps instead of answering a silent zero', async () => {
    await start();
    const r = await send('/api/v1/trace/dump', { body: form(gb18030('详细地址,收件人\r\n杭州市西湖区无此路1号,王*\r\n')) });
    expect(r.status).toBe(200);
    expect(r.body.report).toMatchObject({ records: 1, mapped: 0, warnings: [{ code: 'nothing_mapped' }] });
  });

  it('answers broken multipart with 400 naming the field, never 500', async () => {
    await start();
    const part = (disposition: string): string =>
      `--XyZ\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: text/csv\r\n\r\n收货地址\r\n`;
    for (const init of [
      raw(`${part('name="file"; filename="a.csv"')}--XyZ--\r\n`, 'Other'),
      raw(`${part('name="file"; filename="a"b.csv"')}--XyZ--\r\n`),
      raw(part('name="file"; filename="a.csv"')),
      raw('not multipart at all'),
      { headers: { 'content-type': 'multipart/form-data' }, body: 'x' },
    ]) {
      const r = await send('/api/v1/trace/dump', init);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'invalid_multipart', issues: [{ field: '(body)' }] });
    }
    const noFile = await send(
      '/api/v1/trace/dump',
      raw(`--XyZ\r\nContent-Disposition: form-data; name="epsilon"\r\n\r\n0.001\r\n--XyZ--\r\n`),
    );
    expect(noFile).toMatchObject({ status: 400, body: { issues: [{ field: 'file' }] } });
    const empty = await send('/api/v1/trace/dump', { body: form(Buffer.alloc(0)) });
    expect(empty).toMatchObject({ status: 400, body: { issues: [{ field: 'file' }] } });
    // The server keeps each investigation's share of the budget: a caller may not name one.
    const eps = await send('/api/v1/trace/dump', { body: form(Buffer.from(TAOBAO), { epsilon: '0.5' }) });
    expect(eps.status).toBe(400);
    expect(JSON.stringify(eps.body)).toContain('epsilon');
    const extra = await send('/api/v1/trace/dump', { body: form(Buffer.from(TAOBAO), { source: 'x' }) });
    expect(extra.status).toBe(400);
    const text = await send('/api/v1/trace/dump', { headers: { 'content-type': 'text/plain' }, body: TAOBAO });
    expect(text.status).toBe(415);
  });

  it('has the JSON route’s auth and scope', async () => {
    await start();
    const station = (await createApiKey(w.c, { operator: 'test' }, w.station.id)).key;
    expect((await send('/api/v1/trace/dump', { body: form(Buffer.from(TAOBAO)) }, station)).status).toBe(403);
    expect((await send('/api/v1/trace/dump-report', { body: form(Buffer.from(TAOBAO)) }, station)).status).toBe(403);
    expect((await send('/api/v1/trace/dump', { body: form(Buffer.from(TAOBAO)) }, 'gk_000000000000_' + 'A'.repeat(43))).status).toBe(401);
  });

  it('refuses an oversized body with 413 from its length, before reading it, and a streamed one as it arrives', async () => {
    await start();
    const { port } = server.address() as AddressInfo;
    /** Sends headers and `chunks`, returns the status the server answers with (possibly before the body is all sent). */
    const post = (headers: Record<string, string | number>, chunks: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/trace/dump',
            method: 'POST',
            headers: { authorization: `Bearer ${regulator}`, ...headers },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', (e) => {
          if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET' && (e as NodeJS.ErrnoException).code !== 'EPIPE') reject(e);
        });
        const chunk = Buffer.alloc(1 << 20, 0x61);
        let sent = 0;
        const more = (): void => {
          while (sent < chunks) {
            sent++;
            if (!req.write(chunk)) return void req.once('drain', more);
          }
          req.end();
        };
        more();
      });
    // Announces 17 MB but sends one: the answer cannot have waited for the rest.
    expect(await post({ 'content-type': 'multipart/form-data; boundary=XyZ', 'content-length': 17 << 20 }, 1)).toBe(413);
    expect(await post({ 'content-type': 'multipart/form-data; boundary=XyZ', 'transfer-encoding': 'chunked' }, 17)).toBe(413);
    // Within the byte limit but more characters than a dump may hold once decoded.
    const big = await send('/api/v1/trace/dump', { body: form(Buffer.alloc(4_100_000, 0x61)) });
    expect(big).toMatchObject({ status: 413, body: { issues: [{ field: 'file' }] } });
  });

  it('documents the multipart body in OpenAPI', async () => {
    await start();
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> } }>;
    };
    for (const path of ['/api/v1/trace/dump', '/api/v1/trace/dump-report']) {
      const op = doc.paths[path]?.post;
      expect(Object.keys(op?.requestBody.content ?? {}).sort(), path).toEqual(['application/json', 'multipart/form-data']);
      expect(Object.keys(op?.responses ?? {}), path).toEqual(expect.arrayContaining(['200', '400', '401', '403', '413', '415']));
    }
  });
});
